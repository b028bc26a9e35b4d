import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { ESCROW_FUND_TAGS, IdParams, PayoutView, ReleaseView } from './api.escrow-orders.route.js';
import { backOfficeResponses, typed } from './shared.js';

/** POST /api/escrow-releases/:id/approve: the checker (not the maker) approves; the ledger moves the money and the payout runs. */
export function apiEscrowReleasesApproveRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).post(
    '/api/escrow-releases/:id/approve',
    {
      schema: {
        tags: ESCROW_FUND_TAGS,
        summary:
          'Approve a release or refund (not by its requester): money leaves the held account, the payout runs',
        params: IdParams,
        response: backOfficeResponses(
          Type.Object({ release: ReleaseView, payout: PayoutView }, { additionalProperties: false }),
        ),
      },
    },
    async (request) =>
      ok(
        await ctx.modules.escrow.funds.approve(
          currentStaff(request),
          Number(request.params.id),
          ctx.clock.now(),
        ),
        '已审批',
      ),
  );
}
