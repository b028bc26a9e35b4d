import type { FastifyInstance } from 'fastify';
import type { SmsMessageStatus } from '../../../modules/sms/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { beijingTime, type CsvColumn, csvResponses, sendCsv } from '../csv-export.js';
import { SMS_STATUS_LABELS, SMS_TAGS, SmsMessagesFilter } from './api.sms-messages.route.js';
import { typed } from './shared.js';

type Row = Awaited<ReturnType<ReturnType<DialectContext['modules']['sms']['messageExportPages']>>>[number];

const COLUMNS: readonly CsvColumn<Row>[] = [
  { header: '编号', cell: (row) => row.id },
  { header: '用途', cell: (row) => row.purpose },
  // Only the masked phone is kept for the log at all; the export shows what the list shows.
  { header: '手机号', cell: (row) => row.phone_masked },
  { header: '通道', cell: (row) => row.provider },
  { header: '模板', cell: (row) => row.template_id },
  { header: '通道消息编号', cell: (row) => row.provider_id },
  { header: '状态', cell: (row) => SMS_STATUS_LABELS[row.status] },
  { header: '错误码', cell: (row) => row.error_code },
  { header: '错误信息', cell: (row) => row.error_message },
  { header: '发送时间', cell: (row) => beijingTime(Number(row.created_at)) },
  { header: '更新时间', cell: (row) => beijingTime(Number(row.updated_at)) },
];

/** GET /api/sms-messages/export.csv?status=: every text message (not only the newest 100) as CSV, newest first, phones masked. Admin only. */
export function apiSmsMessagesExportCsvRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/sms-messages/export.csv',
    {
      schema: {
        tags: SMS_TAGS,
        summary: 'Text messages and their delivery as CSV, phones masked (status: comma-separated)',
        querystring: SmsMessagesFilter,
        response: csvResponses,
      },
    },
    async (request, reply) =>
      sendCsv(reply, {
        filename: '短信记录.csv',
        columns: COLUMNS,
        page: ctx.modules.sms.messageExportPages(
          request.query.status?.split(',') as SmsMessageStatus[] | undefined,
        ),
      }),
  );
}
