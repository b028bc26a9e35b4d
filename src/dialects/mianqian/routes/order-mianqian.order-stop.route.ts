import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { SonOrderIdBody } from '../schemas.js';
import { moveAtMianqian, typed, WORKBENCH_TAGS, workbenchResponses } from './shared.js';

/** POST /order_mianqian/order_stop: 订单终止 (optional `mianqian_suggest` is kept as the reason). */
export function orderMianqianOrderStopRoute(app: FastifyInstance, ctx: DialectContext): void {
  const move = moveAtMianqian(ctx, 'stop', '订单终止');
  typed(app).post(
    '/order_mianqian/order_stop',
    {
      schema: {
        tags: WORKBENCH_TAGS,
        summary: '订单终止',
        body: SonOrderIdBody,
        response: workbenchResponses(),
      },
    },
    (request) => move(request, request.body),
  );
}
