import { type ActionType, type ProColumns, ProTable } from '@ant-design/pro-components';
import { Space, Tag } from 'antd';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { type QueuedRelease, RELEASE_STATE_LABELS, type ReleaseState, releaseQueue } from '../../api/escrow';
import { valueEnum } from '../../components/CodeTag';
import ExportButton from '../../components/ExportButton';
import { useOutcome } from '../../components/useOutcome';
import { formatFen } from '../../format-money';
import ReleaseDecision from './ReleaseDecision';

type Params = { state?: ReleaseState; current?: number; pageSize?: number };

/**
 * 待审批: the checkers' queue of release and refund requests across every order, one state at a
 * time (waiting ones oldest first, as they are taken in). A checker decides here without opening
 * each order; a decision reloads the page of the queue, so a decided request leaves it. The
 * server judges each decision and its refusal is said above the list.
 */
export default function ReleaseQueue() {
  const list = useRef<ActionType>(undefined);
  // The state the queue last answered, for the export beside it.
  const [shownState, setShownState] = useState<ReleaseState>();
  const { outcome, run, done } = useOutcome();
  const reload = () => list.current?.reload();

  const columns: ProColumns<QueuedRelease>[] = [
    {
      title: '状态',
      dataIndex: 'state',
      valueType: 'select',
      valueEnum: valueEnum(RELEASE_STATE_LABELS),
      initialValue: 'requested',
      // No state would mean requested to the server while the filter showed none.
      fieldProps: { allowClear: false },
      hideInTable: true,
    },
    {
      title: '履约单号',
      dataIndex: 'house_order_no',
      search: false,
      width: 180,
      render: (_, r) => (
        <Link to={`/escrow-orders/${encodeURIComponent(r.house_order_no)}`}>{r.house_order_no}</Link>
      ),
    },
    { title: '编号', dataIndex: 'id', search: false, width: 56 },
    { title: '类型', dataIndex: 'kind_label', search: false, width: 56 },
    {
      title: '金额（元）',
      dataIndex: 'amount',
      search: false,
      align: 'right',
      width: 110,
      render: (_, r) => formatFen(r.amount),
    },
    { title: '原因', dataIndex: 'reason', search: false, ellipsis: true },
    {
      title: '申请人',
      dataIndex: 'requested_by',
      search: false,
      width: 130,
      render: (_, r) => (
        <Space size={4}>
          {r.requested_by}
          {r.mine && <Tag>本人</Tag>}
        </Space>
      ),
    },
    { title: '申请时间', dataIndex: 'created_at', search: false, width: 160 },
    {
      title: '审批',
      key: 'decision',
      search: false,
      width: 170,
      // Always in view at 1366 wide: the decision is what the checker came for.
      fixed: 'right',
      render: (_, r) => (
        <ReleaseDecision
          release={r}
          mine={r.mine}
          act={(call, text) => run(call, text).finally(reload)}
          actInDialog={async (call, text) => {
            done(text(await call()));
            await reload();
          }}
        />
      ),
    },
  ];

  return (
    <ProTable<QueuedRelease, Params>
      rowKey="id"
      headerTitle="放款与退款审批"
      actionRef={list}
      columns={columns}
      form={{ syncToUrl: true }}
      search={{ labelWidth: 'auto', defaultCollapsed: false }}
      options={{ density: false, setting: false }}
      tableExtraRender={() => outcome}
      toolBarRender={() => [
        <ExportButton key="export" path="/api/escrow-releases/export.csv" query={{ state: shownState }} />,
      ]}
      // Fits the 1366-wide desktop's content with a readable 原因; narrower, the table scrolls.
      scroll={{ x: 1000 }}
      pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (total) => `共 ${total} 条申请` }}
      request={async ({ current, pageSize, state }) => {
        setShownState(state);
        const page = await releaseQueue({ state, page: current, page_size: pageSize });
        return { data: page.releases, success: true, total: page.total };
      }}
    />
  );
}
