import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { beijingTime, type CsvColumn, csvResponses, sendCsv, yuan } from '../csv-export.js';
import { LEASE_TAGS } from './api.leases.route.js';
import { TenantsQuery } from './api.tenants.route.js';
import { typed } from './shared.js';

type Row = Awaited<ReturnType<ReturnType<DialectContext['modules']['tenants']['exportPages']>>>[number];

const { page: _page, page_size: _pageSize, ...FILTERS } = TenantsQuery.properties;

const COLUMNS: readonly CsvColumn<Row>[] = [
  { header: '租客编号', cell: (row) => row.id },
  // Masked as the list shows it: the export is no way round the mask.
  { header: '手机号', cell: (row) => row.mobile },
  { header: '代管押金（元）', cell: (row) => yuan(row.deposit_held) },
  { header: '租约数', cell: (row) => row.leases },
  { header: '注册时间', cell: (row) => beijingTime(row.created_at) },
];

/** GET /api/tenants/export.csv?mobile=: the tenant list as CSV, newest first, mobiles masked. Admin only. */
export function apiTenantsExportCsvRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/tenants/export.csv',
    {
      schema: {
        tags: LEASE_TAGS,
        summary: "Family 2's tenants as CSV, with the list's mobile filter; mobiles masked",
        querystring: Type.Object(FILTERS),
        response: csvResponses,
      },
    },
    async (request, reply) =>
      sendCsv(reply, {
        filename: '租客.csv',
        columns: COLUMNS,
        page: ctx.modules.tenants.exportPages(request.query),
      }),
  );
}
