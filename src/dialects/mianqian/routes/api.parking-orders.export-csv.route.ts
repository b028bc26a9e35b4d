import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  PARKING_AUDIT_STATE_LABELS,
  PARKING_ORDER_STATE_LABELS,
  PARKING_UNIT_LABELS,
  type ParkingAuditState,
  type ParkingOrderRow,
  type ParkingOrderState,
  type ParkingUnitType,
} from '../../../modules/parking/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { beijingTime, type CsvColumn, csvResponses, sendCsv, yuan } from '../csv-export.js';
import { PARKING_ORDER_FIELDS } from '../parking-admin-labels.js';
import { PARKING_ORDER_TAGS } from './api.parking-orders.route.js';
import { typed } from './shared.js';

export const ParkingOrdersExportQuery = Type.Object({
  audit_state: Type.Optional(Type.String({ maxLength: 2, description: '审核状态 01/02/03/04' })),
  state: Type.Optional(Type.String({ maxLength: 2, description: '订单状态 01/03/21/22/81' })),
});

const COLUMNS: readonly CsvColumn<ParkingOrderRow>[] = [
  { header: '订单ID', cell: (row) => row.id },
  { header: '产品', cell: (row) => row.product_name },
  { header: '价格类型', cell: (row) => (row.price_type === '01' ? '校内' : '校外') },
  {
    header: '购买数量',
    cell: (row) => `${Number(row.count)}${PARKING_UNIT_LABELS[row.unit_type as ParkingUnitType] ?? ''}`,
  },
  { header: '金额（元）', cell: (row) => yuan(Number(row.amount_fen)) },
  { header: '开始时间', cell: (row) => beijingTime(Number(row.start_dt)) },
  { header: '结束时间', cell: (row) => beijingTime(Number(row.end_dt)) },
  { header: '订单类型', cell: (row) => (Number(row.order_type) === 1 ? '续费' : '首次购买') },
  {
    header: '订单状态',
    cell: (row) => PARKING_ORDER_STATE_LABELS[row.state as ParkingOrderState] ?? row.state,
  },
  {
    header: '审核状态',
    cell: (row) => PARKING_AUDIT_STATE_LABELS[row.audit_state as ParkingAuditState] ?? row.audit_state,
  },
  { header: '拒绝原因', cell: (row) => row.audit_reason },
  { header: '审核人', cell: (row) => row.audited_by },
  { header: '审核时间', cell: (row) => beijingTime(row.audited_at === null ? null : Number(row.audited_at)) },
  { header: '一级机构', cell: (row) => row.first_org_name },
  { header: '二级机构', cell: (row) => row.second_org_name },
  { header: '所属部门', cell: (row) => row.user_department },
  { header: '职工编号', cell: (row) => row.duplicate_code },
  { header: '微信支付商户订单号', cell: (row) => row.out_trade_no },
  { header: '支付时间', cell: (row) => beijingTime(row.pay_suc_dt === null ? null : Number(row.pay_suc_dt)) },
  { header: '创建时间', cell: (row) => beijingTime(Number(row.created_at)) },
];

/**
 * GET /api/parking/orders/export.csv?audit_state=&state=: the staff's parking order list as CSV,
 * newest first. The list itself is asked for one row first: its role check (parking or admin)
 * and its filter checks are the export's.
 */
export function apiParkingOrdersExportCsvRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/parking/orders/export.csv',
    {
      config: { fieldLabels: PARKING_ORDER_FIELDS },
      schema: {
        tags: PARKING_ORDER_TAGS,
        summary: "Parking orders as CSV, with the list's filters (audit_state, state), newest first",
        querystring: ParkingOrdersExportQuery,
        response: csvResponses,
      },
    },
    async (request, reply) => {
      const { audit_state, state } = request.query;
      await ctx.modules.parkingOrders.staff.list(currentStaff(request), { audit_state, state, page_size: 1 });
      return sendCsv(reply, {
        filename: '停车订单.csv',
        columns: COLUMNS,
        page: ctx.modules.backOffice.parkingOrderExportPages({
          auditState: audit_state as ParkingAuditState | undefined,
          state: state as ParkingOrderState | undefined,
        }),
      });
    },
  );
}
