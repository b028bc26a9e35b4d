import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { REFUND_STATUSES } from '../../../modules/payments/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { answeringLeaseErrors, LEASE_TAGS, LeaseIdParams, leaseResponses } from './api.leases.route.js';
import { typed } from './shared.js';

const CompletedView = Type.Object(
  {
    id: Type.Integer({ description: '订单编号' }),
    status: Type.Literal(6, { description: '6 退租完成' }),
    status_label: Type.String(),
    refunds: Type.Array(
      Type.Object(
        {
          out_refund_no: Type.String({ description: '退款单号' }),
          payment_id: Type.Integer({ description: '退回的那笔微信支付' }),
          amount: Type.Integer({ description: '退款金额（分）' }),
          state: Type.Union(
            REFUND_STATUSES.map((s) => Type.Literal(s)),
            {
              description: 'requested 已向微信申请（等待退款通知） / succeeded / failed',
            },
          ),
        },
        { additionalProperties: false },
      ),
      { description: '本次创建的退款；租客还有其他进行中的订单时为空（押金继续持有）' },
    ),
  },
  { additionalProperties: false },
);

/**
 * POST /api/leases/:id/complete-retirement: 退租完成 (5 → 6); the lease's 押金 and the deposit
 * held for its tenant go back through WeChat's refund API. Admin only; 404 unknown lease, 409 not
 * 退租申请中 (a second completion included).
 */
export function apiLeasesCompleteRetirementRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).post(
    '/api/leases/:id/complete-retirement',
    {
      schema: {
        tags: LEASE_TAGS,
        summary: 'Complete a move-out (5 → 6): the deposit is refunded through WeChat',
        params: LeaseIdParams,
        response: leaseResponses(CompletedView),
      },
    },
    async (request, reply) =>
      answeringLeaseErrors(reply, async () =>
        ok(
          await ctx.modules.leases.completeRetirementByStaff(
            Number(request.params.id),
            currentStaff(request).id,
            ctx.clock.now(),
          ),
          '退租完成',
        ),
      ),
  );
}
