import { type AppModules, composeModules } from './composition.js';
import type { Config } from './config.js';
import { type Db, openDatabase } from './database.js';
import { migrateToLatest } from './migrations.js';
import { type CallbackTransport, httpCallbackTransport } from './modules/partner/index.js';
import type { PaymentDeps } from './modules/payments/index.js';
import { type Clock, systemClock } from './platform/clock.js';
import { JobRunner } from './platform/jobs/job-runner.js';
import { PayoutSandbox } from './platform/payouts/index.js';
import { createPii, loadPiiKey, type Pii } from './platform/pii.js';
import { createSmsChannel } from './platform/sms/sms-channel.js';
import type { SmsProvider } from './platform/sms/sms-provider.js';
import type { WechatPaySandbox } from './platform/wechat-pay/sandbox.js';
import type { WechatPayV3Sandbox } from './platform/wechat-pay/sandbox-v3.js';
import { createWechatGateway } from './platform/wechat-pay/wechat-setup.js';

/**
 * What the running app is made of, for the commands and the tests that operate it from outside
 * HTTP (seeding, driving jobs, playing WeChat); routes get only the dialect context.
 */
export interface Runtime {
  db: Db;
  pii: Pii;
  clock: Clock;
  modules: AppModules;
  jobs: JobRunner;
  payments: PaymentDeps;
  sandbox: WechatPaySandbox | undefined;
  /** The v3 (JSAPI) sandbox, made on first use; undefined in live mode. */
  sandboxV3: () => WechatPayV3Sandbox | undefined;
}

export interface RuntimeOptions {
  clock?: Clock | undefined;
  /** An already-open database (tests share one per file); otherwise config.databaseUrl is opened. */
  db?: Db | undefined;
  /** Who carries text messages instead of the configured provider (tests read what was sent). */
  sms?: SmsProvider | undefined;
  /** How callbacks reach partners; HTTP by default. */
  callbackTransport?: CallbackTransport | undefined;
}

/** What the runtime needs from the app that hosts it. */
export interface RuntimeHost {
  log(message: string): void;
  logError(message: string): void;
  /** Posts into the host's own HTTP app (the WeChat sandboxes deliver their notifies there). */
  inject(
    url: string,
    contentType: string,
    payload: string,
    headers?: Record<string, string>,
  ): Promise<{ body: string; statusCode: number }>;
}

/**
 * Opens the platform (the database, migrated; the PII keys; WeChat Pay; the SMS channel), builds
 * the modules over it (src/composition.ts) and the job runner, and loads the demo when asked.
 */
export async function openRuntime(
  config: Config,
  options: RuntimeOptions,
  host: RuntimeHost,
): Promise<Runtime> {
  const db =
    options.db ??
    openDatabase(config.databaseUrl, {
      synchronous: config.sqliteSynchronous,
      poolSize: config.databasePoolSize,
      onBackgroundError: (error) => host.log(`database: ${error.message}`),
      backgroundCheckpoints: true,
      serving: { readerThreads: config.sqliteReaderThreads },
    });
  await migrateToLatest(db.kysely, db.dialect);
  const pii = createPii(loadPiiKey(config.piiKey, config.dataDir));
  const clock = options.clock ?? systemClock;
  const wechat = createWechatGateway(
    config,
    async (url, xml) => (await host.inject(url, 'text/xml', xml)).body,
    async (url, headers, body) => (await host.inject(url, 'application/json', body, headers)).statusCode,
    clock,
  );
  const { modules, jobs, paymentDeps } = composeModules(config, {
    db: db.kysely,
    clock,
    pii,
    // SMS goes to the app's log in development.
    sms: options.sms
      ? { provider: options.sms, signName: config.sms.signName, templates: config.sms.templates }
      : await createSmsChannel(config.sms, (message) => host.log(message)),
    wechat,
    callbackTransport: options.callbackTransport ?? httpCallbackTransport,
    payouts: config.payouts.provider === 'wechat' ? wechat.bankPayouts() : new PayoutSandbox(),
    log: (message) => host.log(message),
  });
  const runner = new JobRunner(db.kysely, clock, jobs, (error, job) =>
    host.logError(`job ${job} failed: ${error instanceof Error ? error.message : String(error)}`),
  );
  // The demo's generator is loaded only by a server asked to seed it.
  if (config.demo) {
    const { seedDemoIfEmpty } = await import('./seed/demo.js');
    await seedDemoIfEmpty({ db: db.kysely, pii, clock, publicBaseUrl: config.publicBaseUrl });
    const { seedParkingDemoIfEmpty } = await import('./seed/demo-parking.js');
    await seedParkingDemoIfEmpty({ db: db.kysely, pii, clock });
  }
  return {
    db,
    pii,
    clock,
    modules,
    jobs: runner,
    payments: paymentDeps,
    sandbox: wechat.sandbox,
    sandboxV3: wechat.v3Sandbox,
  };
}
