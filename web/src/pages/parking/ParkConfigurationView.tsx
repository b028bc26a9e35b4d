import { Descriptions, Space, Spin, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { type ParkConfiguration, parkConfiguration, UNIT_TYPE_LABELS } from '../../api/parking';

/**
 * A park's set-up as the server holds it — the org tree, the extra items and each product at its
 * current prices — read when the row opens and again whenever `version` changes (after an add).
 */
export default function ParkConfigurationView({ parkId, version }: { parkId: string; version: number }) {
  const [config, setConfig] = useState<ParkConfiguration>();
  useEffect(() => {
    // `version` re-reads after each addition; a failure is a 401/403, which the shell shows.
    void version;
    parkConfiguration(parkId).then(setConfig, () => undefined);
  }, [parkId, version]);
  if (!config) return <Spin />;
  return (
    <Descriptions column={1} size="small" bordered>
      <Descriptions.Item label="组织机构">
        {config.orgs.length === 0 ? (
          <Typography.Text type="secondary">尚未设置</Typography.Text>
        ) : (
          <Space direction="vertical" size={4}>
            {config.orgs.map((org) => (
              <span key={org.org_code}>
                <Tag color={org.is_used === 0 ? 'blue' : 'default'}>
                  {org.name}（{org.org_code}）
                </Tag>
                {org.children.map((child) => (
                  <Tag key={child.org_code} color={child.is_used === 0 ? undefined : 'default'}>
                    {child.name}（{child.org_code}）
                  </Tag>
                ))}
              </span>
            ))}
          </Space>
        )}
      </Descriptions.Item>
      <Descriptions.Item label="附加信息">
        {config.extras.length === 0 ? (
          <Typography.Text type="secondary">尚未设置</Typography.Text>
        ) : (
          <Space wrap>
            {config.extras.map((extra) => (
              <Tag key={extra.code}>
                {extra.name}（{extra.code}，{extra.type === '1' ? '图片' : '文本'}
                {extra.required ? '，必填' : ''}）
              </Tag>
            ))}
          </Space>
        )}
      </Descriptions.Item>
      <Descriptions.Item label="产品与现行价格">
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={config.products}
          locale={{ emptyText: '尚无产品' }}
          columns={[
            { title: '产品', dataIndex: 'name' },
            {
              title: '产品ID',
              dataIndex: 'id',
              render: (id: string) => <Typography.Text copyable>{id}</Typography.Text>,
            },
            {
              title: '计费',
              key: 'unit',
              render: (_, p) => `${p.unit_count} ${UNIT_TYPE_LABELS[p.unit_type] ?? p.unit_type}`,
            },
            { title: '支付前审核', dataIndex: 'audit_before_pay', render: (v: number) => (v ? '是' : '否') },
            {
              title: '校内 / 校外（元）',
              key: 'prices',
              render: (_, p) => (p.version ? `${p.version.inside_price} / ${p.version.outside_price}` : '—'),
            },
            { title: '价格生效', key: 'since', render: (_, p) => p.version?.created_at ?? '—' },
          ]}
        />
      </Descriptions.Item>
    </Descriptions>
  );
}
