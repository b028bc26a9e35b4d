import type { FastifyInstance } from 'fastify';
import type { FamilyRefusal } from '../shared/client-mistakes.js';
import type { DialectContext } from '../shared/dialect-context.js';
import { guardFieldFamily } from '../shared/field-family.js';
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
  guardFieldFamily(app, {
    refusal: mianqianRefusal,
    httpStatus: MIANQIAN_HTTP_STATUS,
    fail,
    labels: BACK_OFFICE_LABELS,
    invalidMessage: '参数错误',
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
