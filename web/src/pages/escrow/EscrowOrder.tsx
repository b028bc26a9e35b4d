import { PlusOutlined } from '@ant-design/icons';
import {
  PageContainer,
  ProCard,
  ProFormDependency,
  ProFormRadio,
  ProFormText,
  ProFormTextArea,
} from '@ant-design/pro-components';
import { Button, Descriptions, Result, Space, Spin, Table, Tag, Typography } from 'antd';
import { useCallback } from 'react';
import { Link, useParams } from 'react-router';
import {
  ESCROW_STATE_LABELS,
  type EscrowPayout,
  type EscrowRelease,
  escrowOrder,
  PAYOUT_STATE_LABELS,
  RELEASE_STATE_LABELS,
  type ReleaseRequest,
  requestRelease,
  retryPayout,
} from '../../api/escrow';
import ActionForm from '../../components/ActionForm';
import CodeTag from '../../components/CodeTag';
import ConfirmButton from '../../components/ConfirmButton';
import { useOutcome } from '../../components/useOutcome';
import { useRecord } from '../../components/useRecord';
import { formatFen, formatFenYuan, yuanToFen } from '../../format-money';
import { useStaff } from '../../session';
import PartiesCard from './PartiesCard';
import ReleaseDecision from './ReleaseDecision';
import { ESCROW_STATE_COLORS, PAYOUT_STATE_COLORS, RELEASE_STATE_COLORS } from './tags';

const money = (fen: number) => formatFen(fen);
type RequestValues = Omit<ReleaseRequest, 'amount'> & { amount: string };

/** 申请放款 / 申请退款: the maker's request, in 元; nothing moves until another clerk approves. */
function RequestForm({ held, submit }: { held: number; submit(body: ReleaseRequest): Promise<unknown> }) {
  return (
    <ActionForm<RequestValues>
      title="申请放款或退款"
      okText="提交申请"
      trigger={
        <Button type="primary" icon={<PlusOutlined />}>
          申请放款/退款
        </Button>
      }
      initialValues={{ kind: 'release' }}
      onSubmit={({ amount, ...rest }) => submit({ ...rest, amount: yuanToFen(amount) ?? 0 })}
    >
      <Typography.Paragraph type="secondary">
        监管账户余额 {formatFenYuan(held)}。提交后须由另一位资金监管人员审批，审批通过才划款。
      </Typography.Paragraph>
      <ProFormRadio.Group
        name="kind"
        label="类型"
        options={[
          { value: 'release', label: '放款给房东（首笔放款扣服务费）' },
          { value: 'refund', label: '退款给买方' },
        ]}
      />
      <ProFormText
        name="amount"
        label="金额（元）"
        rules={[
          { required: true, message: '请填写金额' },
          {
            validator: (_, value: string | undefined) =>
              !value || yuanToFen(value) !== undefined
                ? Promise.resolve()
                : Promise.reject(new Error('金额须大于0，最多两位小数')),
          },
        ]}
      />
      <ProFormTextArea
        name="reason"
        label="原因"
        rules={[{ required: true, whitespace: true, message: '请填写原因' }]}
        fieldProps={{ maxLength: 200, showCount: true, rows: 2 }}
      />
      <ProFormDependency name={['kind']}>
        {({ kind }) =>
          kind === 'refund' && (
            <Space size={16} align="start">
              <ProFormText
                name="payee_card_no"
                label="买方收款卡号"
                rules={[{ required: true, message: '请填写收款卡号' }]}
                width="md"
              />
              <ProFormText
                name="payee_bank"
                label="收款银行"
                rules={[{ required: true, message: '请填写收款银行' }]}
              />
            </Space>
          )
        }
      </ProFormDependency>
    </ActionForm>
  );
}

/**
 * An escrow order's money as the ledger holds it, its release and refund requests with the
 * maker-checker decision, and the payouts with their retry. Any move reloads the order, so the
 * balances shown are always the ledger's. The server judges who may approve: the maker's own
 * approval is refused (and shown) however the buttons look.
 */
