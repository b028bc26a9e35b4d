import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  DESK_LIST_FIELDS,
  type DeskExportRow,
  STAGE_LABELS,
  STAGES,
  type Stage,
} from '../../../modules/loan-orders/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { BACK_OFFICE_QUERY_FIELDS } from '../back-office-labels.js';
import { beijingTime, type CsvColumn, csvResponses, sendCsv } from '../csv-export.js';
import { ListQuery } from './order-mianshen.ajax-get-list.route.js';
import { LOAN_ORDER_TAGS, typed } from './shared.js';

// The desk list's filters and sizes, without its page: an export is the whole desk.
const { page_num: _pageNum, ...FILTERS } = ListQuery.properties;

export const LoanOrdersExportQuery = Type.Object({
  stage: Type.Unsafe<Stage>(Type.String({ enum: [...STAGES], description: BACK_OFFICE_QUERY_FIELDS.stage })),
  ...FILTERS,
});

// The desk list's columns, mobiles masked as the list shows them.
const COLUMNS: readonly CsvColumn<DeskExportRow>[] = [
  { header: '订单号', cell: (row) => row.son_order_id },
  { header: DESK_LIST_FIELDS.customer_name, cell: (row) => row.customer_name },
  { header: DESK_LIST_FIELDS.customer_mobile, cell: (row) => row.customer_mobile },
  { header: DESK_LIST_FIELDS.user_name, cell: (row) => row.user_name },
  { header: DESK_LIST_FIELDS.user_mobile, cell: (row) => row.user_mobile },
  { header: DESK_LIST_FIELDS.city_key, cell: (row) => row.city },
  { header: '房产地址', cell: (row) => row.house_address },
  { header: DESK_LIST_FIELDS.is_bohui, cell: (row) => (row.is_bohui ? '是' : '否') },
  { header: DESK_LIST_FIELDS.appointment_time, cell: (row) => beijingTime(row.appointment_time) },
  { header: '面审时间', cell: (row) => beijingTime(row.face_trial_time) },
  { header: DESK_LIST_FIELDS.mianqian_opt_time, cell: (row) => beijingTime(row.mianqian_opt_time) },
  { header: '创建时间', cell: (row) => beijingTime(row.created_at) },
];

/**
 * GET /api/loan-orders/export.csv?stage=S&…: stage S's desk (its open orders and those it
 * returned) with the desk list's filters, newest first, as CSV. Needs role S, as the list does.
 */
export function apiLoanOrdersExportCsvRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/loan-orders/export.csv',
    {
      schema: {
        tags: LOAN_ORDER_TAGS,
        summary: "A stage desk's orders as CSV, with the desk list's filters (needs that stage's role)",
        querystring: LoanOrdersExportQuery,
        response: csvResponses,
      },
    },
    async (request, reply) => {
      const { stage } = request.query;
      const page = await ctx.modules.loanOrders.deskExport(currentStaff(request), stage, request.query);
      return sendCsv(reply, { filename: `贷款订单-${STAGE_LABELS[stage]}.csv`, columns: COLUMNS, page });
    },
  );
}
