import type { FastifyError, FastifyInstance } from 'fastify';
import { isDomainError } from '../../core/domain-error.js';
import { LEASE_FIELD_LABELS } from '../../modules/leases/index.js';
import type { DialectContext } from '../shared/dialect-context.js';
import { schemaErrorsToFields } from '../shared/validation-errors.js';
import { requireTenant } from './auth.js';
import { fail } from './envelope.js';
import { RENTAL_HTTP_STATUS } from './error-map.js';
import { rentalRoutes } from './routes/rental.routes.js';
import { tenantAuthRoutes } from './routes/tenant-auth.routes.js';

export const RENTAL_PREFIXES = ['/user_contract/', '/user_order/', '/user_auth/'] as const;

export function rentalNotFound() {
  return fail('接口不存在');
}

/** Family 2: the tenant's long-term rental app. Its own error handler, its own envelope. */
export async function rentalDialect(app: FastifyInstance, ctx: DialectContext): Promise<void> {
  app.decorateRequest('tenant', null);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isDomainError(error))
      return reply.status(RENTAL_HTTP_STATUS[error.code]).send(fail(error.message, error.fields));
    if (error.validation) {
      const fields = schemaErrorsToFields(error.validation, LEASE_FIELD_LABELS);
      return reply.status(200).send(fail(fields[0]?.error ?? '参数错误!', fields));
    }
    const status = error.statusCode ?? 500;
    if (status < 500) return reply.status(status).send(fail(status === 413 ? '请求体过大' : '参数错误!'));
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(fail('服务器内部错误'));
  });
  tenantAuthRoutes(app, ctx);
  await app.register(async (tenantApp) => {
    tenantApp.addHook('preHandler', requireTenant(ctx));
    rentalRoutes(tenantApp, ctx);
  });
}
