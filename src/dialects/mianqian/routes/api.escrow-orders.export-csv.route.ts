import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { beijingTime, type CsvColumn, csvResponses, sendCsv } from '../csv-export.js';
import { EscrowOrdersQuery } from './api.escrow-orders.list.route.js';
import { ESCROW_FUND_TAGS } from './api.escrow-orders.route.js';
import { typed } from './shared.js';

type Row = Awaited<ReturnType<ReturnType<DialectContext['modules']['escrow']['orderExportPages']>>>[number];

const { page: _page, page_size: _pageSize, ...FILTERS } = EscrowOrdersQuery.properties;

const COLUMNS: readonly CsvColumn<Row>[] = [
  { header: '履约单号', cell: (row) => row.house_order_no },
  { header: '来源', cell: (row) => row.source },
  { header: '来源单号', cell: (row) => row.source_no },
  { header: '模板', cell: (row) => row.template_id },
  { header: '服务类型', cell: (row) => row.service_type },
  { header: '门店', cell: (row) => row.store_id },
  { header: '状态', cell: (row) => row.state_label },
  { header: '应约截止时间', cell: (row) => beijingTime(row.deadline_at) },
  { header: '创建时间', cell: (row) => beijingTime(row.created_at) },
  { header: '更新时间', cell: (row) => beijingTime(row.updated_at) },
];

/** GET /api/escrow-orders/export.csv?state=: the escrow order list as CSV, newest first (escrow role, as the list). */
export function apiEscrowOrdersExportCsvRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/escrow-orders/export.csv',
    {
      schema: {
        tags: ESCROW_FUND_TAGS,
        summary: "Escrow orders as CSV, with the list's state filter (escrow role); no personal data",
        querystring: Type.Object(FILTERS),
        response: csvResponses,
      },
    },
    async (request, reply) =>
      sendCsv(reply, {
        filename: '资金监管订单.csv',
        columns: COLUMNS,
        page: ctx.modules.escrow.orderExportPages(currentStaff(request), request.query, ctx.clock.now()),
      }),
  );
}
