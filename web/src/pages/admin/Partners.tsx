import {
  type ActionType,
  type ProColumns,
  ProFormSelect,
  ProFormText,
  ProTable,
} from '@ant-design/pro-components';
import { Button, Drawer, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import {
  createPartner,
  PARTNER_CALL_NAMES,
  PARTNERS_EXPORT_PATH,
  type Partner,
  type PartnerCall,
  partnerCalls,
  partnerCallsExportPath,
  partners,
} from '../../api/admin';
import ExportButton from '../../components/ExportButton';
import { formatBeijing } from '../../time';
import { CreateForm } from './CreateForm';

/** `*` grants every call; the form offers it beside the calls by name. */
const ALL_CALLS = '*';

interface PartnerForm {
  ua: string;
  signkey: string;
  calls: string[];
  callback_url?: string;
}

const callColumns: ProColumns<PartnerCall>[] = [
  { title: '时间', dataIndex: 'created_at', width: 150, render: (_, row) => formatBeijing(row.created_at) },
  { title: '接口', dataIndex: 'call' },
  {
    title: '状态',
    dataIndex: 'status',
    width: 90,
    render: (_, row) =>
      row.status === 1 ? <Tag color="green">成功</Tag> : <Tag color="red">{row.status}</Tag>,
  },
  { title: '结果', dataIndex: 'result', width: 80, render: (_, row) => row.result ?? '—' },
  { title: '说明', dataIndex: 'message', ellipsis: true },
];

/** A partner's gateway calls, newest first, paged by the server (never their arguments). */
function PartnerCalls({ partner, onClose }: { partner: Partner | undefined; onClose: () => void }) {
  return (
    <Drawer
      title={partner && `${partner.ua} 的调用记录`}
      width={760}
      open={partner !== undefined}
      onClose={onClose}
      extra={partner && <ExportButton path={partnerCallsExportPath(partner.id)} />}
    >
      {partner && (
        <ProTable<PartnerCall>
          rowKey="id"
          columns={callColumns}
          search={false}
          options={false}
          pagination={{ pageSize: 20, showSizeChanger: false, showTotal: (total) => `共 ${total} 次调用` }}
          request={async ({ current, pageSize }) => {
            const page = await partnerCalls(partner.id, current ?? 1, pageSize ?? 20);
            return { data: page.calls, total: page.total, success: true };
          }}
        />
      )}
    </Drawer>
  );
}

/** 合作方 (family 4): who may call the gateway, what, and where we call them back. */
export default function Partners() {
  const table = useRef<ActionType>(null);
  const [shown, setShown] = useState<Partner>();

  const columns: ProColumns<Partner>[] = [
    { title: '编号', dataIndex: 'id', width: 72 },
    { title: '合作方标识', dataIndex: 'ua' },
    {
      title: '可调用接口',
      dataIndex: 'calls',
      render: (_, row) =>
        row.calls === ALL_CALLS ? (
          <Tag color="blue">全部接口</Tag>
        ) : (
          row.calls.split(',').map((c) => <Tag key={c}>{c}</Tag>)
        ),
    },
    {
      title: '回调地址',
      dataIndex: 'callback_url',
      ellipsis: true,
      render: (_, row) => row.callback_url ?? <Typography.Text type="secondary">未配置</Typography.Text>,
    },
    {
      title: '状态',
      dataIndex: 'disabled',
      width: 80,
      render: (_, row) => (row.disabled ? <Tag color="red">已停用</Tag> : <Tag color="green">正常</Tag>),
    },
    {
      title: '创建时间',
      dataIndex: 'created_at',
      width: 150,
      render: (_, row) => formatBeijing(row.created_at),
    },
    {
      title: '操作',
      valueType: 'option',
      width: 100,
      render: (_, row) => (
        <Button type="link" size="small" onClick={() => setShown(row)}>
          调用记录
        </Button>
      ),
    },
  ];

  return (
    <>
      <ProTable<Partner>
        rowKey="id"
        headerTitle="合作方"
        actionRef={table}
        columns={columns}
        search={false}
        options={{ density: false, setting: false }}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        request={async () => ({ data: (await partners()).partners, success: true })}
        toolBarRender={() => [
          <ExportButton key="export" path={PARTNERS_EXPORT_PATH} />,
          <CreateForm<PartnerForm>
            key="create"
            title="新增合作方"
            done="合作方已创建"
            initialValues={{ calls: [ALL_CALLS] }}
            send={({ calls, ...partner }) =>
              createPartner({ ...partner, calls: calls.includes(ALL_CALLS) ? ALL_CALLS : calls })
            }
            onDone={() => table.current?.reload()}
          >
            <ProFormText name="ua" label="合作方标识" placeholder="字母、数字、点、下划线或连字符" />
            <ProFormText.Password name="signkey" label="签名密钥" placeholder="16-128个字符" />
            <ProFormSelect
              name="calls"
              label="可调用接口"
              mode="multiple"
              rules={[{ required: true, message: '请选择可调用接口' }]}
              options={[
                { value: ALL_CALLS, label: '全部接口' },
                ...PARTNER_CALL_NAMES.map((name) => ({ value: name, label: name })),
              ]}
            />
            <ProFormText name="callback_url" label="回调地址" placeholder="http(s)://…（不带参数）" />
          </CreateForm>,
        ]}
      />
      <PartnerCalls partner={shown} onClose={() => setShown(undefined)} />
    </>
  );
}
