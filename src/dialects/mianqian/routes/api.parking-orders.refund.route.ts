import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { PARKING_ORDER_FIELDS } from '../parking-admin-labels.js';
import { ReasonBody } from './api.parking-orders.refuse.route.js';
import {
  answeringParkingErrors,
  PARKING_ORDER_TAGS,
  ParkingOrderDetailView,
  ParkingOrderIdParams,
  parkingOrderResponses,
} from './api.parking-orders.route.js';
import { typed } from './shared.js';

const RefundedView = Type.Composite([
  ParkingOrderDetailView,
  Type.Object({
    refund: Type.Object(
      {
        out_refund_no: Type.String({ description: '退款单号' }),
        amount_fen: Type.Integer({ description: '退款金额（分），订单全额' }),
      },
      { additionalProperties: false },
    ),
  }),
]);

/**
 * POST /api/parking/orders/:id/refund {reason}: a paid order (03) is refunded in full through
 * WeChat Pay v3 (→ 21); WeChat's refund notify settles it (→ 22, the card's end rolled back) or
 * a refusal puts it back to 03.
 */
export function apiParkingOrdersRefundRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).post(
    '/api/parking/orders/:id/refund',
    {
      config: { fieldLabels: PARKING_ORDER_FIELDS },
      schema: {
        tags: PARKING_ORDER_TAGS,
        summary: 'Refund a paid order in full through WeChat (03 → 21; the notify makes it 22)',
        params: ParkingOrderIdParams,
        body: ReasonBody,
        response: parkingOrderResponses(RefundedView),
      },
    },
    async (request, reply) =>
      answeringParkingErrors(reply, async () =>
        ok(
          await ctx.modules.parkingOrders.staff.refund(
            currentStaff(request),
            request.params.id,
            request.body.reason,
            ctx.clock.now(),
          ),
          '已申请退款',
        ),
      ),
  );
}
