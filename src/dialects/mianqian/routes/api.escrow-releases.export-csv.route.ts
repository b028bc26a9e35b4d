import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { type CsvColumn, csvResponses, sendCsv, yuan } from '../csv-export.js';
import { ESCROW_FUND_TAGS } from './api.escrow-orders.route.js';
import { ReleaseQueueQuery } from './api.escrow-releases.route.js';
import { typed } from './shared.js';

type Row = Awaited<
  ReturnType<ReturnType<DialectContext['modules']['escrow']['funds']['queueExportPages']>['page']>
>[number];

const { page: _page, page_size: _pageSize, ...FILTERS } = ReleaseQueueQuery.properties;

const STATE_LABELS: Record<Row['state'], string> = {
  requested: '待审批',
  approved: '已通过',
  rejected: '已驳回',
};

// The payee's card as the queue shows it: masked (payee_card_no holds the masked number).
const COLUMNS: readonly CsvColumn<Row>[] = [
  { header: '申请编号', cell: (row) => row.id },
  { header: '履约单号', cell: (row) => row.house_order_no },
  { header: '类型', cell: (row) => row.kind_label },
  { header: '金额（元）', cell: (row) => yuan(row.amount) },
  { header: '服务费（元）', cell: (row) => yuan(row.fee) },
  { header: '状态', cell: (row) => STATE_LABELS[row.state] },
  { header: '原因', cell: (row) => row.reason },
  { header: '收款人', cell: (row) => row.payee_name },
  { header: '收款卡号', cell: (row) => row.payee_card_no },
  { header: '开户行', cell: (row) => row.payee_bank },
  { header: '申请人', cell: (row) => row.requested_by },
  { header: '申请时间', cell: (row) => row.created_at },
  { header: '审批人', cell: (row) => row.decided_by },
  { header: '审批时间', cell: (row) => row.decided_at },
  { header: '审批意见', cell: (row) => row.decision_reason },
];

/** GET /api/escrow-releases/export.csv?state=: the checkers' queue of one state as CSV, in the list's order (escrow role). */
export function apiEscrowReleasesExportCsvRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/escrow-releases/export.csv',
    {
      schema: {
        tags: ESCROW_FUND_TAGS,
        summary: "The checkers' queue of one state as CSV (escrow role); card numbers masked",
        querystring: Type.Object(FILTERS),
        response: csvResponses,
      },
    },
    async (request, reply) => {
      const queue = ctx.modules.escrow.funds.queueExportPages(currentStaff(request), request.query);
      return sendCsv(reply, {
        filename: `放款退款审批-${STATE_LABELS[queue.state]}.csv`,
        columns: COLUMNS,
        page: queue.page,
      });
    },
  );
}
