import { type ProColumns, ProTable } from '@ant-design/pro-components';
import { Tag } from 'antd';
import { useRef, useState } from 'react';
import {
  SMS_EXPORT_PATH,
  SMS_STATUS_LABELS,
  type SmsMessage,
  type SmsStatus,
  smsMessages,
} from '../../api/admin';
import { CursorPages } from '../../components/cursor-pages';
import ExportButton from '../../components/ExportButton';

const FAILED: readonly SmsStatus[] = ['failed', 'undelivered'];

const columns: ProColumns<SmsMessage>[] = [
  { title: '编号', dataIndex: 'id', search: false, width: 72 },
  { title: '用途', dataIndex: 'purpose', search: false, width: 120 },
  { title: '手机号', dataIndex: 'phone_masked', search: false, width: 130 },
  { title: '通道', dataIndex: 'provider', search: false, width: 90 },
  { title: '模板', dataIndex: 'template_id', search: false, ellipsis: true },
  {
    title: '状态',
    dataIndex: 'status',
    width: 96,
    valueType: 'select',
    fieldProps: { mode: 'multiple', placeholder: '全部' },
    valueEnum: Object.fromEntries(Object.entries(SMS_STATUS_LABELS).map(([key, text]) => [key, { text }])),
    render: (_, row) => (
      <Tag color={FAILED.includes(row.status) ? 'red' : undefined}>{SMS_STATUS_LABELS[row.status]}</Tag>
    ),
  },
  {
    title: '错误',
    dataIndex: 'error_message',
    search: false,
    ellipsis: true,
    render: (_, row) => (row.error_code ? `${row.error_code} ${row.error_message ?? ''}` : '—'),
  },
  { title: '发送时间', dataIndex: 'created_at', search: false, width: 160 },
  { title: '更新时间', dataIndex: 'updated_at', search: false, width: 160 },
];

const PAGE_SIZE = 20;

/**
 * 短信记录: every text message and its delivery, newest first, phones masked; 20 a page read by
 * keyset from the server, and the whole log (with the status filter) as CSV.
 */
export default function SmsMessages() {
  const pages = useRef(new CursorPages()).current;
  const [statuses, setStatuses] = useState<SmsStatus[]>([]);
  return (
    <ProTable<SmsMessage, { status?: SmsStatus[] }>
      rowKey="id"
      headerTitle="短信记录"
      columns={columns}
      search={{ labelWidth: 'auto' }}
      options={{ density: false, setting: false }}
      pagination={{ pageSize: PAGE_SIZE, showSizeChanger: false }}
      toolBarRender={() => [
        <ExportButton key="export" path={SMS_EXPORT_PATH} query={{ status: statuses.join(',') }} />,
      ]}
      request={async ({ current = 1, status = [] }) => {
        setStatuses(status);
        return pages.request(current, { status }, PAGE_SIZE, async (page) => {
          const { messages, next_before_id } = await smsMessages(status, page);
          return { rows: messages, next_before_id };
        });
      }}
    />
  );
}
