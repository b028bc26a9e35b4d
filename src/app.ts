import { randomUUID } from 'node:crypto';
import path from 'node:path';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Config } from './config.js';
import { MIANQIAN_PREFIXES, mianqianDialect, mianqianNotFound } from './dialects/mianqian/index.js';
import { partnerDialect } from './dialects/partner/index.js';
import {
  paymentsNotifyRoutes,
  paymentsV3NotifyRoutes,
  WECHAT_NOTIFY_PATH,
  WECHAT_V3_NOTIFY_PATH,
} from './dialects/payments/notify.routes.js';
import { RENTAL_PREFIXES, rentalDialect, rentalNotFound } from './dialects/rental/index.js';
import type { DialectContext } from './dialects/shared/dialect-context.js';
import { expireUnpaidLeases, LEASE_PAYMENT_HOOKS, markOverdueLeases } from './modules/leases/index.js';
import {
  type CallbackTransport,
  deliverCallbacks,
  forgetOldSignatures,
  httpCallbackTransport,
} from './modules/partner/index.js';
import { type PaymentDeps, reconcilePayments } from './modules/payments/index.js';
import { deleteExpiredSessions } from './modules/staff/index.js';
import { type Clock, systemClock } from './platform/clock.js';
import { type Db, openDatabase } from './platform/db/database.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { JobRunner } from './platform/jobs/job-runner.js';
import { forgetIdleKeys } from './platform/limits/key-lock.js';
import { loggerOptions } from './platform/logger.js';
import { packageRoot } from './platform/package-root.js';
import { createPii, loadPiiKey } from './platform/pii.js';
import { SessionCache } from './platform/session-cache.js';
import { logSmsSender, type SmsSender } from './platform/sms/sms-sender.js';
import type { NotifyDelivery } from './platform/wechat-pay/sandbox.js';
import type { V3NotifyDelivery } from './platform/wechat-pay/sandbox-v3.js';
import { createWechatGateway } from './platform/wechat-pay/wechat-setup.js';
import { seedDemoIfEmpty } from './seed/demo.js';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: DialectContext;
  }
}

export interface BuildOptions {
  clock?: Clock;
  /** An already-open database (tests share one per file); otherwise config.databaseUrl is opened. */
  db?: Db;
  /** Where SMS goes; by default the development sender that writes codes to the log. */
  sms?: SmsSender;
  /** How callbacks reach partners; HTTP by default. */
  callbackTransport?: CallbackTransport;
  /** Run the periodic jobs on a timer (`fangtong serve`); tests drive them with `jobs.tick()`. */
  startJobs?: boolean;
}

