import { PlusOutlined } from '@ant-design/icons';
import { PageContainer, ProFormText } from '@ant-design/pro-components';
import { Button, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { addEscrowIsv, type EscrowIsv, escrowIsvs } from '../../api/escrow';
import ActionForm from '../../components/ActionForm';
import ExportButton from '../../components/ExportButton';
import { useOutcome } from '../../components/useOutcome';

/** "*" for every one, else a list separated by commas (，or ,). */
const scope = (text: string): '*' | string[] => {
  const items = text
    .split(/[,，\s]+/)
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length === 1 && items[0] === '*' ? '*' : items;
};
const showScope = (value: '*' | readonly (string | number)[]) =>
  value === '*' ? <Tag color="blue">全部</Tag> : value.map((item) => <Tag key={item}>{item}</Tag>);

type IsvValues = {
  app_key: string;
  secret: string;
  methods: string;
  store_ids: string;
  callback_url?: string;
};

/**
 * The escrow ISVs that may call the TOP gateway (admin): what each may call and for which stores,
 * where its notifications go. The secret is given once, here, and never shown again.
 */
export default function IsvsPage() {
  const [isvs, setIsvs] = useState<EscrowIsv[]>();
  const { outcome, done } = useOutcome();
  const load = useCallback(() => {
    // A failure is a 401/403, which the shell shows.
    escrowIsvs().then(
      (answer) => setIsvs(answer.isvs),
      () => undefined,
    );
  }, []);
  useEffect(load, [load]);

  return (
    <PageContainer
      title="ISV 管理"
      extra={
        <Space>
          <ExportButton path="/api/escrow-isvs/export.csv" />
          <ActionForm<IsvValues>
            title="新增 ISV"
            trigger={
              <Button type="primary" icon={<PlusOutlined />}>
                新增 ISV
              </Button>
            }
            initialValues={{ methods: '*', store_ids: '*' }}
            onSubmit={async (values) => {
              const stores = scope(values.store_ids);
              const isv = await addEscrowIsv({
                app_key: values.app_key.trim(),
                secret: values.secret,
                methods: scope(values.methods),
                store_ids: stores === '*' ? stores : stores.map(Number),
                ...(values.callback_url?.trim() ? { callback_url: values.callback_url.trim() } : {}),
              });
              done(`已新增 ISV ${isv.app_key}（编号 ${isv.id}）`);
              load();
            }}
          >
            <ProFormText
              name="app_key"
              label="app_key"
              rules={[{ required: true, message: '请填写 app_key' }]}
            />
            <ProFormText.Password
              name="secret"
              label="密钥"
              extra="只在此处填写一次，加密保存，之后不再显示"
              rules={[{ required: true, message: '请填写密钥' }]}
            />
            <ProFormText name="methods" label="可调用的方法" extra="* 为全部，多个用逗号分隔" />
            <ProFormText
              name="store_ids"
              label="可代理的门店ID"
              extra="* 为全部，多个用逗号分隔"
              rules={[{ pattern: /^(\*|[\d,，\s]+)$/, message: '填 * 或门店ID（数字），用逗号分隔' }]}
            />
            <ProFormText name="callback_url" label="通知回调地址" />
          </ActionForm>
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        {outcome}
        <Table<EscrowIsv>
          size="small"
          rowKey="id"
          loading={!isvs}
          dataSource={isvs}
          pagination={false}
          columns={[
            { title: '编号', dataIndex: 'id', width: 70 },
            { title: 'app_key', dataIndex: 'app_key', width: 200 },
            { title: '可调用的方法', dataIndex: 'methods', render: showScope },
            { title: '门店', dataIndex: 'store_ids', width: 160, render: showScope },
            {
              title: '通知回调地址',
              dataIndex: 'callback_url',
              ellipsis: true,
              render: (url: string | null) => url ?? '—',
            },
            {
              title: '状态',
              dataIndex: 'active',
              width: 70,
              render: (active: boolean) => (active ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>),
            },
            { title: '创建时间', dataIndex: 'created_at', width: 160 },
          ]}
        />
      </Space>
    </PageContainer>
  );
}
