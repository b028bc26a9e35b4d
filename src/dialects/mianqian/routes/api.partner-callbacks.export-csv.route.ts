import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { beijingTime, type CsvColumn, csvResponses, sendCsv } from '../csv-export.js';
import { CallbacksQuery } from './api.partner-callbacks.route.js';
import { PARTNER_TAGS, typed } from './shared.js';

type CallbackRow = Awaited<ReturnType<DialectContext['modules']['partner']['callbacks']>>[number];

const STATUS_LABELS: Record<CallbackRow['status'], string> = {
  pending: '待发送',
  delivered: '已送达',
  dead: '已放弃',
};

const COLUMNS: readonly CsvColumn<CallbackRow>[] = [
  { header: '编号', cell: (row) => row.id },
  { header: '合作方标识', cell: (row) => row.ua },
  { header: '接口', cell: (row) => row.call },
  { header: '参数', cell: (row) => row.args },
  { header: '状态', cell: (row) => STATUS_LABELS[row.status] },
  { header: '尝试次数', cell: (row) => Number(row.attempts) },
  {
    header: '下次尝试时间',
    cell: (row) => (row.status === 'pending' ? beijingTime(row.next_attempt_at) : ''),
  },
  { header: '最后错误', cell: (row) => row.last_error },
  { header: '创建时间', cell: (row) => beijingTime(row.created_at) },
  { header: '送达时间', cell: (row) => beijingTime(row.delivered_at) },
];

/** GET /api/partner-callbacks/export.csv?status=: every callback (not only the newest 100) as CSV. Admin only. */
export function apiPartnerCallbacksExportCsvRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/partner-callbacks/export.csv',
    {
      schema: {
        tags: PARTNER_TAGS,
        summary: 'Callbacks to the platform as CSV, newest first (status: pending | delivered | dead)',
        querystring: CallbacksQuery,
        response: csvResponses,
      },
    },
    async (request, reply) =>
      sendCsv(reply, {
        filename: '合作方回调.csv',
        columns: COLUMNS,
        page: ctx.modules.partner.callbackExportPages(request.query.status),
      }),
  );
}
