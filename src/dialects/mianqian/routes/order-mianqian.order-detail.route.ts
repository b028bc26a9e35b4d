import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { readSonOrderId, WORKBENCH_FIELDS } from '../../../modules/loan-orders/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { detailEnvelopeJson } from '../presenters.js';
import { Success } from '../schemas.js';
import { OrderDetailView } from '../views.js';
import { typed, WORKBENCH_TAGS, workbenchResponses } from './shared.js';

export const OrderDetailQuery = Type.Object({
  son_order_id: Type.String({ maxLength: 20, description: WORKBENCH_FIELDS.son_order_id }),
});

/** GET /order_mianqian/order_detail: the spec's full detail of one order. */
export function orderMianqianOrderDetailRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/order_mianqian/order_detail',
    {
      schema: {
        tags: WORKBENCH_TAGS,
        summary: '编辑信息展示页',
        querystring: OrderDetailQuery,
        response: workbenchResponses(Success(OrderDetailView)),
      },
    },
    async (request, reply) => {
      const sonOrderId = readSonOrderId(request.query);
      const detail = await ctx.modules.loanOrders.detail(currentStaff(request), sonOrderId, ctx.clock.now());
      return reply.type('application/json; charset=utf-8').send(detailEnvelopeJson(detail));
    },
  );
}
