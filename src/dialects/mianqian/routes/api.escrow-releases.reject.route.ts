import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { ESCROW_FUND_TAGS, IdParams, ReleaseView } from './api.escrow-orders.route.js';
import { backOfficeResponses, typed } from './shared.js';

/** POST /api/escrow-releases/:id/reject: the checker (not the maker) turns the request down; nothing moves. */
export function apiEscrowReleasesRejectRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).post(
    '/api/escrow-releases/:id/reject',
    {
      schema: {
        tags: ESCROW_FUND_TAGS,
        summary: 'Reject a release or refund request (not by its requester)',
        params: IdParams,
        body: Type.Object({ reason: Type.String({ maxLength: 200, description: '驳回原因' }) }),
        response: backOfficeResponses(ReleaseView),
      },
    },
    async (request) =>
      ok(
        await ctx.modules.escrow.funds.reject(
          currentStaff(request),
          Number(request.params.id),
          request.body,
          ctx.clock.now(),
        ),
        '已驳回',
      ),
  );
}
