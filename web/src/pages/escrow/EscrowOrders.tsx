import { type ProColumns, ProTable } from '@ant-design/pro-components';
import { Input } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ESCROW_STATE_LABELS, type EscrowOrderRow, escrowOrders } from '../../api/escrow';
import CodeTag, { valueEnum } from '../../components/CodeTag';
import ExportButton from '../../components/ExportButton';
import { formatBeijing } from '../../time';
import { ESCROW_STATE_COLORS } from './tags';

type Params = { state?: string; current?: number; pageSize?: number };

/**
 * The escrow orders, newest first by state, one list call a page (no personal data in the list);
 * a 履约单号 a clerk was given opens its order straight away.
 */
export default function EscrowOrders() {
  const navigate = useNavigate();
  // The filter the list last answered, for the export beside it.
  const [shownState, setShownState] = useState<string>();
  const columns: ProColumns<EscrowOrderRow>[] = [
    {
      title: '履约单号',
      dataIndex: 'house_order_no',
      search: false,
      width: 200,
      render: (_, row) => <Link to={`/escrow-orders/${row.house_order_no}`}>{row.house_order_no}</Link>,
    },
    {
      title: '状态',
      dataIndex: 'state',
      valueType: 'select',
      valueEnum: valueEnum(ESCROW_STATE_LABELS),
      width: 90,
      render: (_, row) => (
        <CodeTag code={row.state} labels={ESCROW_STATE_LABELS} colors={ESCROW_STATE_COLORS} />
      ),
    },
    { title: '来源', dataIndex: 'source', search: false, ellipsis: true },
    { title: '来源单号', dataIndex: 'source_no', search: false, ellipsis: true },
    { title: '业务类型', dataIndex: 'service_type', search: false, width: 170 },
    {
      title: '门店',
      dataIndex: 'store_id',
      search: false,
      width: 80,
      render: (_, row) => row.store_id ?? '—',
    },
    {
      title: '应约截止',
      dataIndex: 'deadline_at',
      search: false,
      width: 140,
      render: (_, row) => formatBeijing(row.deadline_at),
    },
    {
      title: '创建时间',
      dataIndex: 'created_at',
      search: false,
      width: 140,
      render: (_, row) => formatBeijing(row.created_at),
    },
  ];

  return (
    <ProTable<EscrowOrderRow, Params>
      rowKey="id"
      headerTitle="资金监管订单"
      columns={columns}
      form={{ syncToUrl: true }}
      search={{ labelWidth: 'auto', defaultCollapsed: false }}
      options={{ density: false, setting: false }}
      toolBarRender={() => [
        <Input.Search
          key="lookup"
          placeholder="按履约单号查找"
          enterButton="打开"
          allowClear
          style={{ width: 320 }}
          onSearch={(value) => {
            const no = value.trim();
            if (no) navigate(`/escrow-orders/${encodeURIComponent(no)}`);
          }}
        />,
        <ExportButton key="export" path="/api/escrow-orders/export.csv" query={{ state: shownState }} />,
      ]}
      pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (total) => `共 ${total} 单` }}
      request={async ({ current, pageSize, state }) => {
        setShownState(state);
        const page = await escrowOrders({ state, page: current, page_size: pageSize });
        return { data: page.orders, success: true, total: page.total };
      }}
    />
  );
}
