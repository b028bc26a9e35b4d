import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { LEASE_LIST_FIELDS, type LeaseSummary } from '../../../modules/leases/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { beijingTime, type CsvColumn, csvResponses, sendCsv, yuan } from '../csv-export.js';
import { LEASE_TAGS, LeaseListQuery } from './api.leases.route.js';
import { typed } from './shared.js';

const { page: _page, page_size: _pageSize, ...FILTERS } = LeaseListQuery.properties;

const COLUMNS: readonly CsvColumn<LeaseSummary>[] = [
  { header: '订单编号', cell: (row) => row.id },
  { header: LEASE_LIST_FIELDS.mobile, cell: (row) => row.tenant_mobile },
  { header: '租客姓名', cell: (row) => row.t_name },
  { header: '房屋地址', cell: (row) => row.h_address },
  { header: '租房方式', cell: (row) => row.mode_label },
  { header: LEASE_LIST_FIELDS.status, cell: (row) => row.status_label },
  { header: '订金已付', cell: (row) => (row.booked ? '是' : '否') },
  { header: '起租日期', cell: (row) => row.r_s_time },
  { header: '结束日期', cell: (row) => row.r_e_time },
  { header: '月数', cell: (row) => row.months },
  { header: '月租（元）', cell: (row) => yuan(row.monthly_rent) },
  { header: '租金合计（元）', cell: (row) => yuan(row.rent_total) },
  { header: '押金合计（元）', cell: (row) => yuan(row.deposit_total) },
  { header: '创建时间', cell: (row) => beijingTime(row.created_at) },
];

/** GET /api/leases/export.csv?status=&mobile=: the lease list as CSV, newest first (admin, as the list). */
export function apiLeasesExportCsvRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/leases/export.csv',
    {
      schema: {
        tags: LEASE_TAGS,
        summary: "Family 2's leases as CSV, with the list's filters (status, tenant mobile); mobiles masked",
        querystring: Type.Object(FILTERS),
        response: csvResponses,
      },
    },
    async (request, reply) =>
      sendCsv(reply, {
        filename: '租约.csv',
        columns: COLUMNS,
        page: ctx.modules.leases.exportPages(request.query),
      }),
  );
}
