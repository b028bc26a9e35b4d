import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { SonOrderIdBody } from '../schemas.js';
import { moveAtMianqian, typed, WORKBENCH_TAGS, workbenchResponses } from './shared.js';

/** POST /order_mianqian/order_pass: 面签通过 (optional `mianqian_suggest` is kept as the reason). */
export function orderMianqianOrderPassRoute(app: FastifyInstance, ctx: DialectContext): void {
  const move = moveAtMianqian(ctx, 'pass', '面签通过');
  typed(app).post(
    '/order_mianqian/order_pass',
    {
      schema: {
        tags: WORKBENCH_TAGS,
        summary: '面签通过',
        body: SonOrderIdBody,
        response: workbenchResponses(),
      },
    },
    (request) => move(request, request.body),
  );
}
