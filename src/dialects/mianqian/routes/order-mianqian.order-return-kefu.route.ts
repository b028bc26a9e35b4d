import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { SonOrderIdBody } from '../schemas.js';
import { moveAtMianqian, WORKBENCH_TAGS, workbenchResponses } from './shared.js';

/** POST /order_mianqian/order_return_kefu: 返回客服 (optional `mianqian_suggest` is kept as the reason). */
export function orderMianqianOrderReturnKefuRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.post(
    '/order_mianqian/order_return_kefu',
    {
      schema: {
        tags: WORKBENCH_TAGS,
        summary: '返回客服',
        body: SonOrderIdBody,
        response: workbenchResponses(),
      },
    },
    moveAtMianqian(ctx, 'return_kefu', '返回客服'),
  );
}
