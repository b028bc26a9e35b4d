import type { FastifyError, FastifyInstance } from 'fastify';
import { isDomainError } from '../../core/domain-error.js';
import { LEASE_FIELD_LABELS } from '../../modules/leases/index.js';
import {
  clientMistake,
  type FamilyRefusal,
  logClientMistake,
  readMissingBodyAsEmpty,
  refuseNulCharacters,
} from '../shared/client-mistakes.js';
import type { DialectContext } from '../shared/dialect-context.js';
import { schemaErrorsToFields } from '../shared/validation-errors.js';
import { requireTenant } from './auth.js';
import { fail } from './envelope.js';
import { RENTAL_HTTP_STATUS } from './error-map.js';
import { rentalRoutes } from './routes/rental.routes.js';
import { tenantAuthRoutes } from './routes/tenant-auth.routes.js';

/** Family 2's URLs and envelope, so the app's 404 and URL refusals answer in it. */
export const rentalRefusal: FamilyRefusal = {
  prefixes: ['/user_contract/', '/user_order/', '/user_auth/'],
  refuse: (reply, mistake) => reply.status(mistake.status).send(fail(mistake.message)),
};

/** Family 2: the tenant's long-term rental app. Its own error handler, its own envelope. */
export async function rentalDialect(app: FastifyInstance, ctx: DialectContext): Promise<void> {
  app.decorateRequest('tenant', null);
  // The app posts forms or JSON; Fastify's default text/plain parser would hand a route a
  // string, refused as one error on field "" instead of a 415.
  app.removeContentTypeParser('text/plain');
  app.addHook('preValidation', readMissingBodyAsEmpty);
  app.addHook('preValidation', refuseNulCharacters);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isDomainError(error))
      return reply.status(RENTAL_HTTP_STATUS[error.code]).send(fail(error.message, error.fields));
    const mistake = clientMistake(error);
    if (mistake) {
      logClientMistake(request, error, mistake);
      return rentalRefusal.refuse(reply, mistake);
    }
    if (error.validation) {
      const fields = schemaErrorsToFields(error.validation, LEASE_FIELD_LABELS);
      return reply.status(200).send(fail(fields[0]?.error ?? '参数错误!', fields));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(fail('服务器内部错误'));
  });
  tenantAuthRoutes(app, ctx);
  await app.register(async (tenantApp) => {
    tenantApp.addHook('preHandler', requireTenant(ctx));
    rentalRoutes(tenantApp, ctx);
  });
}
