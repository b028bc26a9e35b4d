#!/usr/bin/env node
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { type Config, ConfigError, dialectOf, loadConfig } from './config.js';
import type { Db } from './database.js';
import { ensureDataDir } from './platform/data-dir.js';
import { applyHeapGrowth } from './platform/heap-growth.js';

// Each command imports its modules when it runs: loading the whole server made `fangtong help`
// take 0.7 s, and a command that fails on its settings should say so before any of it loads.

const USAGE = `usage: fangtong <command> [options]

  serve                         run the HTTP server (migrates first; FANGTONG_DEMO=1 loads demo data)
  migrate                       apply pending database migrations
  seed --orders N [--seed S]    append N synthetic loan orders
  staff add --username U --password P --roles r1,r2 [--name 显示名]
                                roles: kefu mianshen mianqian quanzheng shencha zhongshen admin
  wechat-sandbox [--port 3100]  run the WeChat Pay v2 sandbox as its own HTTP server
  sms-sandbox [--port 3200]     run a local Aliyun + Tencent SMS provider that prints what it is sent
  partner add --ua UA --key SIGNKEY [--calls c1,c2|*] [--callback URL]
                                register a loan-marketplace partner (family 4)
  ledger check                  prove the ledger adds up (every account equals its postings, debits = credits)
                                and agrees with WeChat's payments and refunds and the escrow payouts
  isv add --app-key K --secret S [--methods m1,m2|*] [--stores 1,2|*] [--callback URL]
                                register an escrow ISV that calls the TOP gateway (family 3)
  parking reseal                seal the parking documents kept in the clear before they were sealed
                                (uploads and orders' extra infos), with the servers' PII key; exit 1
                                naming any order whose file is missing or could not be sealed
  help                          this text (also fangtong --help, fangtong <command> --help)

Settings come from the environment (README, Configuration): DATABASE_URL, HOST, PORT,
FANGTONG_DATA_DIR, FANGTONG_PII_KEY, FANGTONG_DEMO, NODE_ENV, LOG_LEVEL, WECHAT_PAY_MODE, …`;

/** A command that serves keeps the process alive; the others end with an exit code. */
type Outcome = number | 'serving';

const COMMANDS = new Map<string, (config: Config, args: string[]) => Promise<Outcome>>([
  ['serve', serve],
  ['migrate', migrate],
  ['seed', seed],
  ['staff', staff],
  ['partner', partner],
  ['isv', isv],
  ['parking', parking],
  ['ledger', ledger],
  ['wechat-sandbox', wechatSandbox],
  ['sms-sandbox', smsSandbox],
]);

async function main(argv: string[]): Promise<Outcome> {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('no command given');
  if (command === 'help' || isHelpFlag(command)) return help();
  const run = COMMANDS.get(command);
  if (!run) throw new UsageError(`unknown command: ${command}`);
  if (rest.some(isHelpFlag)) return help();
  return run(loadConfig(), rest);
}

// Only the flags: after a command, the word help may be a value (`staff add --name help`).
function isHelpFlag(arg: string): boolean {
  return arg === '--help' || arg === '-h';
}

function help(): number {
  console.log(USAGE);
  return 0;
}

async function serve(config: Config): Promise<Outcome> {
  prepareDataDir(config);
  // Before the server loads, so that every full collection of its heap leaves it that room.
  applyHeapGrowth(config.heapGrowthPercent);
  const { buildApp } = await import('./app.js');
  const app = await buildApp(config, { startJobs: config.jobs.enabled });
  const shutdown = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await listen(app, config.host, config.port);
  if (config.demo) await logDemoAccounts(app);
  // A trial may choose it, as it may choose the payment sandbox; it must not go unnoticed.
  if (config.env === 'production' && config.parking.oauthMode === 'sandbox')
    app.log.warn(
      'PARKING_OAUTH_MODE=sandbox under NODE_ENV=production: anyone can open the parking page as any WeChat user (?open_id=); set live for real drivers',
    );
  return 'serving';
}

async function migrate(config: Config): Promise<Outcome> {
  await withDatabase(config, async (_db, applied) => {
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  });
  return 0;
}

