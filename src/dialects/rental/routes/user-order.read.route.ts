import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentTenant } from '../auth.js';
import { ok } from '../envelope.js';
import { answers, IdQuery, Int, Success, strict, TAGS } from './shared.js';

const PaymentResult = Type.Object(
  {
    total: Int('金额（分）'),
    status: Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)], {
      description: '0 未支付, 1 已支付, 2 支付失败或已关闭',
    }),
  },
  strict,
);

/** GET /user_order/read: the result of a payment. */
export function userOrderReadRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/user_order/read',
    {
      schema: {
        tags: TAGS,
        summary: '查询支付结果',
        querystring: IdQuery,
        response: answers(Success(PaymentResult)),
      },
    },
    async (request) => ok(await ctx.modules.leases.paymentResult(currentTenant(request), request.query)),
  );
}
