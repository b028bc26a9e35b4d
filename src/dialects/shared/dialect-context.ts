import type { AppModules } from '../../composition.js';
import type { Config } from '../../config.js';
import type { Clock } from '../../platform/clock.js';
import type { WechatPaySandbox } from '../../platform/wechat-pay/sandbox.js';

/** What every dialect gets from the app: the modules, built once, and the config. Never the database. */
export interface DialectContext {
  modules: AppModules;
  clock: Clock;
  config: Config;
  /** The in-process WeChat Pay sandbox, when config.wechat.mode is 'sandbox'. */
  sandbox: WechatPaySandbox | undefined;
}
