import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { PAGING_FIELDS } from '../../../core/paging.js';
import { ESCROW_LIST_FIELDS } from '../../../modules/back-office/index.js';
import { ESCROW_STATES } from '../../../modules/escrow/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { ESCROW_FUND_TAGS } from './api.escrow-orders.route.js';
import { backOfficeResponses, PagingQuery, typed } from './shared.js';

export const EscrowOrdersQuery = Type.Object({
  state: Type.Optional(
    Type.String({
      maxLength: 16,
      description: `${ESCROW_LIST_FIELDS.state}（${ESCROW_STATES.join(' / ')}）`,
    }),
  ),
  ...PagingQuery.properties,
});

const Ms = (description: string) => Type.Integer({ description: `${description}（epoch 毫秒）` });

const EscrowOrdersView = Type.Object(
  {
    total: Type.Integer({ description: '符合条件的订单数' }),
    page: Type.Integer({ description: PAGING_FIELDS.page }),
    page_size: Type.Integer({ description: PAGING_FIELDS.page_size }),
    page_count: Type.Integer(),
    orders: Type.Array(
      Type.Object(
        {
          id: Type.Integer(),
          house_order_no: Type.String({ description: '履约单号' }),
          source: Type.String(),
          source_no: Type.String(),
          template_id: Type.String(),
          service_type: Type.String(),
          store_id: Type.Union([Type.Integer(), Type.Null()], { description: '门店' }),
          state: Type.Union(
            ESCROW_STATES.map((s) => Type.Literal(s)),
            { description: '邀约截止后未应约的按 timed_out 显示' },
          ),
          state_label: Type.String(),
          deadline_at: Ms('应约截止时间'),
          created_at: Ms('创建时间'),
          updated_at: Ms('更新时间'),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/**
 * GET /api/escrow-orders?state=&page=&page_size=: the escrow orders, newest first, paged with the
 * filter's count (the escrow role, as the order's money page). Its own file beside
 * api.escrow-orders.route.ts, which holds the one order's page.
 */
export function apiEscrowOrdersListRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/escrow-orders',
    {
      schema: {
        tags: ESCROW_FUND_TAGS,
        summary: 'Escrow orders newest first, by state, paged (escrow role); no personal data',
        querystring: EscrowOrdersQuery,
        response: backOfficeResponses(EscrowOrdersView),
      },
    },
    async (request) =>
      ok(await ctx.modules.backOffice.escrowOrders(currentStaff(request), request.query, ctx.clock.now())),
  );
}
