import type { FastifyInstance } from 'fastify';
import type { RawInput } from '../../../core/field-reader.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentTenant } from '../auth.js';
import { ok } from '../envelope.js';
import { IdQuery, TAGS } from './shared.js';

/** GET /user_order/read: the result of a payment. */
export function userOrderReadRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.get(
    '/user_order/read',
    { schema: { tags: TAGS, summary: '查询支付结果', querystring: IdQuery } },
    async (request) =>
      ok(await ctx.modules.leases.paymentResult(currentTenant(request), request.query as RawInput)),
  );
}
