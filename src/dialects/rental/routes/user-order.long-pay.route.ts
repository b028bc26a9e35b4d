import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentTenant } from '../auth.js';
import { ok } from '../envelope.js';
import { AppPay, answers, PaidByDeposit, PayBody, payContext, presentPay, Success, TAGS } from './shared.js';

/** POST /user_order/longPay: pay a lease installment. */
export function userOrderLongPayRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/user_order/longPay',
    {
      schema: {
        tags: TAGS,
        summary: '长租--去支付',
        body: PayBody,
        response: answers(Success(Type.Union([PaidByDeposit, AppPay]))),
      },
    },
    async (request) =>
      ok(
        presentPay(
          await ctx.modules.leases.payInstallment(
            currentTenant(request),
            request.body,
            payContext(ctx, request),
          ),
        ),
      ),
  );
}
