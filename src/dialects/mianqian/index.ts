import type { FastifyError, FastifyInstance } from 'fastify';
import { isDomainError } from '../../core/domain-error.js';
import { FIELD_LABELS } from '../../modules/loan-orders/loan-order-fields.js';
import type { DialectContext } from '../shared/dialect-context.js';
import { schemaErrorsToFields } from '../shared/validation-errors.js';
import { requireStaff } from './auth.js';
import { fail } from './envelope.js';
import { MIANQIAN_HTTP_STATUS } from './error-map.js';
import { authRoutes } from './routes/auth.routes.js';
import { backOfficeRoutes } from './routes/back-office.routes.js';
import { deskRoutes } from './routes/desk.routes.js';
import { partnerAdminRoutes } from './routes/partner-admin.routes.js';
import { workbenchRoutes } from './routes/workbench.routes.js';

/** URL prefixes of family 1, so the app's 404 can answer in this family's envelope. */
export const MIANQIAN_PREFIXES = ['/order_mianqian/', '/order_mianshen/', '/api/'] as const;

export function mianqianNotFound() {
  return fail('接口不存在');
}

/**
 * Family 1: the 面签 back-office. Registered without fastify-plugin so this error handler is
 * this family's own and never answers for another family.
 */
export async function mianqianDialect(app: FastifyInstance, ctx: DialectContext): Promise<void> {
  app.decorateRequest('staff', null);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isDomainError(error)) {
      return reply.status(MIANQIAN_HTTP_STATUS[error.code]).send(fail(error.message, error.fields));
    }
    if (error.validation) {
      const fields = schemaErrorsToFields(error.validation, FIELD_LABELS);
      return reply.status(200).send(fail(fields[0]?.error ?? '参数错误', fields));
    }
    const status = error.statusCode ?? 500;
    if (status < 500) {
      const msg = status === 413 ? '请求体过大' : status === 415 ? '不支持的请求格式' : '请求体无法解析';
      return reply.status(status).send(fail(msg));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(fail('服务器内部错误'));
  });

  authRoutes(app, ctx);
  await app.register(async (protectedApp) => {
    protectedApp.addHook('preHandler', requireStaff(ctx));
    workbenchRoutes(protectedApp, ctx);
    deskRoutes(protectedApp, ctx);
    backOfficeRoutes(protectedApp, ctx);
    await protectedApp.register(async (adminApp) => partnerAdminRoutes(adminApp, ctx));
  });
}
