import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { beijingTime, type CsvColumn, csvResponses, sendCsv } from '../csv-export.js';
import { ISV_TAGS } from './api.escrow-isvs.route.js';
import { NotificationsQuery } from './api.escrow-notifications.route.js';
import { typed } from './shared.js';

type Row = Awaited<
  ReturnType<ReturnType<DialectContext['modules']['escrow']['notificationExportPages']>>
>[number];

const STATUS_LABELS: Record<Row['status'], string> = {
  pending: '待发送',
  delivered: '已送达',
  dead: '已放弃',
};

const COLUMNS: readonly CsvColumn<Row>[] = [
  { header: '编号', cell: (row) => row.id },
  { header: '通知编号', cell: (row) => row.notify_id },
  { header: '履约单号', cell: (row) => row.house_order_no },
  { header: '事件', cell: (row) => row.event },
  { header: '订单状态', cell: (row) => row.state },
  // The notification's data as the list's expanded row shows it (what the ISV is sent: no personal data).
  { header: '数据', cell: (row) => JSON.stringify(row.data) },
  { header: '发送状态', cell: (row) => STATUS_LABELS[row.status] },
  { header: '尝试次数', cell: (row) => row.attempts },
  {
    header: '下次尝试时间',
    cell: (row) => (row.status === 'pending' ? beijingTime(row.next_attempt_at) : ''),
  },
  { header: '最近错误', cell: (row) => row.last_error },
  { header: '创建时间', cell: (row) => beijingTime(row.created_at) },
  { header: '送达时间', cell: (row) => beijingTime(row.delivered_at) },
];

/** GET /api/escrow-notifications/export.csv?status=: every notification to the ISVs (not only the newest 100) as CSV, newest first. Admin only. */
export function apiEscrowNotificationsExportCsvRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/escrow-notifications/export.csv',
    {
      schema: {
        tags: ISV_TAGS,
        summary: 'Notifications to the ISVs as CSV, newest first (status: pending | delivered | dead)',
        querystring: NotificationsQuery,
        response: csvResponses,
      },
    },
    async (request, reply) =>
      sendCsv(reply, {
        filename: 'ISV通知.csv',
        columns: COLUMNS,
        page: ctx.modules.escrow.notificationExportPages(request.query.status),
      }),
  );
}
