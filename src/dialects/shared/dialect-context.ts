import type { AppModules } from '../../composition.js';
import type { Config } from '../../config.js';
import type { Clock } from '../../platform/clock.js';
import type { WechatPaySandbox } from '../../platform/wechat-pay/sandbox.js';
import type { WechatPayV3Sandbox } from '../../platform/wechat-pay/sandbox-v3.js';

/** What every dialect gets from the app: the modules, built once, and the config. Never the database. */
export interface DialectContext {
  modules: AppModules;
  clock: Clock;
  config: Config;
  /** The in-process WeChat Pay sandbox, when config.wechat.mode is 'sandbox'. */
  sandbox: WechatPaySandbox | undefined;
  /** Its v3 (JSAPI) half, made on first use; undefined in live mode. */
  sandboxV3: () => WechatPayV3Sandbox | undefined;
}
