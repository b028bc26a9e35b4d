import { type ActionType, type ProColumns, ProTable } from '@ant-design/pro-components';
import { App, Button, Popconfirm, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import {
  CALLBACK_STATUS_LABELS,
  CALLBACKS_EXPORT_PATH,
  type CallbackStatus,
  mayRetry,
  type PartnerCallback,
  partnerCallbacks,
  retryCallback,
} from '../../api/admin';
import { CursorPages } from '../../components/cursor-pages';
import ExportButton from '../../components/ExportButton';

const STATUS_COLORS: Record<CallbackStatus, string> = { pending: 'gold', delivered: 'green', dead: 'red' };

const PAGE_SIZE = 20;

/**
 * 回调发件箱: our callbacks to the platform, newest first, 20 a page read by keyset from the
 * server (every callback, however many), with their attempts, last error and next attempt. A
 * failed or given-up one can be sent again now.
 */
export default function Callbacks() {
  const table = useRef<ActionType>(null);
  const pages = useRef(new CursorPages()).current;
  const [status, setStatus] = useState<CallbackStatus>();
  const { message } = App.useApp();

  const retry = async (callback: PartnerCallback) => {
    try {
      await retryCallback(callback.id);
      message.success(`回调 ${callback.id} 已重新排队，10秒内重试`);
    } catch (error) {
      // E.g. 回调状态已变化，请刷新后重试: the list is refreshed either way.
      message.error(error instanceof Error ? error.message : String(error));
    }
    table.current?.reload();
  };

  const columns: ProColumns<PartnerCallback>[] = [
    { title: '编号', dataIndex: 'id', search: false, width: 64 },
    { title: '合作方', dataIndex: 'ua', search: false, width: 110, ellipsis: true },
    { title: '接口', dataIndex: 'call', search: false, ellipsis: true },
    {
      title: '参数',
      dataIndex: 'args',
      search: false,
      ellipsis: true,
      render: (_, row) => (
        <Typography.Text code title={JSON.stringify(row.args)}>
          {JSON.stringify(row.args)}
        </Typography.Text>
      ),
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 84,
      valueType: 'select',
      valueEnum: Object.fromEntries(
        Object.entries(CALLBACK_STATUS_LABELS).map(([key, text]) => [key, { text }]),
      ),
      render: (_, row) => <Tag color={STATUS_COLORS[row.status]}>{CALLBACK_STATUS_LABELS[row.status]}</Tag>,
    },
    { title: '尝试次数', dataIndex: 'attempts', search: false, width: 80 },
    {
      title: '下次尝试',
      dataIndex: 'next_attempt_at',
      search: false,
      width: 160,
      render: (_, row) => (row.status === 'pending' ? row.next_attempt_at : '—'),
    },
    {
      title: '最后错误',
      dataIndex: 'last_error',
      search: false,
      ellipsis: true,
      render: (_, row) => row.last_error ?? '—',
    },
    { title: '创建时间', dataIndex: 'created_at', search: false, width: 160 },
    {
      title: '操作',
      valueType: 'option',
      width: 72,
      render: (_, row) =>
        mayRetry(row) && (
          <Popconfirm
            title={`重试回调 ${row.id}？`}
            description="将立即重新发送给合作方"
            okText="重试"
            cancelText="取消"
            onConfirm={() => retry(row)}
          >
            <Button type="link" size="small">
              重试
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <ProTable<PartnerCallback, { status?: CallbackStatus }>
      rowKey="id"
      headerTitle="回调发件箱"
      actionRef={table}
      columns={columns}
      form={{ syncToUrl: true }}
      search={{ labelWidth: 'auto' }}
      options={{ density: false, setting: false }}
      pagination={{ pageSize: PAGE_SIZE, showSizeChanger: false }}
      request={async ({ current = 1, status: shown }) => {
        setStatus(shown);
        return pages.request(current, { status: shown }, PAGE_SIZE, async (page) => {
          const { callbacks, next_before_id } = await partnerCallbacks(shown, page);
          return { rows: callbacks, next_before_id };
        });
      }}
      toolBarRender={() => [<ExportButton key="export" path={CALLBACKS_EXPORT_PATH} query={{ status }} />]}
    />
  );
}
