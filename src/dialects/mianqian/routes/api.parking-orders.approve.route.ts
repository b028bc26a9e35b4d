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

/** POST /api/parking/orders/:id/approve: 审核中 (02) → 已审核 (03); the order's 300 s pay period starts. */
export function apiParkingOrdersApproveRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).post(
    '/api/parking/orders/:id/approve',
    {
      config: { fieldLabels: PARKING_ORDER_FIELDS },
      schema: {
        tags: PARKING_ORDER_TAGS,
        summary: 'Approve an order under review (02 → 03): the driver may now pay',
        params: ParkingOrderIdParams,
        response: parkingOrderResponses(ParkingOrderDetailView),
      },
    },
    async (request, reply) =>
      answeringParkingErrors(reply, async () =>
        ok(
          await ctx.modules.parkingOrders.staff.approve(
            currentStaff(request),
            request.params.id,
            ctx.clock.now(),
          ),
          '审核通过',
        ),
      ),
  );
}
