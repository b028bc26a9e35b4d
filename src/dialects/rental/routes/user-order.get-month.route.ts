import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentTenant } from '../auth.js';
import { ok } from '../envelope.js';
import { answers, IdQuery, Int, Success, strict, TAGS } from './shared.js';

const RenewalOption = Type.Object({ month: Int('续租月数'), rent: Int('租金（分）') }, strict);

/** GET /user_order/getMonth: the months a lease can be renewed for. */
export function userOrderGetMonthRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/user_order/getMonth',
    {
      schema: {
        tags: TAGS,
        summary: '续租月数返回',
        querystring: IdQuery,
        response: answers(Success(Type.Array(RenewalOption))),
      },
    },
    async (request) => ok(await ctx.modules.leases.renewalOptions(currentTenant(request), request.query)),
  );
}
