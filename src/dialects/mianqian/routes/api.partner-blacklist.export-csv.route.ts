import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { beijingTime, type CsvColumn, csvResponses, sendCsv } from '../csv-export.js';
import { PARTNER_TAGS, typed } from './shared.js';

type Row = Awaited<ReturnType<DialectContext['modules']['partner']['blacklistExportPages']>>[number];

// The list's columns: the entries are hashes, so who is on it cannot be shown, only why and when.
const COLUMNS: readonly CsvColumn<Row>[] = [
  { header: '编号', cell: (row) => row.id },
  { header: '原因', cell: (row) => row.reason },
  { header: '加入时间', cell: (row) => beijingTime(Number(row.created_at)) },
];

/** GET /api/partner-blacklist/export.csv: every blacklist entry as CSV, newest first (reasons and times; never a hash). Admin only. */
export function apiPartnerBlacklistExportCsvRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/partner-blacklist/export.csv',
    {
      schema: {
        tags: PARTNER_TAGS,
        summary: 'Blacklist entries as CSV (reason and time)',
        response: csvResponses,
      },
    },
    async (_request, reply) =>
      sendCsv(reply, {
        filename: '黑名单.csv',
        columns: COLUMNS,
        page: ctx.modules.partner.blacklistExportPages,
      }),
  );
}
