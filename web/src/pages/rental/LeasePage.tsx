import { PageContainer, ProCard } from '@ant-design/pro-components';
import { Descriptions, Result, Space, Spin, Table, Tag, Typography } from 'antd';
import { useCallback } from 'react';
import { Link, useParams } from 'react-router';
import {
  completeRetirement,
  type Installment,
  type LeasePayment,
  type LeaseRefund,
  mayCompleteRetirement,
  PAYMENT_CHANNEL_LABELS,
  PAYMENT_PURPOSE_LABELS,
  PAYMENT_STATUS_LABELS,
  REFUND_STATE_LABELS,
  type Retired,
  lease as readLease,
} from '../../api/rental';
import CodeTag from '../../components/CodeTag';
import ConfirmButton from '../../components/ConfirmButton';
import { useOutcome } from '../../components/useOutcome';
import { useRecord } from '../../components/useRecord';
import { formatFen, formatFenYuan } from '../../format-money';
import { LEASE_STATUS_COLORS, PAYMENT_STATUS_COLORS, REFUND_STATE_COLORS } from './tags';

const money = (fen: number) => formatFen(fen);
const orDash = (text: string | null) => text ?? '—';

/** What a completion did, in the clerk's words: the refunds it asked WeChat for, or why none. */
export function retiredText(answer: Retired): string {
  if (answer.refunds.length === 0) {
    return `${answer.status_label}：押金继续代管（租客还有进行中的租约，或押金无法原路退回）`;
  }
  const total = answer.refunds.reduce((sum, r) => sum + r.amount, 0);
  return `${answer.status_label}：已向微信申请 ${answer.refunds.length} 笔退款，共 ${formatFenYuan(total)}`;
}

/**
 * A lease as operations see it: the tenant and terms, the 押金 and the deposit the platform
 * holds for the tenant, the installments, payments and refunds, and 完成退租 for a lease whose
 * tenant asked to move out — confirmed first, its answer (the refunds) said, the lease read again.
 */
