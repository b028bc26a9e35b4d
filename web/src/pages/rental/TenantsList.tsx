import { type ProColumns, ProTable } from '@ant-design/pro-components';
import { useState } from 'react';
import { type Tenant, tenants } from '../../api/rental';
import ExportButton from '../../components/ExportButton';
import { formatFen } from '../../format-money';
import { formatBeijing } from '../../time';

type Params = { mobile?: string; current?: number; pageSize?: number };

/** Family 2's tenants with the deposit the platform holds for each and their lease count. */
export default function TenantsList() {
  // The filter the list last answered, for the export beside it.
  const [mobile, setMobile] = useState<string>();
  const columns: ProColumns<Tenant>[] = [
    { title: '租客编号', dataIndex: 'id', search: false, width: 100 },
    { title: '手机号', dataIndex: 'mobile', width: 140, fieldProps: { placeholder: '完整手机号' } },
    {
      title: '代管押金（元）',
      dataIndex: 'deposit_held',
      search: false,
      align: 'right',
      width: 140,
      render: (_, row) => formatFen(row.deposit_held),
    },
    { title: '租约数', dataIndex: 'leases', search: false, width: 90 },
    {
      title: '注册时间',
      dataIndex: 'created_at',
      search: false,
      render: (_, row) => formatBeijing(row.created_at),
    },
  ];
  return (
    <ProTable<Tenant, Params>
      rowKey="id"
      headerTitle="租客"
      columns={columns}
      form={{ syncToUrl: true }}
      search={{ labelWidth: 'auto', defaultCollapsed: false }}
      options={{ density: false, setting: false }}
      pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (total) => `共 ${total} 位租客` }}
      toolBarRender={() => [<ExportButton key="export" path="/api/tenants/export.csv" query={{ mobile }} />]}
      request={async ({ current, pageSize, mobile: shown }) => {
        setMobile(shown);
        const page = await tenants({ mobile: shown, page: current, page_size: pageSize });
        return { data: page.tenants, success: true, total: page.total };
      }}
    />
  );
}
