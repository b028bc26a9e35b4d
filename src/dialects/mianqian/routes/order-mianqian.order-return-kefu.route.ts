import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { SonOrderIdBody } from '../schemas.js';
import { moveAtMianqian, typed, WORKBENCH_TAGS, workbenchResponses } from './shared.js';

/** POST /order_mianqian/order_return_kefu: 返回客服 (optional `mianqian_suggest` is kept as the reason). */
export function orderMianqianOrderReturnKefuRoute(app: FastifyInstance, ctx: DialectContext): void {
  const move = moveAtMianqian(ctx, 'return_kefu', '返回客服');
  typed(app).post(
    '/order_mianqian/order_return_kefu',
    {
      schema: {
        tags: WORKBENCH_TAGS,
        summary: '返回客服',
        body: SonOrderIdBody,
        response: workbenchResponses(),
      },
    },
    (request) => move(request, request.body),
  );
}
