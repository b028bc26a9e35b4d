import { type ProColumns, ProTable } from '@ant-design/pro-components';
import { useState } from 'react';
import { Link } from 'react-router';
import { LEASE_STATUS_LABELS, type Lease, type LeasePage, leases } from '../../api/rental';
import CodeTag, { valueEnum } from '../../components/CodeTag';
import ExportButton from '../../components/ExportButton';
import { formatFen, formatFenYuan } from '../../format-money';
import { LEASE_STATUS_COLORS } from './tags';

type Params = { status?: string; mobile?: string; current?: number; pageSize?: number };

/**
 * Family 2's leases, newest first, by state and the tenant's mobile, one list call a page; the
 * totals (count, rent, deposit) are over every match, as the server counts them.
 */
export default function LeasesList() {
  const [filters, setFilters] = useState<Pick<Params, 'status' | 'mobile'>>({});
  const [totals, setTotals] = useState<LeasePage['totals']>({ rent_total: 0, deposit_total: 0 });

  const columns: ProColumns<Lease>[] = [
    {
      title: '订单编号',
      dataIndex: 'id',
      search: false,
      width: 90,
      render: (_, row) => <Link to={`/rental/leases/${row.id}`}>{row.id}</Link>,
    },
    { title: '租客', dataIndex: 't_name', search: false, width: 90 },
    {
      title: '租客手机号',
      dataIndex: 'mobile',
      width: 120,
      fieldProps: { placeholder: '完整手机号' },
      render: (_, row) => row.tenant_mobile,
    },
    { title: '房屋', dataIndex: 'h_address', search: false, ellipsis: true },
    { title: '方式', dataIndex: 'mode_label', search: false, width: 90 },
    {
      title: '状态',
      dataIndex: 'status',
      valueType: 'select',
      valueEnum: valueEnum(LEASE_STATUS_LABELS),
      width: 120,
      render: (_, row) => (
        <CodeTag code={row.status} labels={{ [row.status]: row.status_label }} colors={LEASE_STATUS_COLORS} />
      ),
    },
    {
      title: '租期',
      key: 'term',
      search: false,
      width: 190,
      render: (_, row) => `${row.r_s_time} 至 ${row.r_e_time}`,
    },
    {
      title: '月租（元）',
      dataIndex: 'monthly_rent',
      search: false,
      align: 'right',
      width: 100,
      render: (_, row) => formatFen(row.monthly_rent),
    },
    {
      title: '租金合计（元）',
      dataIndex: 'rent_total',
      search: false,
      align: 'right',
      width: 120,
      render: (_, row) => formatFen(row.rent_total),
    },
    {
      title: '押金（元）',
      dataIndex: 'deposit_total',
      search: false,
      align: 'right',
      width: 100,
      render: (_, row) => formatFen(row.deposit_total),
    },
    { title: '下单时间', dataIndex: 'created_at', search: false, width: 160 },
  ];

  return (
    <ProTable<Lease, Params>
      rowKey="id"
      headerTitle="租约"
      columns={columns}
      form={{ syncToUrl: true }}
      search={{ labelWidth: 'auto', defaultCollapsed: false }}
      options={{ density: false, setting: false }}
      toolBarRender={() => [<ExportButton key="export" path="/api/leases/export.csv" query={filters} />]}
      pagination={{
        defaultPageSize: 20,
        showSizeChanger: true,
        showTotal: (total) =>
          `共 ${total} 单，租金合计 ${formatFenYuan(totals.rent_total)}，押金合计 ${formatFenYuan(totals.deposit_total)}`,
      }}
      request={async ({ current, pageSize, status, mobile }) => {
        setFilters({ status, mobile });
        const page = await leases({ status, mobile, page: current, page_size: pageSize });
        setTotals(page.totals);
        return { data: page.leases, success: true, total: page.total };
      }}
    />
  );
}
