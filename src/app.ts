import { randomUUID } from 'node:crypto';
import path from 'node:path';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { type AppModules, composeModules } from './composition.js';
import type { Config } from './config.js';
import { type Db, openDatabase } from './database.js';
import { escrowDialect } from './dialects/escrow/index.js';
import { mianqianDialect } from './dialects/mianqian/index.js';
import { partnerDialect } from './dialects/partner/index.js';
import { devSandboxRoutes } from './dialects/payments/dev-sandbox.routes.js';
import { paymentsWechatNotifyRoute } from './dialects/payments/payments.wechat.notify.route.js';
import { paymentsWechatV3NotifyRoute } from './dialects/payments/payments.wechat.v3.notify.route.js';
import { rentalDialect } from './dialects/rental/index.js';
import { NOT_FOUND } from './dialects/shared/client-mistakes.js';
import type { DialectContext } from './dialects/shared/dialect-context.js';
import { smsReceiptsRoutes } from './dialects/sms/sms-receipts.route.js';
import { escrowPagesRoute } from './http/escrow-pages.route.js';
import { healthRoute } from './http/health.route.js';
import {
  refuseByUrl,
  refuseMalformedHttp,
  refuseOutsideFamilies,
  refuseUnroutable,
} from './http/refusals.js';
import { migrateToLatest } from './migrations.js';
import { type CallbackTransport, httpCallbackTransport } from './modules/partner/index.js';
import type { PaymentDeps } from './modules/payments/index.js';
import { type Clock, systemClock } from './platform/clock.js';
import { JobRunner } from './platform/jobs/job-runner.js';
import { lazyValidatorCompiler } from './platform/lazy-validators.js';
import { loggerOptions } from './platform/logger.js';
import { packageRoot } from './platform/package-root.js';
import { createPii, loadPiiKey, type Pii } from './platform/pii.js';
import { createSmsChannel } from './platform/sms/sms-channel.js';
import type { SmsProvider } from './platform/sms/sms-provider.js';
import type { WechatPaySandbox } from './platform/wechat-pay/sandbox.js';
import type { WechatPayV3Sandbox } from './platform/wechat-pay/sandbox-v3.js';
import { createWechatGateway } from './platform/wechat-pay/wechat-setup.js';

/**
 * What the running app is made of, for the commands and the tests that operate it from outside
 * HTTP (seeding, driving jobs, playing WeChat); routes get only `ctx`.
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

declare module 'fastify' {
  interface FastifyInstance {
    ctx: DialectContext;
    runtime: Runtime;
  }
}

export interface BuildOptions {
  clock?: Clock;
  /** An already-open database (tests share one per file); otherwise config.databaseUrl is opened. */
  db?: Db;
  /** Who carries text messages instead of the configured provider (tests read what was sent). */
  sms?: SmsProvider;
  /** How callbacks reach partners; HTTP by default. */
  callbackTransport?: CallbackTransport;
  /** Run the periodic jobs on a timer (`fangtong serve`); tests drive them with `jobs.tick()`. */
  startJobs?: boolean;
  /** Where log lines go instead of standard output (tests read them for error-level lines). */
  logStream?: DestinationStream;
}

/** The platform, the modules over it, then the HTTP app that serves the families. */
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
  await migrateToLatest(db.kysely, db.dialect);
  const pii = createPii(loadPiiKey(config.piiKey, config.dataDir));
  const clock = options.clock ?? systemClock;
  // The sandbox delivers notifies into this very app, through inject once the app exists.
  let app: FastifyInstance | undefined;
  const inject = async (url: string, contentType: string, payload: string, headers = {}) => {
    if (!app) throw new Error('app not ready');
    return app.inject({
      method: 'POST',
      url: new URL(url).pathname,
      headers: { ...headers, 'content-type': contentType },
      payload,
    });
  };
  const wechat = createWechatGateway(
    config,
    async (url, xml) => (await inject(url, 'text/xml', xml)).body,
    async (url, headers, body) => (await inject(url, 'application/json', body, headers)).statusCode,
    clock,
  );
  const {
    modules,
    jobs: jobDefinitions,
    paymentDeps,
  } = composeModules(config, {
    db: db.kysely,
    clock,
    pii,
    // SMS goes to the app's log in development.
    sms: options.sms
      ? { provider: options.sms, signName: config.sms.signName, templates: config.sms.templates }
      : await createSmsChannel(config.sms, (message) => log(message)),
    wechat,
    callbackTransport: options.callbackTransport ?? httpCallbackTransport,
  });
  const jobs = new JobRunner(db.kysely, clock, jobDefinitions, (error, job) =>
    logError(`job ${job} failed: ${error instanceof Error ? error.message : String(error)}`),
  );
  // The demo's generator is loaded only by a server asked to seed it.
  if (config.demo)
    await (await import('./seed/demo.js')).seedDemoIfEmpty({
      db: db.kysely,
      pii,
      clock,
      publicBaseUrl: config.publicBaseUrl,
    });

  app = await httpApp(config, options.logStream);
  const ctx: DialectContext = { modules, clock, config, sandbox: wechat.sandbox };
  app.decorate('ctx', ctx);
  app.decorate('runtime', {
    db,
    pii,
    clock,
    modules,
    jobs,
    payments: paymentDeps,
    sandbox: wechat.sandbox,
    sandboxV3: wechat.v3Sandbox,
  } satisfies Runtime);
  log = (message) => app?.log.warn(message);
  logError = (message) => app?.log.error(message);
  for (const message of early.splice(0)) log(message);
  if (!options.db) app.addHook('onClose', async () => db.close());

  healthRoute(app, db, jobs);
  await app.register(async (scope) => mianqianDialect(scope, ctx));
  await app.register(async (scope) => rentalDialect(scope, ctx));
  await app.register(async (scope) => partnerDialect(scope, ctx));
  await app.register(async (scope) => escrowDialect(scope, ctx));
  await app.register(async (scope) => paymentsWechatNotifyRoute(scope, ctx));
  await app.register(async (scope) => paymentsWechatV3NotifyRoute(scope, ctx));
  await app.register(async (scope) => smsReceiptsRoutes(scope, ctx));
  await app.register(async (scope) => devSandboxRoutes(scope, ctx));
  // A running job finishes before the database closes under it.
  app.addHook('onClose', async () => jobs.stop());
  if (options.startJobs) jobs.start(config.jobs.pollMs);

  // The back-office pages: static files over the family-1 API, logged in by the session cookie.
  await app.register(fastifyStatic, { root: path.join(packageRoot(), 'web'), prefix: '/app/' });
  await escrowPagesRoute(app);
  app.get('/', { schema: { hide: true } }, (_request, reply) => reply.redirect('/app/index.html'));
  app.setNotFoundHandler((request, reply) => refuseByUrl(request, reply, NOT_FOUND));
  app.setErrorHandler(refuseOutsideFamilies);
  return app;
}

/** The HTTP server every family shares: logging, request ids, parsers, refusals, the API docs. */
async function httpApp(config: Config, logStream: DestinationStream | undefined): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { ...loggerOptions(config.logLevel), stream: logStream },
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
  // Response schemas document the families in OpenAPI; serialising through them would make
  // fast-json-stringify validate every union (success | failure) with Ajv on each reply.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // Set as the request arrives, so every answer carries it, errors and 404s included.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
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
  return app;
}
