import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { ESCROW_FUND_TAGS, IdParams, PayoutView } from './api.escrow-orders.route.js';
import { backOfficeResponses, typed } from './shared.js';

/** POST /api/escrow-payouts/:id/retry: a failed payout is tried again (the money waited in the payable account). */
export function apiEscrowPayoutsRetryRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).post(
    '/api/escrow-payouts/:id/retry',
    {
      schema: {
        tags: ESCROW_FUND_TAGS,
        summary: 'Retry a failed payout (same payout number: paid at most once)',
        params: IdParams,
        response: backOfficeResponses(PayoutView),
      },
    },
    async (request) =>
      ok(
        await ctx.modules.escrow.funds.retryPayout(
          currentStaff(request),
          Number(request.params.id),
          ctx.clock.now(),
        ),
        '已重试',
      ),
  );
}
