import { PlusOutlined } from '@ant-design/icons';
import { type ProColumns, ProTable } from '@ant-design/pro-components';
import { Button, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { CITIES } from '../../../../src/modules/loan-orders/loan-order-catalog';
import { DESK_LIST_FIELDS as LABELS } from '../../../../src/modules/loan-orders/loan-order-fields';
import { STAGE_LABELS, type Stage } from '../../../../src/modules/loan-orders/loan-order-state';
import { stageDesk } from '../../api/loans';
import { DESK_PAGE_SIZE, type DeskFilter, deskIndex, deskList } from '../../api/mianqian';
import ExportButton from '../../components/ExportButton';

/** ProTable's form values: the filters as typed, dates already `YYYY-MM-DD`. */
type Params = Omit<DeskFilter, 'page_num'> & { current?: number; pageSize?: number };

/** A desk's row, whichever of the two lists (the 面签 list, the desk API) it came from. */
interface DeskTableRow {
  son_order_id: string;
  customer_name: string;
  customer_mobile?: string;
  user_name?: string;
  user_mobile?: string;
  house_address?: string;
  appointment_time: string;
  mianqian_opt_time?: string;
  bohui: boolean;
  /** The stage that returned it, and when the order was opened: the desk API's, not the 面签 list's. */
  bohui_stage?: Stage | null;
  created_at?: string;
}

interface DeskView {
  rows: DeskTableRow[];
  total: number;
  page_count: number;
  /** The filter's 驳回 count, when the list answers one. */
  bohui_count?: number;
}

const CITY_OPTIONS = Object.fromEntries(CITIES.map((city) => [city, { text: city }]));

/** The list call's query for ProTable's params: its page as `page_num`, filters trimmed, blanks left out. */
export function deskQuery({ current, pageSize: _pageSize, ...filters }: Params): DeskFilter {
  const query: DeskFilter = { page_num: current ?? 1 };
  for (const [key, value] of Object.entries(filters) as [keyof Params, unknown][]) {
    const text = typeof value === 'string' ? value.trim() : value;
    if (text !== undefined && text !== null && text !== '') Object.assign(query, { [key]: text });
  }
  return query;
}

async function loadDesk(stage: Stage, query: DeskFilter): Promise<DeskView> {
  if (stage === 'mianqian') {
    // The spec's own 面签 list (the same desk query), which answers pages, not rows.
    const page = await deskList(query);
    return {
      rows: page.order_list.map((row) => ({ ...row, bohui: row.is_bohui === '1' })),
      total: page.page_count * DESK_PAGE_SIZE,
      page_count: page.page_count,
      bohui_count: page.bohui_count,
    };
  }
  // Every other desk, 客服's included (there the server lists every order at 客服, those
  // returned to it too), through the desk API: the same filters, with the row total, and on each
  // row the stage that returned it and its creation time (so no call per row for either).
  const page = await stageDesk(stage, query);
  return { ...page, rows: page.order_list.map((row) => ({ ...row, bohui: row.is_bohui === '1' })) };
}

const orDash = (text: string | undefined) => text || '—';

/**
 * A stage's desk: its orders newest first, 20 a page, one list call per page, with the 面签
 * list's filters (names, mobiles, city, dates, 驳回 only) and the filter's totals on every desk.
 * The 面签 desk reads the spec's own list, its cities and whole 驳回 count from
 * /order_mianqian/index once; the others read the desk API.
 */
export default function DeskList({ stage }: { stage: Stage }) {
  const [deskBohui, setDeskBohui] = useState<number>();
  const [shown, setShown] = useState<{ query: DeskFilter; page: DeskView }>();

  useEffect(() => {
    if (stage !== 'mianqian') return;
    deskIndex().then(
      (index) => setDeskBohui(index.bohui_count),
      // The shell shows 401 and 403; the list below answers for anything else.
      () => undefined,
    );
  }, [stage]);

  // Widths fit every column, 创建时间 and 由…驳回 included, in the card at 1366×768 (dates wrap
  // under their day as they did); the address takes what is left.
  const columns: ProColumns<DeskTableRow>[] = [
    {
      title: '订单编号',
      dataIndex: 'son_order_id',
      search: false,
      width: 124,
      render: (_, row) => <Link to={`/${stage}/orders/${row.son_order_id}`}>{row.son_order_id}</Link>,
    },
    { title: LABELS.customer_name, dataIndex: 'customer_name', width: 72 },
    {
      title: LABELS.customer_mobile,
      dataIndex: 'customer_mobile',
      width: 112,
      fieldProps: { placeholder: '完整手机号' },
    },
    { title: LABELS.user_name, dataIndex: 'user_name', width: 72 },
    {
      title: LABELS.user_mobile,
      dataIndex: 'user_mobile',
      width: 112,
      fieldProps: { placeholder: '完整手机号' },
    },
    {
      title: LABELS.city_key,
      dataIndex: 'city_key',
      width: 80,
      // The lists show the city inside the address.
      hideInTable: true,
      valueType: 'select',
      valueEnum: CITY_OPTIONS,
    },
    { title: '房屋地址', dataIndex: 'house_address', search: false, ellipsis: true },
    {
      title: LABELS.appointment_time,
      dataIndex: 'appointment_time',
      valueType: 'date',
      width: 96,
      render: (_, row) => orDash(row.appointment_time),
    },
    {
      title: LABELS.mianqian_opt_time,
      dataIndex: 'mianqian_opt_time',
      valueType: 'date',
      width: 96,
      render: (_, row) => orDash(row.mianqian_opt_time),
    },
    {
      title: LABELS.is_bohui,
      dataIndex: 'is_bohui',
      valueType: 'select',
      valueEnum: { '1': { text: '只看驳回' } },
      fieldProps: { placeholder: '全部' },
      width: stage === 'mianqian' ? 72 : 124,
      render: (_, row) =>
        row.bohui ? (
          <Space size={4}>
            <Tag color="red" style={{ marginInlineEnd: 0 }}>
              驳回
            </Tag>
            {/* 客服 works a returned order again: which stage sent it back says where to look. */}
            {row.bohui_stage && (
              <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                由{STAGE_LABELS[row.bohui_stage]}驳回
              </Typography.Text>
            )}
          </Space>
        ) : null,
    },
    {
      title: '创建时间',
      dataIndex: 'created_at',
      search: false,
      width: 96,
      // The spec's 面签 list answers no creation time.
      hideInTable: stage === 'mianqian',
      render: (_, row) => orDash(row.created_at),
    },
  ];

  const title = `${STAGE_LABELS[stage]}订单`;
  const page = shown?.page;
  return (
    <ProTable<DeskTableRow, Params>
      rowKey="son_order_id"
      headerTitle={
        <Space>
          {title}
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
      rowClassName={(row) => (row.bohui ? 'desk-row-bohui' : '')}
      toolBarRender={() => [
        stage === 'kefu' && (
          <Link key="new" to="/kefu/orders/new">
            <Button type="primary" icon={<PlusOutlined />}>
              新建订单
            </Button>
          </Link>
        ),
        <ExportButton
          key="export"
          path="/api/loan-orders/export.csv"
          query={{ ...shown?.query, page_num: undefined, stage }}
        />,
      ]}
      pagination={{
        pageSize: DESK_PAGE_SIZE,
        showSizeChanger: false,
        showQuickJumper: true,
        showTotal: () =>
          page?.bohui_count === undefined
            ? `共 ${page?.total ?? 0} 单`
            : stage === 'mianqian'
              ? `共 ${page.page_count} 页，其中驳回 ${page.bohui_count} 单`
              : `共 ${page.total} 单，其中驳回 ${page.bohui_count} 单`,
      }}
      request={async (params) => {
        const query = deskQuery(params);
        const answer = await loadDesk(stage, query);
        setShown({ query, page: answer });
        return { data: answer.rows, success: true, total: answer.total };
      }}
    />
  );
}
