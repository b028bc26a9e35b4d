import type { FastifyInstance } from 'fastify';
import type { RawInput } from '../../../core/field-reader.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentTenant } from '../auth.js';
import { ok } from '../envelope.js';
import { IdQuery, TAGS } from './shared.js';

/** POST /user_order/retirement: ask to end the lease. */
export function userOrderRetirementRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.post(
    '/user_order/retirement',
    { schema: { tags: TAGS, summary: '长租--申请退租', body: IdQuery } },
    async (request) => {
      await ctx.modules.leases.retire(currentTenant(request), request.body as RawInput, ctx.clock.now());
      return ok();
    },
  );
}
