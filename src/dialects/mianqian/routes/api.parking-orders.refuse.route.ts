import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { PARKING_ORDER_FIELDS } from '../parking-admin-labels.js';
import {
  answeringParkingErrors,
  PARKING_ORDER_TAGS,
  ParkingOrderDetailView,
  ParkingOrderIdParams,
  parkingOrderResponses,
} from './api.parking-orders.route.js';
import { typed } from './shared.js';

export const ReasonBody = Type.Object({
  reason: Type.String({ maxLength: 255, description: '原因（必填）' }),
});

/** POST /api/parking/orders/:id/refuse {reason}: 审核中 → 审核拒绝 (04); the order closes (81), a renewing card is valid again. */
export function apiParkingOrdersRefuseRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).post(
    '/api/parking/orders/:id/refuse',
    {
      config: { fieldLabels: PARKING_ORDER_FIELDS },
      schema: {
        tags: PARKING_ORDER_TAGS,
        summary: 'Refuse an order under review (02 → 04) with a reason: the order closes (01 → 81)',
        params: ParkingOrderIdParams,
        body: ReasonBody,
        response: parkingOrderResponses(ParkingOrderDetailView),
      },
    },
    async (request, reply) =>
      answeringParkingErrors(reply, async () =>
        ok(
          await ctx.modules.parkingOrders.staff.refuse(
            currentStaff(request),
            request.params.id,
            request.body.reason,
            ctx.clock.now(),
          ),
          '审核拒绝',
        ),
      ),
  );
}
