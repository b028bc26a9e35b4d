import type { FastifyError, FastifyInstance } from 'fastify';
import { isDomainError } from '../../core/domain-error.js';
import {
  clientMistake,
  type FamilyRefusal,
  logClientMistake,
  readMissingBodyAsEmpty,
  refuseNulCharacters,
} from '../shared/client-mistakes.js';
import type { DialectContext } from '../shared/dialect-context.js';
import { schemaErrorsToFields } from '../shared/validation-errors.js';
import { requireStaff } from './auth.js';
import { BACK_OFFICE_LABELS } from './back-office-labels.js';
import { fail } from './envelope.js';
import { MIANQIAN_HTTP_STATUS } from './error-map.js';
import { authRoutes } from './routes/auth.routes.js';
import { backOfficeRoutes } from './routes/back-office.routes.js';
import { deskRoutes } from './routes/desk.routes.js';
import { partnerAdminRoutes } from './routes/partner-admin.routes.js';
import { workbenchRoutes } from './routes/workbench.routes.js';

/** Family 1's URLs and envelope, so the app's 404 and URL refusals answer in it. */
export const mianqianRefusal: FamilyRefusal = {
  prefixes: ['/order_mianqian/', '/order_mianshen/', '/api/'],
  refuse: (reply, mistake) => reply.status(mistake.status).send(fail(mistake.message)),
};

/**
 * Family 1: the 面签 back-office. Registered without fastify-plugin so this error handler is
 * this family's own and never answers for another family.
 */
export async function mianqianDialect(app: FastifyInstance, ctx: DialectContext): Promise<void> {
  app.decorateRequest('staff', null);
  // The pages post forms and programs post JSON; Fastify's default text/plain parser would hand
  // a route a string, refused as one error on field "" instead of the 415 docs/mianqian.md promises.
  app.removeContentTypeParser('text/plain');
  app.addHook('preValidation', readMissingBodyAsEmpty);
  app.addHook('preValidation', refuseNulCharacters);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isDomainError(error)) {
      return reply.status(MIANQIAN_HTTP_STATUS[error.code]).send(fail(error.message, error.fields));
    }
    const mistake = clientMistake(error);
    if (mistake) {
      logClientMistake(request, error, mistake);
      return mianqianRefusal.refuse(reply, mistake);
    }
    if (error.validation) {
      const fields = schemaErrorsToFields(error.validation, BACK_OFFICE_LABELS);
      return reply.status(200).send(fail(fields[0]?.error ?? '参数错误', fields));
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
