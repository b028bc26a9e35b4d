import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentTenant } from '../auth.js';
import { ok } from '../envelope.js';
import { answers, Done, IdQuery, TAGS } from './shared.js';

/** POST /user_order/retirement: ask to end the lease. */
export function userOrderRetirementRoute(app: FastifyInstance, ctx: DialectContext): void {
  app
    .withTypeProvider<TypeBoxTypeProvider>()
    .post(
      '/user_order/retirement',
      { schema: { tags: TAGS, summary: '长租--申请退租', body: IdQuery, response: answers(Done) } },
      async (request) => {
        await ctx.modules.leases.retire(currentTenant(request), request.body, ctx.clock.now());
        return ok();
      },
    );
}
