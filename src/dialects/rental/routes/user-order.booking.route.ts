import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentTenant } from '../auth.js';
import { ok } from '../envelope.js';
import { AppPay, answers, Done, PayBody, payContext, presentPay, Success, TAGS } from './shared.js';

/** POST /user_order/booking: book a lease (pay its deposit). */
export function userOrderBookingRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/user_order/booking',
    {
      schema: {
        tags: TAGS,
        summary: '长租--预订',
        body: PayBody,
        // Booked from the deposit at once: `{code: 0}`; else the WeChat payment to make.
        response: answers(Type.Union([Done, Success(AppPay)])),
      },
    },
    async (request) => {
      const answer = await ctx.modules.leases.book(
        currentTenant(request),
        request.body,
        payContext(ctx, request),
      );
      return answer.paidByDeposit ? ok() : ok(presentPay(answer));
    },
  );
}
