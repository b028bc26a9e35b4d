import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { beijingTime, type CsvColumn, csvResponses, sendCsv } from '../csv-export.js';
import { PARTNER_TAGS, typed } from './shared.js';

type Row = Awaited<ReturnType<DialectContext['modules']['partner']['exportPages']>>[number];

const COLUMNS: readonly CsvColumn<Row>[] = [
  { header: '编号', cell: (row) => row.id },
  { header: '合作方标识', cell: (row) => row.ua },
  // `*` is every call, as the list shows it; otherwise the calls by name.
  { header: '可调用接口', cell: (row) => (row.calls === '*' ? '全部接口' : row.calls) },
  { header: '回调地址', cell: (row) => row.callback_url },
  { header: '状态', cell: (row) => (Number(row.disabled) === 1 ? '已停用' : '启用') },
  { header: '创建时间', cell: (row) => beijingTime(Number(row.created_at)) },
];

/** GET /api/partners/export.csv: family 4's partners as CSV, by id as the list (never a key). Admin only. */
export function apiPartnersExportCsvRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/partners/export.csv',
    {
      schema: {
        tags: PARTNER_TAGS,
        summary: 'Partners as CSV (keys are never shown)',
        response: csvResponses,
      },
    },
    async (_request, reply) =>
      sendCsv(reply, { filename: '合作方.csv', columns: COLUMNS, page: ctx.modules.partner.exportPages }),
  );
}
