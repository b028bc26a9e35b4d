import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { presentDeskRow } from '../presenters.js';
import { LoanOrdersExportQuery } from './api.loan-orders.export-csv.route.js';
import { ListQuery, ListResponse } from './order-mianshen.ajax-get-list.route.js';
import { backOfficeResponses, LOAN_ORDER_TAGS, typed } from './shared.js';

// The export's stage and filters with the list's page.
export const DeskQuery = Type.Object(
  { ...LoanOrdersExportQuery.properties, page_num: ListQuery.properties.page_num },
  { additionalProperties: true },
);

const DeskResponse = Type.Object({
  ...ListResponse.properties,
  total: Type.Integer({ description: '符合条件的订单数（勾选只看驳回时为驳回数）' }),
});

/**
 * GET /api/loan-orders/desk?stage=S&…: any stage's desk (its open orders and those it returned)
 * with the 面签 list's filters and paging, in the back office's envelope with the row total the
 * spec's bare list leaves out. Needs role S.
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
        order_list: page.rows.map(presentDeskRow),
      });
    },
  );
}
