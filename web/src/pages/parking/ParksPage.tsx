import { PlusOutlined } from '@ant-design/icons';
import {
  PageContainer,
  ProCard,
  ProFormDigit,
  ProFormList,
  ProFormSelect,
  ProFormSwitch,
  ProFormText,
} from '@ant-design/pro-components';
import { Alert, Button, Space, Table } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import {
  addPark,
  addParkExtras,
  addParkOrgs,
  addProduct,
  addProductVersion,
  type ExtraInput,
  parks as listParks,
  type OrgInput,
  type Park,
  type ProductInput,
  UNIT_TYPE_LABELS,
} from '../../api/parking';
import ActionForm from '../../components/ActionForm';
import { valueEnum } from '../../components/CodeTag';
import ExportButton from '../../components/ExportButton';
import ParkConfigurationView from './ParkConfigurationView';

/** Prices go to the server as 元 text, which it checks (> 0, at most 2 decimals) and names on its field. */
const PRICE_RULES = [
  { required: true, message: '请填写价格' },
  { pattern: /^\d{1,9}(\.\d{1,2})?$/, message: '金额（元），最多两位小数' },
];
const CODE_RULES = [
  { required: true, message: '请填写编号' },
  { pattern: /^[A-Za-z0-9_-]+$/, message: '只能是字母、数字、-、_' },
];

function PriceFields() {
  return (
    <Space size={16}>
      <ProFormText name="inside_price" label="校内价（元）" rules={PRICE_RULES} width="sm" />
      <ProFormText name="outside_price" label="校外价（元）" rules={PRICE_RULES} width="sm" />
    </Space>
  );
}

/** Adds first-level orgs (学院) each with its second level (系). */
function OrgsForm({ park, done }: { park: Park; done(text: string): void }) {
  return (
    <ActionForm<{ orgs: OrgInput[] }>
      title={`添加机构：${park.name}`}
      width={720}
      trigger={<Button size="small">添加机构</Button>}
      initialValues={{ orgs: [{ name: '', org_code: '', children: [] }] }}
      onSubmit={async ({ orgs }) => {
        const answer = await addParkOrgs(park.id, orgs);
        done(
          `已为${park.name}添加 ${answer.orgs.length} 个机构：${answer.orgs.map((o) => `${o.name}（${o.org_code}）`).join('、')}`,
        );
      }}
    >
      <ProFormList
        name="orgs"
        label="一级机构"
        creatorButtonProps={{ creatorButtonText: '再添加一个一级机构' }}
        min={1}
      >
        <Space align="start">
          <ProFormText name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]} />
          <ProFormText name="org_code" label="编号" rules={CODE_RULES} />
        </Space>
        <ProFormList
          name="children"
          label="二级机构"
          creatorButtonProps={{ creatorButtonText: '添加二级机构' }}
        >
          <Space align="start">
            <ProFormText name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]} />
            <ProFormText name="org_code" label="编号" rules={CODE_RULES} />
          </Space>
        </ProFormList>
      </ProFormList>
    </ActionForm>
  );
}

/** Adds extra items an order must or may carry (text or picture), after the park's own. */
function ExtrasForm({ park, done }: { park: Park; done(text: string): void }) {
  return (
    <ActionForm<{ extras: ExtraInput[] }>
      title={`添加附加信息：${park.name}`}
      width={720}
      trigger={<Button size="small">添加附加信息</Button>}
      initialValues={{ extras: [{ name: '', code: '', type: '1', required: false }] }}
      onSubmit={async ({ extras }) => {
        const answer = await addParkExtras(park.id, extras);
        done(
          `已为${park.name}添加附加信息：${answer.extras.map((e) => `${e.name}（${e.code}）`).join('、')}`,
        );
      }}
    >
      <ProFormList name="extras" creatorButtonProps={{ creatorButtonText: '再添加一项' }} min={1}>
        <Space align="start">
          <ProFormText
            name="name"
            label="名称"
            rules={[{ required: true, message: '请填写名称' }]}
            width="sm"
          />
          <ProFormText name="code" label="编号" rules={CODE_RULES} width="xs" />
          <ProFormSelect name="type" label="类型" valueEnum={{ '0': '文本', '1': '图片' }} width="xs" />
          <ProFormSwitch name="required" label="必填" />
        </Space>
      </ProFormList>
    </ActionForm>
  );
}

/**
 * The parks of family 5 and their set-up: add a park, its org tree and extra items, a product
 * with its first prices, and new prices for a product. Each addition is confirmed with what the
 * server answered, and a park's row opens onto what it is configured with, read again after
 * every addition.
 */
