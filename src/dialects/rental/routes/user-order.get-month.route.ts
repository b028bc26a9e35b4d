import type { FastifyInstance } from 'fastify';
import type { RawInput } from '../../../core/field-reader.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentTenant } from '../auth.js';
import { ok } from '../envelope.js';
import { IdQuery, TAGS } from './shared.js';

/** GET /user_order/getMonth: the months a lease can be renewed for. */
export function userOrderGetMonthRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.get(
    '/user_order/getMonth',
    { schema: { tags: TAGS, summary: '续租月数返回', querystring: IdQuery } },
    async (request) =>
      ok(await ctx.modules.leases.renewalOptions(currentTenant(request), request.query as RawInput)),
  );
}
