import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { PaymentDeps } from '../../modules/payments/index.js';
import type { StaffSessionCache } from '../../modules/staff/index.js';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/schema.js';
import type { JobRunner } from '../../platform/jobs/job-runner.js';
import type { Pii } from '../../platform/pii.js';
import type { SmsSender } from '../../platform/sms/sms-sender.js';
import type { WechatPaySandbox } from '../../platform/wechat-pay/sandbox.js';
import type { WechatPayV3Sandbox } from '../../platform/wechat-pay/sandbox-v3.js';

/** What every dialect gets from the app: the shared modules' dependencies. */
export interface DialectContext {
  db: Kysely<Database>;
  pii: Pii;
  clock: Clock;
  config: Config;
  payments: PaymentDeps;
  /** The in-process WeChat Pay sandbox, when config.wechat.mode is 'sandbox'. */
  sandbox: WechatPaySandbox | undefined;
  /** The v3 (JSAPI) sandbox, made on first use; undefined in live mode. */
  sandboxV3: () => WechatPayV3Sandbox | undefined;
  jobs: JobRunner;
  sms: SmsSender;
  staffSessions: StaffSessionCache;
}