export default function EscrowOrder() {
  const { houseOrderNo = '' } = useParams();
  const staff = useStaff();
  const { outcome, run, done, clear } = useOutcome();
  const {
    record: order,
    missing,
    load,
  } = useRecord(
    useCallback(() => escrowOrder(houseOrderNo), [houseOrderNo]),
    clear,
  );

  const back = <Link to="/escrow-orders">返回监管订单</Link>;
  if (missing) return <Result status="warning" title={missing} extra={back} />;
  if (!order) return <Spin />;

  /** A move, then the order read again (the ledger moved). */
  const act = <T,>(call: () => Promise<T>, text: string | ((answer: T) => string)) =>
    run(call, text).finally(load);
  /** The same from a dialog, which shows a refusal itself. */
  const actInDialog = async <T,>(call: () => Promise<T>, text: (answer: T) => string) => {
    done(text(await call()));
    await load();
  };
  const { funds } = order;

  return (
    <PageContainer
      title={`监管订单 ${order.house_order_no}`}
      subTitle={
        <Space>
          <CodeTag code={order.state} labels={ESCROW_STATE_LABELS} colors={ESCROW_STATE_COLORS} />
          <span>{order.template_id}</span>
        </Space>
      }
      extra={
        <Space>
          {funds.held > 0 && (
            <RequestForm
              held={funds.held}
              submit={(body) =>
                actInDialog(
                  () => requestRelease(order.house_order_no, body),
                  (release) =>
                    `已提交${release.kind_label}申请 ${formatFenYuan(release.amount)}（编号 ${release.id}），待另一位资金监管人员审批`,
                )
              }
            />
          )}
          {back}
        </Space>
      }
    >
      <ProCard direction="column" gutter={[0, 16]} ghost>
        {outcome}
        <PartiesCard parties={order.parties} />
        <ProCard title="监管资金">
          <Descriptions column={4} size="small">
            <Descriptions.Item label="监管账户余额">
              <Typography.Text strong>{formatFenYuan(funds.held)}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label="待付房东">{formatFenYuan(funds.payable_landlord)}</Descriptions.Item>
            <Descriptions.Item label="待退买方">{formatFenYuan(funds.refund_buyer)}</Descriptions.Item>
            <Descriptions.Item label="服务费">
              {formatFenYuan(order.service_fee_amount)}（已扣 {formatFenYuan(funds.fee_taken)}）
            </Descriptions.Item>
            <Descriptions.Item label="已放款">{formatFenYuan(funds.released)}</Descriptions.Item>
            <Descriptions.Item label="已退款">{formatFenYuan(funds.refunded)}</Descriptions.Item>
          </Descriptions>
          <Table
            size="small"
            rowKey="amount_type"
            pagination={false}
            dataSource={funds.types}
            columns={[
              { title: '款项', dataIndex: 'label' },
              { title: '应付（元）', dataIndex: 'due', align: 'right', render: money },
              { title: '已付（元）', dataIndex: 'paid', align: 'right', render: money },
              { title: '逾期到账（元）', dataIndex: 'late_paid', align: 'right', render: money },
            ]}
          />
        </ProCard>
        <ProCard title="放款与退款申请">
          <Table<EscrowRelease>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={order.releases}
            scroll={{ x: 1060 }}
            columns={[
              { title: '编号', dataIndex: 'id', width: 56 },
              { title: '类型', dataIndex: 'kind_label', width: 56 },
              { title: '金额（元）', dataIndex: 'amount', align: 'right', width: 110, render: money },
              { title: '服务费（元）', dataIndex: 'fee', align: 'right', width: 100, render: money },
              {
                title: '状态',
                dataIndex: 'state',
                width: 80,
                render: (state: string) => (
                  <CodeTag code={state} labels={RELEASE_STATE_LABELS} colors={RELEASE_STATE_COLORS} />
                ),
              },
              { title: '原因', dataIndex: 'reason', ellipsis: true },
              {
                title: '收款方',
                key: 'payee',
                width: 180,
                ellipsis: true,
                render: (_, r) => `${r.payee_name} ${r.payee_bank} ${r.payee_card_no}`,
              },
              {
                title: '申请人',
                dataIndex: 'requested_by',
                width: 140,
                render: (who: string) => (
                  <Space size={4}>
                    {who}
                    {who === staff.username && <Tag>本人</Tag>}
                  </Space>
                ),
              },
              {
                title: '审批',
                key: 'decision',
                width: 190,
                // Always in view at 1366 wide: the decision is what the checker came for.
                fixed: 'right',
                render: (_, r) => <ReleaseDecision release={r} act={act} actInDialog={actInDialog} />,
              },
            ]}
          />
        </ProCard>
        <ProCard title="付款">
          <Table<EscrowPayout>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={order.payouts}
            columns={[
              { title: '付款单号', dataIndex: 'payout_no', width: 200 },
              { title: '申请编号', dataIndex: 'release_id', width: 80 },
              { title: '金额（元）', dataIndex: 'amount', align: 'right', width: 120, render: money },
              {
                title: '状态',
                dataIndex: 'state',
                width: 80,
                render: (state: string) => (
                  <CodeTag code={state} labels={PAYOUT_STATE_LABELS} colors={PAYOUT_STATE_COLORS} />
                ),
              },
              { title: '尝试次数', dataIndex: 'attempts', width: 80 },
              {
                title: '银行答复',
                key: 'failure',
                ellipsis: true,
                render: (_, p) =>
                  p.failure_code ? `${p.failure_code} ${p.failure_message ?? ''}` : (p.provider_id ?? '—'),
              },
              { title: '更新时间', dataIndex: 'updated_at', width: 160 },
              {
                title: '操作',
                key: 'retry',
                width: 80,
                render: (_, p) =>
                  p.state === 'failed' && (
                    <ConfirmButton
                      label="重试"
                      title={`重新发起付款 ${p.payout_no}？`}
                      description="同一付款单号，最多到账一次"
                      okText="重试"
                      size="small"
                      onConfirm={() =>
                        act(
                          () => retryPayout(p.id),
                          (answer) => `已重试付款 ${answer.payout_no}`,
                        )
                      }
                    />
                  ),
              },
            ]}
          />
        </ProCard>
      </ProCard>
    </PageContainer>
  );
}
