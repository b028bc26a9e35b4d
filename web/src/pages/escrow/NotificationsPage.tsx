import { type ProColumns, ProTable } from '@ant-design/pro-components';
import { Typography } from 'antd';
import { useRef, useState } from 'react';
import {
  type EscrowNotification,
  escrowNotifications,
  NOTIFICATION_STATUS_LABELS,
  type NotificationStatus,
} from '../../api/escrow';
import CodeTag, { valueEnum } from '../../components/CodeTag';
import { CursorPages } from '../../components/cursor-pages';
import ExportButton from '../../components/ExportButton';

const STATUS_COLORS: Record<string, string> = { pending: 'processing', delivered: 'success', dead: 'error' };

const PAGE_SIZE = 20;

/**
 * The notifications to the ISVs with their attempts (admin), by status, newest first: 20 a page
 * read by keyset from the server, so every notification can be reached however many there are.
 */
export default function NotificationsPage() {
  const pages = useRef(new CursorPages()).current;
  const [status, setStatus] = useState<NotificationStatus>();
  const columns: ProColumns<EscrowNotification>[] = [
    { title: '编号', dataIndex: 'id', search: false, width: 70 },
    { title: '履约单号', dataIndex: 'house_order_no', search: false, width: 190 },
    { title: '事件', dataIndex: 'event', search: false, width: 110 },
    { title: '订单状态', dataIndex: 'state', search: false, width: 90 },
    {
      title: '发送状态',
      dataIndex: 'status',
      valueType: 'select',
      valueEnum: valueEnum(NOTIFICATION_STATUS_LABELS),
      width: 90,
      render: (_, n) => (
        <CodeTag code={n.status} labels={NOTIFICATION_STATUS_LABELS} colors={STATUS_COLORS} />
      ),
    },
    { title: '尝试次数', dataIndex: 'attempts', search: false, width: 80 },
    {
      title: '下次尝试',
      dataIndex: 'next_attempt_at',
      search: false,
      width: 160,
      render: (_, n) => n.next_attempt_at ?? '—',
    },
    {
      title: '最近错误',
      dataIndex: 'last_error',
      search: false,
      ellipsis: true,
      render: (_, n) =>
        n.last_error ? <Typography.Text type="danger">{n.last_error}</Typography.Text> : '—',
    },
    { title: '创建时间', dataIndex: 'created_at', search: false, width: 160 },
    {
      title: '送达时间',
      dataIndex: 'delivered_at',
      search: false,
      width: 160,
      render: (_, n) => n.delivered_at ?? '—',
    },
  ];
  return (
    <ProTable<EscrowNotification, { status?: NotificationStatus }>
      rowKey="id"
      headerTitle="ISV 通知"
      columns={columns}
      form={{ syncToUrl: true }}
      search={{ labelWidth: 'auto', defaultCollapsed: false }}
      options={{ density: false, setting: false }}
      // Wider than the card at 1366: scroll it rather than spill past it.
      scroll={{ x: 1280 }}
      pagination={{ pageSize: PAGE_SIZE, showSizeChanger: false }}
      expandable={{
        expandedRowRender: (n) => <Typography.Text code>{JSON.stringify(n.data)}</Typography.Text>,
      }}
      toolBarRender={() => [
        <ExportButton key="export" path="/api/escrow-notifications/export.csv" query={{ status }} />,
      ]}
      request={async ({ current = 1, status: shown }) => {
        setStatus(shown);
        return pages.request(current, { status: shown }, PAGE_SIZE, async (page) => {
          const { notifications, next_before_id } = await escrowNotifications(shown, page);
          return { rows: notifications, next_before_id };
        });
      }}
    />
  );
}