/** Each family's 404 speaks its own envelope; anything else gets a neutral one. */
const NOT_FOUND: ReadonlyArray<{ prefixes: readonly string[]; body: () => unknown }> = [
  { prefixes: MIANQIAN_PREFIXES, body: mianqianNotFound },
  { prefixes: RENTAL_PREFIXES, body: rentalNotFound },
];

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  // The logger exists once the app does; what is said before that waits for it.
  const early: string[] = [];
  let log = (message: string) => {
    early.push(message);
  };
  let logError = log;
  const db =
    options.db ??
    openDatabase(config.databaseUrl, {
      onBackgroundError: (error) => log(`database: ${error.message}`),
      backgroundCheckpoints: true,
    });
  const ownsDb = !options.db;
  await migrateToLatest(db.kysely, db.dialect);
  const pii = createPii(loadPiiKey(config.piiKey, config.dataDir));
  const clock = options.clock ?? systemClock;
  // The sandbox delivers notifies into this very app; it is bound once the app exists.
  let deliverInProcess: NotifyDelivery = async () => {
    throw new Error('app not ready');
  };
  let deliverV3InProcess: V3NotifyDelivery = async () => {
    throw new Error('app not ready');
  };
  const wechatSetup = createWechatGateway(
    config,
    (url, xml) => deliverInProcess(url, xml),
    (url, headers, body) => deliverV3InProcess(url, headers, body),
    clock,
  );
  const payments: PaymentDeps = {
    db: db.kysely,
    clock,
    wechat: wechatSetup.gateway,
    notifyUrl: new URL(WECHAT_NOTIFY_PATH, config.publicBaseUrl).toString(),
    wechatV3: wechatSetup.v3,
    v3NotifyUrl: new URL(WECHAT_V3_NOTIFY_PATH, config.publicBaseUrl).toString(),
    hooks: { ...LEASE_PAYMENT_HOOKS },
  };
  const jobs = new JobRunner(db.kysely, clock, [
    {
      name: 'payments.reconcile',
      intervalMs: 60_000,
      run: (now) => reconcilePayments(payments, now).then(() => {}),
    },
    {
      name: 'staff.sessions.purge',
      intervalMs: 3_600_000,
      run: (now) => deleteExpiredSessions(db.kysely, now).then(() => {}),
    },
    {
      name: 'partner.deliver-callbacks',
      intervalMs: 10_000,
      run: (now) =>
        deliverCallbacks(
          { db: db.kysely, pii },
          options.callbackTransport ?? httpCallbackTransport,
          now,
        ).then(() => {}),
    },
    {
      name: 'partner.forget-signatures',
      intervalMs: 10 * 60_000,
      run: (now) => forgetOldSignatures(db.kysely, now, config.partnerReplayMs),
    },
    {
      name: 'limits.forget-idle-keys',
      intervalMs: 3_600_000,
      run: (now) => forgetIdleKeys(db.kysely, now).then(() => {}),
    },
    {
      name: 'leases.expire-unpaid',
      intervalMs: 5 * 60_000,
      run: (now) => expireUnpaidLeases(db.kysely, now).then(() => {}),
    },
    {
      name: 'leases.mark-overdue',
      intervalMs: 3_600_000,
      run: (now) => markOverdueLeases(db.kysely, now).then(() => {}),
    },
  ], (error, job) => logError(`job ${job} failed: ${error instanceof Error ? error.message : String(error)}`));
  // SMS goes to the app's log in development.
  const sms = options.sms ?? logSmsSender((message) => log(message));
  const ctx: DialectContext = {
    db: db.kysely,
    pii,
    clock,
    config,
    payments,
    sandbox: wechatSetup.sandbox,
    sandboxV3: wechatSetup.v3Sandbox,
    jobs,
    sms,
    staffSessions: new SessionCache(config.sessionCacheMs),
  };
  if (config.demo) await seedDemoIfEmpty(ctx);

  const app = Fastify({
    logger: loggerOptions(config.logLevel),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { allErrors: true, coerceTypes: false } },
    trustProxy: config.trustProxy === false ? false : [...config.trustProxy],
  });
  app.decorate('ctx', ctx);
  // Response schemas document the families in OpenAPI; serialising through them would make
  // fast-json-stringify validate every union (success | failure) with Ajv on each reply.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  log = (message) => app.log.warn(message);
  logError = (message) => app.log.error(message);
  for (const message of early.splice(0)) log(message);
  // Set as the request arrives, so every answer carries it, errors and 404s included.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  if (ownsDb) app.addHook('onClose', async () => db.close());

  await app.register(formbody);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Fangtong',
        version: '0.1.0',
        description:
          "Five property-finance API families over one core. See the README for each family's rules.",
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(db.kysely);
      return { status: 'ok', database: db.dialect, jobs: await jobs.status() };
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: db.dialect });
    }
  });

  await app.register(async (scope) => mianqianDialect(scope, ctx));
  await app.register(async (scope) => rentalDialect(scope, ctx));
  await app.register(async (scope) => partnerDialect(scope, ctx));
  await app.register(async (scope) => paymentsNotifyRoutes(scope, ctx));
  await app.register(async (scope) => paymentsV3NotifyRoutes(scope, ctx));
  deliverInProcess = async (url, xml) => {
    const response = await app.inject({
      method: 'POST',
      url: new URL(url).pathname,
      headers: { 'content-type': 'text/xml' },
      payload: xml,
    });
    return response.body;
  };
  deliverV3InProcess = async (url, headers, body) => {
    const response = await app.inject({
      method: 'POST',
      url: new URL(url).pathname,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: body,
    });
    return response.statusCode;
  };
  // A running job finishes before the database closes under it.
  app.addHook('onClose', async () => jobs.stop());
  if (options.startJobs) jobs.start(config.jobs.pollMs);

  // The back-office pages: static files over the family-1 API, logged in by the session cookie.
  await app.register(fastifyStatic, { root: path.join(packageRoot(), 'web'), prefix: '/app/' });
  app.get('/', { schema: { hide: true } }, (_request, reply) => reply.redirect('/app/index.html'));

  app.setNotFoundHandler((request, reply) => {
    const family = NOT_FOUND.find((f) => f.prefixes.some((p) => request.url.startsWith(p)));
    return reply.status(404).send(family ? family.body() : { code: 404, msg: '接口不存在' });
  });
  app.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'unhandled error');
    return reply.status(status).send({ code: status, msg: status >= 500 ? '服务器内部错误' : '请求无效' });
  });
  return app;
}
