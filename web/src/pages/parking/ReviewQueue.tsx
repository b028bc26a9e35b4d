import { type ProColumns, ProTable } from '@ant-design/pro-components';
import { useState } from 'react';
import { Link } from 'react-router';
import {
  ORDER_TYPE_LABELS,
  PARKING_AUDIT_STATE_LABELS,
  PARKING_ORDER_STATE_LABELS,
  type ParkingOrder,
  PRICE_TYPE_LABELS,
  parkingOrders,
} from '../../api/parking';
import CodeTag, { valueEnum } from '../../components/CodeTag';
import ExportButton from '../../components/ExportButton';
import { formatFen } from '../../format-money';
import { formatBeijing } from '../../time';
import { AUDIT_COLORS, ORDER_COLORS } from './tags';

type Params = { audit_state?: string; state?: string; current?: number; pageSize?: number };

/**
 * The parking review queue: orders waiting for review (审核中) first of all, or any other review
 * or order state, newest first, one list call a page. The filters live in the address.
 */
export default function ReviewQueue() {
  const [filters, setFilters] = useState<Pick<Params, 'audit_state' | 'state'>>({});

  const columns: ProColumns<ParkingOrder>[] = [
    {
      title: '订单号',
      dataIndex: 'id',
      search: false,
      width: 130,
      ellipsis: true,
      render: (_, row) => <Link to={`/parking-orders/${row.id}`}>{row.id.slice(0, 12)}…</Link>,
    },
    {
      title: '审核状态',
      dataIndex: 'audit_state',
      valueType: 'select',
      valueEnum: valueEnum(PARKING_AUDIT_STATE_LABELS),
      // The queue is what waits for a reviewer; 全部 is one click away.
      initialValue: '02',
      width: 96,
      render: (_, row) => (
        <CodeTag code={row.audit_state} labels={PARKING_AUDIT_STATE_LABELS} colors={AUDIT_COLORS} />
      ),
    },
    {
      title: '订单状态',
      dataIndex: 'state',
      valueType: 'select',
      valueEnum: valueEnum(PARKING_ORDER_STATE_LABELS),
      width: 90,
      render: (_, row) => (
        <CodeTag code={row.state} labels={PARKING_ORDER_STATE_LABELS} colors={ORDER_COLORS} />
      ),
    },
    {
      title: '类型',
      dataIndex: 'order_type',
      search: false,
      width: 80,
      render: (_, row) => ORDER_TYPE_LABELS[row.order_type] ?? row.order_type,
    },
    { title: '产品', dataIndex: 'product_name', search: false, width: 90 },
    {
      title: '价格',
      dataIndex: 'price_type',
      search: false,
      width: 60,
      render: (_, row) => PRICE_TYPE_LABELS[row.price_type] ?? row.price_type,
    },
    {
      title: '金额（元）',
      dataIndex: 'amount_fen',
      search: false,
      align: 'right',
      width: 100,
      render: (_, row) => formatFen(row.amount_fen),
    },
    {
      title: '所属机构',
      dataIndex: 'first_org_name',
      search: false,
      ellipsis: true,
      render: (_, row) => [row.first_org_name, row.second_org_name].filter(Boolean).join(' / ') || '—',
    },
    {
      title: '下单时间',
      dataIndex: 'created_at',
      search: false,
      width: 140,
      render: (_, row) => formatBeijing(row.created_at),
    },
  ];

  return (
    <ProTable<ParkingOrder, Params>
      rowKey="id"
      headerTitle="停车订单审核"
      columns={columns}
      form={{ syncToUrl: true }}
      search={{ labelWidth: 'auto', defaultCollapsed: false }}
      options={{ density: false, setting: false }}
      toolBarRender={() => [
        <ExportButton key="export" path="/api/parking/orders/export.csv" query={filters} />,
      ]}
      pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (total) => `共 ${total} 单` }}
      request={async ({ current, pageSize, audit_state, state }) => {
        setFilters({ audit_state, state });
        const page = await parkingOrders({ audit_state, state, page: current, page_size: pageSize });
        return { data: page.orders, success: true, total: page.total };
      }}
    />
  );
}
