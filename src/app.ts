import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from './config.js';
import { escrowDialect } from './dialects/escrow/index.js';
import { mianqianDialect } from './dialects/mianqian/index.js';
import { parkingDialect } from './dialects/parking/index.js';
import { partnerDialect } from './dialects/partner/index.js';
import { devSandboxRoutes } from './dialects/payments/dev-sandbox.routes.js';
import { paymentsWechatNotifyRoute } from './dialects/payments/payments.wechat.notify.route.js';
import { paymentsWechatV3NotifyRoute } from './dialects/payments/payments.wechat.v3.notify.route.js';
import { rentalDialect } from './dialects/rental/index.js';
import { NOT_FOUND } from './dialects/shared/client-mistakes.js';
import type { DialectContext } from './dialects/shared/dialect-context.js';
import { smsReceiptsRoutes } from './dialects/sms/sms-receipts.route.js';
import { backofficePagesRoute } from './http/backoffice-pages.route.js';
import { escrowPagesRoute } from './http/escrow-pages.route.js';
import { healthRoute } from './http/health.route.js';
import { parkingPagesRoute } from './http/parking-pages.route.js';
import {
  refuseByUrl,
  refuseMalformedHttp,
  refuseOutsideFamilies,
  refuseUnroutable,
} from './http/refusals.js';
import { lazyValidatorCompiler } from './platform/lazy-validators.js';
import { loggerOptions } from './platform/logger.js';
import { openRuntime, type Runtime, type RuntimeOptions } from './runtime.js';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: DialectContext;
    runtime: Runtime;
  }
}

export type { Runtime } from './runtime.js';

export interface BuildOptions extends RuntimeOptions {
  /** Run the periodic jobs on a timer (`fangtong serve`); tests drive them with `jobs.tick()`. */
  startJobs?: boolean;
  /** Where log lines go instead of standard output (tests read them for error-level lines). */
  logStream?: DestinationStream;
}

/** The platform and the modules over it (src/runtime.ts), then the HTTP app that serves the families. */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  // The logger exists once the app does; what is said before that waits for it.
  const early: string[] = [];
  let log = (message: string) => {
    early.push(message);
  };
  let logError = log;
  // The sandbox delivers notifies into this very app, through inject once the app exists.
  let app: FastifyInstance | undefined;
  const runtime = await openRuntime(config, options, {
    log: (message) => log(message),
    logError: (message) => logError(message),
    inject: async (url, contentType, payload, headers = {}) => {
      if (!app) throw new Error('app not ready');
      return app.inject({
        method: 'POST',
        url: new URL(url).pathname,
        headers: { ...headers, 'content-type': contentType },
        payload,
      });
    },
  });
  const { db, modules, clock, jobs } = runtime;

  app = await httpApp(config, options.logStream);
  const ctx: DialectContext = {
    modules,
    clock,
    config,
    sandbox: runtime.sandbox,
    sandboxV3: runtime.sandboxV3,
  };
  app.decorate('ctx', ctx);
  app.decorate('runtime', runtime);
  log = (message) => app?.log.warn(message);
  logError = (message) => app?.log.error(message);
  for (const message of early.splice(0)) log(message);
  if (!options.db) app.addHook('onClose', async () => db.close());

  healthRoute(app, db, jobs);
  await app.register(async (scope) => mianqianDialect(scope, ctx));
  await app.register(async (scope) => rentalDialect(scope, ctx));
  await app.register(async (scope) => partnerDialect(scope, ctx));
  await app.register(async (scope) => escrowDialect(scope, ctx));
  await app.register(async (scope) => parkingDialect(scope, ctx));
  await app.register(async (scope) => paymentsWechatNotifyRoute(scope, ctx));
  await app.register(async (scope) => paymentsWechatV3NotifyRoute(scope, ctx));
  await app.register(async (scope) => smsReceiptsRoutes(scope, ctx));
  await app.register(async (scope) => devSandboxRoutes(scope, ctx));
  // A running job finishes before the database closes under it.
  app.addHook('onClose', async () => jobs.stop());
  if (options.startJobs) jobs.start(config.jobs.pollMs);

  // The back office at / (over the family-1 API, logged in by the session cookie) and the H5 pages.
  const backofficePage = await backofficePagesRoute(app);
  await escrowPagesRoute(app);
  await parkingPagesRoute(app);
  app.setNotFoundHandler(
    (request, reply) => backofficePage(request, reply) ?? refuseByUrl(request, reply, NOT_FOUND),
  );
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
