import type { FastifyInstance } from 'fastify';
import type { RawInput } from '../../../core/field-reader.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentTenant } from '../auth.js';
import { ok } from '../envelope.js';
import { PayBody, payContext, presentPay, TAGS } from './shared.js';

/** POST /user_order/booking: book a lease (pay its deposit). */
export function userOrderBookingRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.post(
    '/user_order/booking',
    { schema: { tags: TAGS, summary: '长租--预订', body: PayBody } },
    async (request) => {
      const answer = await ctx.modules.leases.book(
        currentTenant(request),
        request.body as RawInput,
        payContext(ctx, request),
      );
      return answer.paidByDeposit ? ok() : ok(presentPay(answer));
    },
  );
}
