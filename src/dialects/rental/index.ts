import type { FastifyInstance } from 'fastify';
import { LEASE_FIELD_LABELS } from '../../modules/leases/index.js';
import type { FamilyRefusal } from '../shared/client-mistakes.js';
import type { DialectContext } from '../shared/dialect-context.js';
import { ENVELOPE_HTTP_STATUS } from '../shared/envelope-http-status.js';
import { guardFieldFamily } from '../shared/field-family.js';
import { requireTenant } from './auth.js';
import { fail } from './envelope.js';
import { TENANT_AUTH_ROUTES, TENANT_ROUTES } from './routes/index.js';

/** Family 2's URLs and envelope, so the app's 404 and URL refusals answer in it. */
export const rentalRefusal: FamilyRefusal = {
  prefixes: ['/user_contract/', '/user_order/', '/user_auth/'],
  refuse: (reply, mistake) => reply.status(mistake.status).send(fail(mistake.message)),
};

/** Family 2: the tenant's long-term rental app. Its own error handler, its own envelope. */
export async function rentalDialect(app: FastifyInstance, ctx: DialectContext): Promise<void> {
  app.decorateRequest('tenant', null);
  guardFieldFamily(app, {
    refusal: rentalRefusal,
    httpStatus: ENVELOPE_HTTP_STATUS,
    fail,
    labels: LEASE_FIELD_LABELS,
    invalidMessage: '参数错误!',
  });
  for (const route of TENANT_AUTH_ROUTES) route(app, ctx);
  await app.register(async (tenantApp) => {
    tenantApp.addHook('preHandler', requireTenant(ctx));
    for (const route of TENANT_ROUTES) route(tenantApp, ctx);
  });
}
