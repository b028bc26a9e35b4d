import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentOpenId } from '../auth.js';
import { Failure, storedDocument, TAGS, typed } from './shared.js';

/**
 * GET /parking/api/order/file?omPrOrderId&slot: a document of the caller's own order (the link in
 * call 6's extraInfo), served with the type its bytes showed at upload; another's order answers
 * 订单不存在 like any missing record.
 */
export function orderFileRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/parking/api/order/file',
    {
      schema: {
        tags: TAGS,
        summary: '订单上传文件 (本人)',
        querystring: Type.Object({
          omPrOrderId: Type.String({ pattern: '^[0-9a-f]{32}$', description: '订单ID' }),
          slot: Type.String({ pattern: '^[0-9]{1,2}$', description: '上传位置' }),
        }),
        response: {
          200: storedDocument(
            'The document (JPEG, PNG or PDF, as its bytes showed at upload), or a refusal such as 订单不存在',
            { json: Failure },
          ),
          default: Failure,
        },
      },
    },
    async (request, reply) => {
      const { omPrOrderId, slot } = request.query;
      const file = await ctx.modules.parkingOrders.ownFile(currentOpenId(request), omPrOrderId, Number(slot));
      return reply
        .header('content-type', file.contentType)
        .header('content-length', String(file.size))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(file.stream as never);
    },
  );
}
