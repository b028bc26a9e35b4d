import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { STAGES } from '../../../modules/loan-orders/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { presentDeskRow } from '../presenters.js';
import { LoanOrdersExportQuery } from './api.loan-orders.export-csv.route.js';
import { ListQuery, ListResponse, ListRow } from './order-mianshen.ajax-get-list.route.js';
import { backOfficeResponses, LOAN_ORDER_TAGS, shanghaiTime, typed } from './shared.js';

// The export's stage and filters with the list's page.
export const DeskQuery = Type.Object(
  { ...LoanOrdersExportQuery.properties, page_num: ListQuery.properties.page_num },
  { additionalProperties: true },
);

// The spec's row with what its list leaves out and the back office shows: who returned the
// order (客服 works a returned order again and needs to know which stage sent it back) and when
// it was opened. The spec's own list (/order_mianshen/ajax_get_list) keeps its shape.
const DeskRow = Type.Object({
  ...ListRow.properties,
  bohui_stage: Type.Union([Type.String({ enum: [...STAGES] }), Type.Null()], {
    description: '驳回它的环节（未驳回为 null）',
  }),
  created_at: Type.String({ description: '创建时间（北京时间 YYYY-MM-DD HH:mm:ss）' }),
});

const DeskResponse = Type.Object({
  ...ListResponse.properties,
  order_list: Type.Array(DeskRow),
  total: Type.Integer({ description: '符合条件的订单数（勾选只看驳回时为驳回数）' }),
});

/**
 * GET /api/loan-orders/desk?stage=S&…: any stage's desk (its open orders and those it returned)
 * with the 面签 list's filters and paging, in the back office's envelope with the row total, and
 * each row's 驳回 stage and creation time, that the spec's bare list leaves out. Needs role S.
 */
export function apiLoanOrdersDeskRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/loan-orders/desk',
    {
      schema: {
        tags: LOAN_ORDER_TAGS,
        summary: "A stage's desk with the 面签 list's filters and paging (needs that stage's role)",
        querystring: DeskQuery,
        response: backOfficeResponses(DeskResponse),
      },
    },
    async (request) => {
      const page = await ctx.modules.loanOrders.desk(
        currentStaff(request),
        request.query.stage,
        request.query,
      );
      return ok({
        total: page.total,
        bohui_count: page.bohui_count,
        page_count: page.page_count,
        order_list: page.rows.map((row) => ({
          ...presentDeskRow(row),
          bohui_stage: row.bohui_stage,
          created_at: shanghaiTime(row.created_at) ?? '',
        })),
      });
    },
  );
}
