import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { storedDocument } from '../../parking/routes/shared.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { PARKING_ORDER_FIELDS } from '../parking-admin-labels.js';
import { Failure } from '../schemas.js';
import { answeringParkingErrors, PARKING_ORDER_TAGS } from './api.parking-orders.route.js';
import { typed } from './shared.js';

const Params = Type.Object({
  id: Type.String({ pattern: '^[0-9a-f]{32}$', description: '订单ID' }),
  fileId: Type.String({ pattern: '^[1-9][0-9]{0,14}$', description: '文件编号' }),
});

const EXTENSION: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'application/pdf': 'pdf',
};

/**
 * GET /api/parking/orders/:id/files/:fileId: the uploaded document itself, to parking staff only.
 * Served as an attachment with the type its bytes showed at upload, never sniffed by the browser.
 */
export function apiParkingOrdersFilesRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/parking/orders/:id/files/:fileId',
    {
      config: { fieldLabels: PARKING_ORDER_FIELDS },
      schema: {
        tags: PARKING_ORDER_TAGS,
        summary: "An order's uploaded document (JPEG, PNG or PDF), as an attachment",
        params: Params,
        response: {
          200: storedDocument('The document (JPEG, PNG or PDF, as its bytes showed at upload)', {
            headers: { 'content-disposition': 'attachment; filename="<订单ID>-<文件编号>.<jpg|png|pdf>"' },
          }),
          403: Failure,
          404: Failure,
        },
      },
    },
    async (request, reply) =>
      answeringParkingErrors(reply, async () => {
        const { id, fileId } = request.params;
        const file = await ctx.modules.parkingOrders.staff.file(currentStaff(request), id, Number(fileId));
        return reply
          .header('content-type', file.contentType)
          .header('content-length', String(file.size))
          .header(
            'content-disposition',
            `attachment; filename="${id}-${fileId}.${EXTENSION[file.contentType] ?? 'bin'}"`,
          )
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'private, no-store')
          .send(file.stream as never);
      }),
  );
}
