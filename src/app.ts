import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { sql } from 'kysely';
import type { DestinationStream } from 'pino';
import type { Config } from './config.js';
import { mianqianDialect, mianqianRefusal } from './dialects/mianqian/index.js';
import { partnerDialect, partnerRefusal } from './dialects/partner/index.js';
import { devSandboxRoutes } from './dialects/payments/dev-sandbox.routes.js';
import {
  paymentsNotifyRoutes,
  paymentsV3NotifyRoutes,
  WECHAT_NOTIFY_PATH,
  WECHAT_V3_NOTIFY_PATH,
  wechatNotifyRefusal,
  wechatV3NotifyRefusal,
} from './dialects/payments/notify.routes.js';
import { rentalDialect, rentalRefusal } from './dialects/rental/index.js';
import {
  type ClientMistake,
  clientMistake,
  type FamilyRefusal,
  logClientMistake,
  NOT_FOUND,
} from './dialects/shared/client-mistakes.js';
import type { DialectContext } from './dialects/shared/dialect-context.js';
import { migrateToLatest } from './migrations.js';
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
import { JobRunner } from './platform/jobs/job-runner.js';
import { lazyValidatorCompiler } from './platform/lazy-validators.js';
import { forgetIdleKeys } from './platform/limits/key-lock.js';
import { loggerOptions } from './platform/logger.js';
import { packageRoot } from './platform/package-root.js';
import { createPii, loadPiiKey } from './platform/pii.js';
import { SessionCache } from './platform/session-cache.js';
import { logSmsSender, type SmsSender } from './platform/sms/sms-sender.js';
import type { NotifyDelivery } from './platform/wechat-pay/sandbox.js';
import type { V3NotifyDelivery } from './platform/wechat-pay/sandbox-v3.js';
import { createWechatGateway } from './platform/wechat-pay/wechat-setup.js';

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
  /** Where log lines go instead of standard output (tests read them for error-level lines). */
  logStream?: DestinationStream;
}

/**
 * Refusals made outside any route (an unknown URL, one Fastify cannot decode) speak the
 * envelope of the family whose URL it is; the v3 notify comes before the v2 one, whose prefix
 * contains it.
 */
const FAMILIES: readonly FamilyRefusal[] = [
  mianqianRefusal,
  rentalRefusal,
  partnerRefusal,
  wechatV3NotifyRefusal,
  wechatNotifyRefusal,
];

const neutralRefusal = (reply: FastifyReply, mistake: ClientMistake) =>
  reply.status(mistake.status).send({ code: mistake.status, msg: mistake.message });

function refuseByUrl(request: FastifyRequest, reply: FastifyReply, mistake: ClientMistake): FastifyReply {
  const family = FAMILIES.find((f) => f.prefixes.some((p) => request.url.startsWith(p)));
  return family ? family.refuse(reply, mistake) : neutralRefusal(reply, mistake);
}

const INTERNAL_ERROR: ClientMistake = { status: 500, message: '服务器内部错误' };

/**
 * Fastify's router refuses a URL it cannot decode or a path parameter over maxParamLength
 * before any hook runs, so this sets the request id the onRequest hook would have.
 */
function refuseUnroutable(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-request-id', request.id);
  const mistake = clientMistake(error);
  if (mistake) {
    logClientMistake(request, error, mistake);
    refuseByUrl(request, reply, mistake);
    return;
  }
  request.log.error({ err: error }, 'router failed');
  neutralRefusal(reply, INTERNAL_ERROR);
}

const MALFORMED: Readonly<Record<string, ClientMistake>> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: '请求超时' },
  HPE_HEADER_OVERFLOW: { status: 431, message: '请求头过大' },
};

/**
 * HTTP that Node cannot parse never becomes a request: no hook, no family, no logger binding.
 * Answered as Fastify's own handler does, but with a request id and a Chinese neutral body.
 */
function refuseMalformedHttp(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const mistake = (error.code && MALFORMED[error.code]) || { status: 400, message: '请求无法解析' };
  const body = JSON.stringify({ code: mistake.status, msg: mistake.message });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${mistake.status} ${STATUS_CODES[mistake.status]}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `x-request-id: ${randomUUID()}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

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
      synchronous: config.sqliteSynchronous,
      poolSize: config.databasePoolSize,
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
  const jobs = new JobRunner(
    db.kysely,
    clock,
    [
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
    ],
    (error, job) => logError(`job ${job} failed: ${error instanceof Error ? error.message : String(error)}`),
  );
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
  // The demo's generator is loaded only by a server asked to seed it.
  if (config.demo) await (await import('./seed/demo.js')).seedDemoIfEmpty(ctx);

  const app = Fastify({
    logger: { ...loggerOptions(config.logLevel), stream: options.logStream },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { allErrors: true, coerceTypes: false } },
    schemaController: { compilersFactory: { buildValidator: lazyValidatorCompiler() } },
    trustProxy: config.trustProxy === false ? false : [...config.trustProxy],
    frameworkErrors: refuseUnroutable,
    clientErrorHandler: refuseMalformedHttp,
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
          "Five property-finance API families over one core. Each family's rules: docs/ in the repository (one page per family).",
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
  await app.register(async (scope) => devSandboxRoutes(scope, ctx));
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

  app.setNotFoundHandler((request, reply) => refuseByUrl(request, reply, NOT_FOUND));
  // Each family's routes have their own handler; this one answers the app's own routes and the
  // 404 route, whose body Fastify parses before it knows the URL is unknown.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const mistake = request.is404
      ? NOT_FOUND
      : (clientMistake(error) ?? (error.validation ? { status: 400, message: '请求参数不正确' } : undefined));
    if (mistake) {
      logClientMistake(request, error, mistake);
      return refuseByUrl(request, reply, mistake);
    }
    request.log.error({ err: error }, 'unhandled error');
    return neutralRefusal(reply, INTERNAL_ERROR);
  });
  return app;
}
