import type { FastifyInstance } from 'fastify';
import type { FamilyRefusal } from '../shared/client-mistakes.js';
import type { DialectContext } from '../shared/dialect-context.js';
import { ENVELOPE_HTTP_STATUS } from '../shared/envelope-http-status.js';
import { guardFieldFamily } from '../shared/field-family.js';
import { currentStaff, requireAdmin, requireStaff } from './auth.js';
import { BACK_OFFICE_LABELS } from './back-office-labels.js';
import { fail } from './envelope.js';
import { ADMIN_ROUTES, AUTH_ROUTES, STAFF_ROUTES } from './routes/index.js';

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
    httpStatus: ENVELOPE_HTTP_STATUS,
    fail,
    labels: BACK_OFFICE_LABELS,
    invalidMessage: '参数错误',
  });

  for (const route of AUTH_ROUTES) route(app, ctx);
  await app.register(async (protectedApp) => {
    protectedApp.addHook('preHandler', requireStaff(ctx));
    for (const route of STAFF_ROUTES) route(protectedApp, ctx);
    await protectedApp.register(async (adminApp) => {
      adminApp.addHook('preHandler', async (request) => requireAdmin(currentStaff(request)));
      for (const route of ADMIN_ROUTES) route(adminApp, ctx);
    });
  });
}
