import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CITIES } from '../../../modules/loan-orders/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { Success } from '../schemas.js';
import { typed, WORKBENCH_TAGS, workbenchResponses } from './shared.js';

export const DeskIndexResponse = Success(
  Type.Object({
    bohui_count: Type.Integer(),
    city_list: Type.Record(Type.String(), Type.String()),
  }),
);

/** GET /order_mianqian/index: the 面签 desk's 驳回 count and its cities. */
export function orderMianqianIndexRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/order_mianqian/index',
    {
      schema: {
        tags: WORKBENCH_TAGS,
        summary: '面签入口页',
        response: workbenchResponses(DeskIndexResponse),
      },
    },
    async (request) => {
      const summary = await ctx.modules.loanOrders.deskSummary(currentStaff(request), 'mianqian');
      return ok({
        bohui_count: summary.bohui_count,
        city_list: Object.fromEntries(CITIES.map((c) => [c, c])),
      });
    },
  );
}
