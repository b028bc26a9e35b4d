import type { FastifyInstance } from 'fastify';
import type { PartnerCallRow } from '../../../modules/partner/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { beijingTime, type CsvColumn, csvResponses, sendCsv } from '../csv-export.js';
import { PARTNER_TAGS, RecordIdParams, typed } from './shared.js';

const COLUMNS: readonly CsvColumn<PartnerCallRow>[] = [
  { header: '编号', cell: (row) => row.id },
  { header: '时间', cell: (row) => beijingTime(row.created_at) },
  { header: '接口', cell: (row) => row.call },
  { header: '状态码', cell: (row) => row.status },
  { header: '结果', cell: (row) => row.result },
  { header: '说明', cell: (row) => row.message },
];

/**
 * GET /api/partners/:id/calls/export.csv: the partner's whole call log as CSV, newest first, as its
 * list (never the arguments: the log does not keep them). An unknown partner is refused in the
 * envelope before anything is sent. Admin only.
 */
export function apiPartnersCallsExportCsvRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/partners/:id/calls/export.csv',
    {
      schema: {
        tags: PARTNER_TAGS,
        summary: "A partner's gateway calls as CSV, newest first (no arguments)",
        params: RecordIdParams,
        response: csvResponses,
      },
    },
    async (request, reply) => {
      const calls = await ctx.modules.partner.callExportPages(Number(request.params.id));
      return sendCsv(reply, {
        filename: `合作方调用记录-${calls.ua}.csv`,
        columns: COLUMNS,
        page: calls.page,
      });
    },
  );
}