export default function ParksPage() {
  const [parks, setParks] = useState<Park[]>();
  const [done, setDoneText] = useState<string>();
  // Bumped by every addition, so an open park re-reads its configuration.
  const [changes, setChanges] = useState(0);
  const setDone = useCallback((text: string | undefined) => {
    setDoneText(text);
    if (text) setChanges((n) => n + 1);
  }, []);

  const load = useCallback(() => {
    // A failure is a 401/403, which the shell shows.
    listParks().then(
      (answer) => setParks(answer.parks),
      () => undefined,
    );
  }, []);
  useEffect(load, [load]);

  return (
    <PageContainer title="停车场与产品">
      <ProCard direction="column" gutter={[0, 16]} ghost>
        {done && <Alert type="success" showIcon message={done} closable onClose={() => setDone(undefined)} />}
        <ProCard
          title="停车场"
          extra={
            <Space>
              <ExportButton path="/api/parking/parks/export.csv">导出停车场与产品</ExportButton>
              <ActionForm<{ id: string; name: string }>
                title="新增停车场"
                trigger={
                  <Button type="primary" icon={<PlusOutlined />}>
                    新增停车场
                  </Button>
                }
                onSubmit={async (values) => {
                  const park = await addPark(values);
                  setDone(`已新增停车场 ${park.name}（${park.id}）`);
                  load();
                }}
              >
                <ProFormText name="id" label="停车场ID（pmParkId）" rules={CODE_RULES} />
                <ProFormText name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]} />
              </ActionForm>
            </Space>
          }
        >
          <Table<Park>
            size="small"
            rowKey="id"
            loading={!parks}
            dataSource={parks}
            pagination={false}
            expandable={{
              expandedRowRender: (park) => <ParkConfigurationView parkId={park.id} version={changes} />,
            }}
            columns={[
              { title: '停车场ID', dataIndex: 'id', width: 180 },
              { title: '名称', dataIndex: 'name' },
              { title: '创建时间', dataIndex: 'created_at', width: 180 },
              {
                title: '设置',
                key: 'actions',
                width: 220,
                render: (_, park) => (
                  <Space>
                    <OrgsForm park={park} done={setDone} />
                    <ExtrasForm park={park} done={setDone} />
                  </Space>
                ),
              },
            ]}
          />
        </ProCard>
        <ProCard
          title="产品与价格"
          extra={
            <Space>
              <ActionForm<ProductInput>
                title="新增产品"
                trigger={<Button icon={<PlusOutlined />}>新增产品</Button>}
                initialValues={{ unit_type: '4', unit_count: 1, audit_before_pay: true }}
                onSubmit={async (values) => {
                  const product = await addProduct(values);
                  setDone(
                    `已新增产品 ${product.name}：产品ID ${product.id}，价格版本 ${product.version.id}（校内 ${product.version.inside_price} 元 / 校外 ${product.version.outside_price} 元）`,
                  );
                }}
              >
                <ProFormSelect
                  name="park_id"
                  label="停车场"
                  rules={[{ required: true, message: '请选择停车场' }]}
                  options={(parks ?? []).map((p) => ({ value: p.id, label: p.name }))}
                />
                <ProFormText
                  name="name"
                  label="产品名称"
                  rules={[{ required: true, message: '请填写名称' }]}
                />
                <Space size={16}>
                  <ProFormSelect
                    name="unit_type"
                    label="计费单位"
                    valueEnum={valueEnum(UNIT_TYPE_LABELS)}
                    width="xs"
                  />
                  <ProFormDigit name="unit_count" label="每份单位数" min={1} max={1000} width="xs" />
                  <ProFormSwitch name="audit_before_pay" label="支付前审核" />
                </Space>
                <PriceFields />
              </ActionForm>
              <ActionForm<{ product_id: string; inside_price: string; outside_price: string }>
                title="调整价格"
                trigger={<Button>调整价格</Button>}
                onSubmit={async ({ product_id, ...prices }) => {
                  const version = await addProductVersion(product_id.trim(), prices);
                  setDone(
                    `已生效新价格版本 ${version.id}：校内 ${version.inside_price} 元 / 校外 ${version.outside_price} 元（旧版本的订单将被拒绝）`,
                  );
                }}
              >
                <ProFormText
                  name="product_id"
                  label="产品ID（pmSetrentId）"
                  rules={[{ required: true, message: '请填写产品ID' }]}
                />
                <PriceFields />
              </ActionForm>
            </Space>
          }
        >
          新增产品时同时设定首个价格版本；调整价格即生成新版本，此后下单须使用新版本。
        </ProCard>
      </ProCard>
    </PageContainer>
  );
}