export default function LeasePage() {
  const { id = '' } = useParams();
  const { outcome, run, clear } = useOutcome();
  const {
    record: detail,
    missing,
    load,
  } = useRecord(
    useCallback(() => readLease(id), [id]),
    clear,
  );

  const back = <Link to="/rental/leases">返回租约列表</Link>;
  if (missing) return <Result status="warning" title={missing} extra={back} />;
  if (!detail) return <Spin />;

  return (
    <PageContainer
      title={`租约 ${detail.id}`}
      subTitle={
        <Space>
          <CodeTag
            code={detail.status}
            labels={{ [detail.status]: detail.status_label }}
            colors={LEASE_STATUS_COLORS}
          />
          <span>{detail.mode_label}</span>
        </Space>
      }
      extra={
        <Space>
          <ConfirmButton
            label="完成退租"
            title="完成退租？"
            description="押金将原路退回租客（租客还有进行中的租约时继续代管）"
            okText="完成退租"
            type="primary"
            disabled={!mayCompleteRetirement(detail)}
            onConfirm={() => run(() => completeRetirement(detail.id), retiredText).finally(load)}
          />
          {back}
        </Space>
      }
    >
      <ProCard direction="column" gutter={[0, 16]} ghost>
        {outcome}
        <ProCard title="租约">
          <Descriptions column={3} size="small">
            <Descriptions.Item label="租客">{detail.t_name}</Descriptions.Item>
            <Descriptions.Item label="租客手机号">{detail.tenant_mobile}</Descriptions.Item>
            <Descriptions.Item label="租客编号">{detail.tenant_id}</Descriptions.Item>
            <Descriptions.Item label="房屋" span={2}>
              {detail.h_address}
            </Descriptions.Item>
            <Descriptions.Item label="订金">{detail.booked ? '已付' : '未付'}</Descriptions.Item>
            <Descriptions.Item label="租期">
              {detail.r_s_time} 至 {detail.r_e_time}（{detail.months} 个月）
            </Descriptions.Item>
            <Descriptions.Item label="月租">{formatFenYuan(detail.monthly_rent)}</Descriptions.Item>
            <Descriptions.Item label="租金合计">{formatFenYuan(detail.rent_total)}</Descriptions.Item>
            <Descriptions.Item label="下单时间">{detail.created_at}</Descriptions.Item>
            <Descriptions.Item label="更新时间">{detail.updated_at}</Descriptions.Item>
          </Descriptions>
        </ProCard>
        <ProCard title="押金">
          <Descriptions column={3} size="small">
            <Descriptions.Item label="本租约押金">{formatFenYuan(detail.deposit_total)}</Descriptions.Item>
            <Descriptions.Item label="平台代管押金（该租客全部租约）">
              <Typography.Text strong>{formatFenYuan(detail.deposit_held)}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label="已退押金">
              {formatFenYuan(
                detail.refunds.filter((r) => r.state === 'succeeded').reduce((sum, r) => sum + r.amount, 0),
              )}
            </Descriptions.Item>
          </Descriptions>
        </ProCard>
        <ProCard title="分期">
          <Table<Installment>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={detail.installments}
            columns={[
              { title: '期数', dataIndex: 'seq', width: 70, render: (seq: number) => `第 ${seq} 期` },
              { title: '到期日', dataIndex: 'due_date', width: 120 },
              { title: '租金（元）', dataIndex: 'rent_part', align: 'right', render: money },
              { title: '押金（元）', dataIndex: 'deposit_part', align: 'right', render: money },
              { title: '应付（元）', dataIndex: 'amount', align: 'right', render: money },
              { title: '已预留押金（元）', dataIndex: 'deposit_reserved', align: 'right', render: money },
              {
                title: '状态',
                dataIndex: 'paid',
                width: 80,
                render: (paid: boolean) =>
                  paid ? <Tag color="green">已支付</Tag> : <Tag color="gold">未支付</Tag>,
              },
              { title: '支付时间', dataIndex: 'paid_at', width: 170, render: orDash },
            ]}
          />
        </ProCard>
        <ProCard title="支付记录">
          <Table<LeasePayment>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={detail.payments}
            columns={[
              { title: '商户订单号', dataIndex: 'out_trade_no', width: 220 },
              {
                title: '用途',
                dataIndex: 'purpose',
                width: 90,
                render: (purpose: string) => PAYMENT_PURPOSE_LABELS[purpose] ?? purpose,
              },
              { title: '金额（元）', dataIndex: 'amount', align: 'right', render: money },
              {
                title: '渠道',
                dataIndex: 'channel',
                width: 100,
                render: (channel: LeasePayment['channel']) => PAYMENT_CHANNEL_LABELS[channel] ?? channel,
              },
              {
                title: '状态',
                dataIndex: 'status',
                width: 90,
                render: (status: string) => (
                  <CodeTag code={status} labels={PAYMENT_STATUS_LABELS} colors={PAYMENT_STATUS_COLORS} />
                ),
              },
              { title: '支付时间', dataIndex: 'paid_at', width: 170, render: orDash },
              { title: '创建时间', dataIndex: 'created_at', width: 170 },
            ]}
          />
        </ProCard>
        <ProCard title="退款">
          <Table<LeaseRefund>
            size="small"
            rowKey="out_refund_no"
            pagination={false}
            dataSource={detail.refunds}
            columns={[
              { title: '退款单号', dataIndex: 'out_refund_no', width: 220 },
              { title: '原支付', dataIndex: 'out_trade_no', width: 220 },
              { title: '金额（元）', dataIndex: 'amount', align: 'right', render: money },
              {
                title: '状态',
                dataIndex: 'state',
                width: 90,
                render: (state: string) => (
                  <CodeTag code={state} labels={REFUND_STATE_LABELS} colors={REFUND_STATE_COLORS} />
                ),
              },
              {
                title: '失败原因',
                dataIndex: 'failure_reason',
                ellipsis: true,
                render: orDash,
              },
              { title: '申请时间', dataIndex: 'created_at', width: 170 },
              { title: '完成时间', dataIndex: 'settled_at', width: 170, render: orDash },
            ]}
          />
        </ProCard>
      </ProCard>
    </PageContainer>
  );
}
