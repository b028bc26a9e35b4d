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

/** GET /api/parking/orders/:id: one order with its uploaded files' metadata. */
export function apiParkingOrdersIdRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/parking/orders/:id',
    {
      config: { fieldLabels: PARKING_ORDER_FIELDS },
      schema: {
        tags: PARKING_ORDER_TAGS,
        summary: 'A parking order with its documents (metadata; the bytes at /files/:fileId)',
        params: ParkingOrderIdParams,
        response: parkingOrderResponses(ParkingOrderDetailView),
      },
    },
    async (request, reply) =>
      answeringParkingErrors(reply, async () =>
        ok(await ctx.modules.parkingOrders.staff.get(currentStaff(request), request.params.id)),
      ),
  );
}