async function seed(config: Config, args: string[]): Promise<Outcome> {
  const values = options(args, { orders: { type: 'string' }, seed: { type: 'string' } });
  const orders = Number(values.orders);
  if (!Number.isInteger(orders) || orders <= 0)
    throw new UsageError('seed needs --orders N (a positive integer)');
  const seedNumber = values.seed === undefined ? undefined : Number(values.seed);
  if (seedNumber !== undefined && !Number.isInteger(seedNumber))
    throw new UsageError('seed: --seed must be an integer');
  const [{ default: cliProgress }, { loadSyntheticOrders }, { loadPiiKey }] = await Promise.all([
    import('cli-progress'),
    import('./seed/synthetic-orders.js'),
    import('./platform/pii.js'),
  ]);
  await withDatabase(config, async (db) => {
    const bar = new cliProgress.SingleBar(
      {
        format: 'seeding {bar} {percentage}% | {value}/{total} orders | {eta_formatted} left',
        stream: process.stderr,
      },
      cliProgress.Presets.shades_classic,
    );
    const started = Date.now();
    bar.start(orders, 0);
    await loadSyntheticOrders(db, loadPiiKey(config.piiKey, config.dataDir), {
      orders,
      ...(seedNumber === undefined ? {} : { seed: seedNumber }),
      until: Date.now(),
      onProgress: (done) => bar.update(done),
    });
    bar.stop();
    console.log(`seeded ${orders} orders in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
  return 0;
}

async function staff(config: Config, args: string[]): Promise<Outcome> {
  const [sub, ...rest] = args;
  if (sub !== 'add') throw new UsageError('staff: the only subcommand is add');
  const values = options(rest, {
    username: { type: 'string' },
    password: { type: 'string' },
    roles: { type: 'string' },
    name: { type: 'string' },
  });
  const { username, password, roles, name } = values;
  if (!username || !password || !roles)
    throw new UsageError('staff add needs --username, --password and --roles');
  const { createStaff } = await import('./modules/staff/index.js');
  const created = await withDatabase(config, (db) =>
    createStaff(
      db.kysely,
      {
        username,
        password,
        roles: roles.split(',').map((role) => role.trim()),
        ...(name ? { displayName: name } : {}),
      },
      Date.now(),
      'cli',
    ),
  );
  console.log(`created staff #${created.id} ${created.username} (${created.roles.join(', ')})`);
  return 0;
}

async function partner(config: Config, args: string[]): Promise<Outcome> {
  const [sub, ...rest] = args;
  if (sub !== 'add') throw new UsageError('partner: the only subcommand is add');
  const values = options(rest, {
    ua: { type: 'string' },
    key: { type: 'string' },
    calls: { type: 'string' },
    callback: { type: 'string' },
  });
  const { ua, key, calls: callList, callback } = values;
  if (!ua || !key) throw new UsageError('partner add needs --ua and --key');
  const [{ createPartner }, { createPii, loadPiiKey }] = await Promise.all([
    import('./modules/partner/index.js'),
    import('./platform/pii.js'),
  ]);
  const pii = createPii(loadPiiKey(config.piiKey, config.dataDir));
  const calls = !callList || callList === '*' ? '*' : callList.split(',').map((call) => call.trim());
  const created = await withDatabase(config, (db) =>
    createPartner(
      { db: db.kysely, pii },
      { ua, signkey: key, calls, callbackUrl: callback },
      Date.now(),
      'cli',
    ),
  );
  console.log(`created partner #${created.id} ${created.ua}`);
  return 0;
}

/**
 * Exit 0 when every account equals its postings, debits equal credits, every tenant's
 * deposit_held equals their ledger account, and the ledger agrees with what WeChat said (the
 * payments and refunds it settled) and with the payouts; otherwise 1, each disagreement printed.
 */
async function ledger(config: Config, args: string[]): Promise<Outcome> {
  if (args[0] !== 'check' || args.length > 1) throw new UsageError('ledger: the only subcommand is check');
  const [{ checkLedger }, { checkDeposits }, { reconcileWithWechat }] = await Promise.all([
    import('./modules/ledger/index.js'),
    import('./modules/tenants/index.js'),
    import('./modules/reconciliation/index.js'),
  ]);
  const [report, deposits, wechat] = await withDatabase(config, (db) =>
    Promise.all([checkLedger(db.kysely), checkDeposits(db.kysely), reconcileWithWechat(db.kysely)]),
  );
  const { totals } = report;
  console.log(
    `ledger: ${report.accounts} accounts, ${report.transfers} transfers, checked in ${Math.round(report.elapsedMs)} ms; ` +
      `debits ${totals.debitsPosted} / credits ${totals.creditsPosted} fen posted, ` +
      `${totals.debitsPending} / ${totals.creditsPending} pending`,
  );
  const { paid, refunded, refunding } = wechat.wechat;
  console.log(
    `wechat: ${paid.count} payments took ${paid.amount} fen, ${wechat.wechat.cleared} of it into the ledger ` +
      `through wechat:clearing; ${refunded.count} refunds gave back ${refunded.amount} fen, ` +
      `${refunding.count} (${refunding.amount} fen) still asked; ${wechat.payouts.count} payouts paid ` +
      `${wechat.payouts.amount} fen; ${wechat.expectedTransfers} transfers matched by key, checked in ${wechat.elapsedMs} ms`,
  );
  const e = wechat.escrow;
  console.log(
    `escrow: ${e.orders} orders: paid in ${e.paidIn} fen = held ${e.held} + awaiting payout ${e.waiting} ` +
      `+ fees ${e.fee} + paid out ${e.paidOut}`,
  );
  console.log(
    `deposits: ${wechat.deposits.accounts} tenants: ${wechat.deposits.fromWechat} fen in from WeChat, ` +
      `${wechat.deposits.refunded} fen refunded through it`,
  );
  // Tenants' deposit_held is a cached copy of their ledger accounts: it must agree too.
  const problems = [
    ...report.problems,
    ...deposits.disagreements.map((d) => ({ problem: 'deposit_held_differs', ...d })),
    ...wechat.problems,
  ];
  for (const problem of problems) console.log(`DISAGREES ${JSON.stringify(problem)}`);
  console.log(problems.length === 0 ? 'ledger: ok' : `ledger: ${problems.length} disagreement(s)`);
  return problems.length === 0 ? 0 : 1;
}

async function isv(config: Config, args: string[]): Promise<Outcome> {
  const [sub, ...rest] = args;
  if (sub !== 'add') throw new UsageError('isv: the only subcommand is add');
  const values = options(rest, {
    'app-key': { type: 'string' },
    secret: { type: 'string' },
    methods: { type: 'string' },
    stores: { type: 'string' },
    callback: { type: 'string' },
  });
  const { 'app-key': appKey, secret, methods, stores, callback } = values;
  if (!appKey || !secret) throw new UsageError('isv add needs --app-key and --secret');
  const list = (text: string | undefined) =>
    !text || text === '*' ? ('*' as const) : text.split(',').map((item) => item.trim());
  const storeIds = list(stores);
  const [{ createIsv }, { createPii, loadPiiKey }] = await Promise.all([
    import('./modules/escrow/index.js'),
    import('./platform/pii.js'),
  ]);
  const pii = createPii(loadPiiKey(config.piiKey, config.dataDir));
  const created = await withDatabase(config, (db) =>
    createIsv(
      { db: db.kysely, pii },
      {
        appKey,
        secret,
        methods: list(methods),
        storeIds: storeIds === '*' ? '*' : storeIds.map(Number),
        callbackUrl: callback,
      },
      Date.now(),
      'cli',
    ),
  );
  console.log(`created ISV #${created.id} ${created.appKey}`);
  return 0;
}

/**
 * Seals what family 5 kept in the clear before it sealed its documents. It rewrites stored data,
 * so it takes only the servers' key (never a key file made up for it) and proves it first.
 */
async function parking(config: Config, args: string[]): Promise<Outcome> {
  if (args[0] !== 'reseal' || args.length > 1) throw new UsageError('parking: the only subcommand is reseal');
  const [{ resealParkingDocuments, ResealKeyMismatch }, { createPii, loadPiiKey }, { createDiskStorage }] =
    await Promise.all([
      import('./modules/parking/index.js'),
      import('./platform/pii.js'),
      import('./platform/storage/index.js'),
    ]);
  const pii = createPii(loadPiiKey(config.piiKey, config.dataDir, { create: false }));
  const storage = createDiskStorage(config.uploads.dir, pii.fileKey);
  const report = await withDatabase(config, async (db) => {
    try {
      return await resealParkingDocuments({ db: db.kysely, pii, storage });
    } catch (error) {
      if (!(error instanceof ResealKeyMismatch)) throw error;
      throw new ConfigError(`${error.message}: run with the servers' FANGTONG_PII_KEY; nothing was changed`);
    }
  });
  for (const m of report.missing)
    console.error(
      `MISSING order ${m.orderId} slot ${m.slot}: no file ${m.storageKey} in ${config.uploads.dir}`,
    );
  for (const f of report.failed)
    console.error(
      `FAILED order ${f.orderId} slot ${f.slot}: file ${f.storageKey} left as it was: ${f.error}`,
    );
  console.log(
    `parking reseal: files ${report.files.sealed} sealed, ${report.files.already} already sealed, ` +
      `${report.missing.length} missing, ${report.failed.length} failed; extra infos ${report.extraInfos} sealed`,
  );
  return report.missing.length + report.failed.length === 0 ? 0 : 1;
}

async function wechatSandbox(config: Config, args: string[]): Promise<Outcome> {
  const values = options(args, { port: { type: 'string' } });
  const port = Number(values.port ?? '3100');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError('wechat-sandbox: --port must be a port number 0-65535');
  }
  const { buildSandboxServer } = await import('./platform/wechat-pay/sandbox-server.js');
  const { app } = buildSandboxServer([{ ...config.wechat, signType: 'MD5' }]);
  await listen(app, '127.0.0.1', port);
  return 'serving';
}

/**
 * A local stand-in for both SMS providers, for a development server configured with
 * SMS_PROVIDER=aliyun or tencent and the endpoint it prints: it checks each request's signature
 * as the cloud would and prints every message it takes.
 */
async function smsSandbox(_config: Config, args: string[]): Promise<Outcome> {
  const values = options(args, { port: { type: 'string' } });
  const port = Number(values.port ?? '3200');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError('sms-sandbox: --port must be a port number 0-65535');
  }
  const { startSmsSandbox, SANDBOX_SMS_CREDENTIALS: keys } = await import('./platform/sms/sms-sandbox.js');
  const sandbox = await startSmsSandbox({
    port,
    credentials: keys,
    onMessage: (m) =>
      console.log(
        `${m.provider} → ${m.phone} 【${m.signName}】template ${m.templateId} ${JSON.stringify(m.params)}`,
      ),
  });
  console.log(`SMS sandbox on ${sandbox.url}; point a server at it with, for Aliyun:
  SMS_PROVIDER=aliyun ALIYUN_SMS_ENDPOINT=${sandbox.url} ALIYUN_ACCESS_KEY_ID=${keys.aliyun.accessKeyId} ALIYUN_ACCESS_KEY_SECRET=${keys.aliyun.accessKeySecret}
or for Tencent:
  SMS_PROVIDER=tencent TENCENT_SMS_ENDPOINT=${sandbox.url} TENCENT_SECRET_ID=${keys.tencent.secretId} TENCENT_SECRET_KEY=${keys.tencent.secretKey} TENCENT_SMS_SDK_APP_ID=1400000000
and SMS_SIGN_NAME=房通 SMS_TEMPLATE_LOGIN=SMS_1001 SMS_TEMPLATE_BIND_CARD=SMS_1002`);
  const stop = async () => {
    await sandbox.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return 'serving';
}

/**
 * Opens and migrates the configured database for one command. On a fresh machine the default
 * database's folder, FANGTONG_DATA_DIR, is made for it; any other missing folder is refused.
 */
async function withDatabase<T>(config: Config, use: (db: Db, applied: string[]) => Promise<T>): Promise<T> {
  prepareDataDir(config);
  const [{ openDatabase }, { migrateToLatest }] = await Promise.all([
    import('./database.js'),
    import('./migrations.js'),
  ]);
  const db = openDatabase(config.databaseUrl, {
    synchronous: config.sqliteSynchronous,
    poolSize: config.databasePoolSize,
  });
  try {
    return await use(db, await migrateToLatest(db.kysely, db.dialect));
  } finally {
    await db.close();
  }
}

function prepareDataDir(config: Config): void {
  if (dialectOf(config.databaseUrl) !== 'sqlite') return;
  const file = path.resolve(config.databaseUrl.slice('sqlite:'.length));
  if (path.dirname(file) === config.dataDir) ensureDataDir(config.dataDir);
}

// Why a server could not take its address, in the words of the setting that fixes it.
const LISTEN_FAILURES: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the port is in use (stop what holds it, or set PORT)',
  EACCES: 'permission denied (ports below 1024 need privileges; set PORT)',
  EADDRNOTAVAIL: 'HOST is not an address of this machine',
  ENOTFOUND: 'HOST does not resolve to an address',
  EAI_AGAIN: 'HOST could not be looked up',
};

async function listen(app: FastifyInstance, host: string, port: number): Promise<void> {
  try {
    await app.listen({ host, port });
  } catch (error) {
    const why = LISTEN_FAILURES[(error as NodeJS.ErrnoException).code ?? ''];
    if (!why) throw error;
    await app.close();
    throw new ConfigError(`cannot listen on ${host.includes(':') ? `[${host}]` : host}:${port}: ${why}`);
  }
}

/** A newcomer's first question after `FANGTONG_DEMO=1 npm start`: how do I log in? */
async function logDemoAccounts(app: FastifyInstance): Promise<void> {
  const [{ STAFF_ROLES }, { DEMO_PASSWORD }] = await Promise.all([
    import('./modules/staff/index.js'),
    import('./seed/demo.js'),
  ]);
  // The demo seed names one account per role demo-<role>; only those it made are listed.
  const demoNames = new Set(STAFF_ROLES.map((role) => `demo-${role}`));
  const accounts = (await app.runtime.modules.staff.list()).filter((member) =>
    demoNames.has(member.username),
  );
  app.log.info(
    accounts.length
      ? `demo accounts (development password "${DEMO_PASSWORD}"): ${accounts
          .map((member) => `${member.username} (${member.roles.join(', ')})`)
          .join(', ')}`
      : 'demo mode: the database already held data, so no demo accounts were made',
  );
}

function options<T extends Record<string, { type: 'string' }>>(args: string[], spec: T) {
  try {
    return parseArgs({ args, options: spec }).values;
  } catch (error) {
    // parseArgs says what was wrong (an unknown option, a missing value); the usage says the rest.
    throw new UsageError((error as Error).message);
  }
}

class UsageError extends Error {}

/** The operator's problem, found anywhere along the error's causes. */
function configErrorIn(error: unknown): ConfigError | undefined {
  let current = error;
  for (let depth = 0; current instanceof Error && depth < 10; depth++) {
    if (current instanceof ConfigError) return current;
    current = current.cause;
  }
  return undefined;
}

function report(error: unknown): number {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  const configError = configErrorIn(error);
  if (configError) {
    console.error(`fangtong: ${configError.message}`);
    return 1;
  }
  if (error instanceof Error && 'fields' in error) {
    const fields = (error as { fields: Array<{ field: string; error: string }> }).fields;
    console.error(fields.map((f) => `${f.field}: ${f.error}`).join('\n') || error.message);
    return 1;
  }
  console.error(error);
  return 1;
}

main(process.argv.slice(2)).then(
  (outcome) => {
    if (outcome !== 'serving') process.exitCode = outcome;
  },
  // Exit at once: a half-started server may hold a database worker or pool that would keep the
  // process alive after it has said why it cannot run.
  (error: unknown) => process.exit(report(error)),
);
