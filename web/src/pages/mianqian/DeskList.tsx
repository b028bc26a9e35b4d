import { type ProColumns, ProTable } from '@ant-design/pro-components';
import { Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { DESK_LIST_FIELDS as LABELS } from '../../../../src/modules/loan-orders/loan-order-fields';
import { DESK_PAGE_SIZE, type DeskFilter, type DeskRow, deskIndex, deskList } from '../../api/mianqian';

/** ProTable's form values: the filters as typed, dates already `YYYY-MM-DD`. */
type Params = Omit<DeskFilter, 'page_num'> & { current?: number; pageSize?: number };

/**
 * The 面签 desk: orders open at 面签 and those it returned (驳回) that have not come back, newest
 * first, 20 a page, with the list API's filters. One list call per page; the cities and the
 * desk's whole 驳回 count come from /order_mianqian/index once.
 */
export default function DeskList() {
  const [cities, setCities] = useState<Record<string, { text: string }>>({});
  const [deskBohui, setDeskBohui] = useState<number>();
  const [totals, setTotals] = useState({ page_count: 0, bohui_count: 0 });

  useEffect(() => {
    deskIndex().then(
      (index) => {
        setCities(Object.fromEntries(Object.keys(index.city_list).map((city) => [city, { text: city }])));
        setDeskBohui(index.bohui_count);
      },
      // The shell shows 401 and 403; the list below answers for anything else.
      () => undefined,
    );
  }, []);

  const columns: ProColumns<DeskRow>[] = [
    {
      title: '订单编号',
      dataIndex: 'son_order_id',
      search: false,
      width: 140,
      render: (_, row) => <Link to={`/mianqian/orders/${row.son_order_id}`}>{row.son_order_id}</Link>,
    },
    { title: LABELS.customer_name, dataIndex: 'customer_name', width: 88 },
    {
      title: LABELS.customer_mobile,
      dataIndex: 'customer_mobile',
      width: 120,
      fieldProps: { placeholder: '完整手机号' },
    },
    { title: LABELS.user_name, dataIndex: 'user_name', width: 88 },
    {
      title: LABELS.user_mobile,
      dataIndex: 'user_mobile',
      width: 120,
      fieldProps: { placeholder: '完整手机号' },
    },
    {
      title: LABELS.city_key,
      dataIndex: 'city_key',
      hideInTable: true,
      valueType: 'select',
      valueEnum: cities,
    },
    { title: '房屋地址', dataIndex: 'house_address', search: false, ellipsis: true },
    {
      title: LABELS.appointment_time,
      dataIndex: 'appointment_time',
      valueType: 'date',
      width: 110,
      render: (_, row) => row.appointment_time || '—',
    },
    {
      title: LABELS.mianqian_opt_time,
      dataIndex: 'mianqian_opt_time',
      valueType: 'date',
      width: 110,
      render: (_, row) => row.mianqian_opt_time || '—',
    },
    {
      title: LABELS.is_bohui,
      dataIndex: 'is_bohui',
      valueType: 'select',
      valueEnum: { '1': { text: '只看驳回' } },
      fieldProps: { placeholder: '全部' },
      width: 72,
      render: (_, row) => (row.is_bohui === '1' ? <Tag color="red">驳回</Tag> : null),
    },
  ];

  return (
    <ProTable<DeskRow, Params>
      rowKey="son_order_id"
      headerTitle={
        <Space>
          面签订单
          {deskBohui !== undefined && (
            <Typography.Text type="secondary">（本工作台共驳回 {deskBohui} 单）</Typography.Text>
          )}
        </Space>
      }
      columns={columns}
      // Back from an order's page, the filters are still in the address.
      form={{ syncToUrl: true }}
      search={{ labelWidth: 'auto', defaultCollapsed: false }}
      options={{ density: false, setting: false }}
      rowClassName={(row) => (row.is_bohui === '1' ? 'desk-row-bohui' : '')}
      pagination={{
        pageSize: DESK_PAGE_SIZE,
        showSizeChanger: false,
        showQuickJumper: true,
        showTotal: () => `共 ${totals.page_count} 页，其中驳回 ${totals.bohui_count} 单`,
      }}
      request={async ({ current, pageSize: _pageSize, ...filters }) => {
        const page = await deskList({ ...filters, page_num: current ?? 1 });
        setTotals({ page_count: page.page_count, bohui_count: page.bohui_count });
        // The list answers pages, not rows: enough rows for its page count to page through.
        return { data: page.order_list, success: true, total: page.page_count * DESK_PAGE_SIZE };
      }}
    />
  );
}
