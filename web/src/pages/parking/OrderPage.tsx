import { FilePdfOutlined } from '@ant-design/icons';
import { PageContainer, ProCard } from '@ant-design/pro-components';
import { Descriptions, Empty, Image, Result, Space, Spin } from 'antd';
import { useCallback } from 'react';
import { Link, useParams } from 'react-router';
import {
  approveParkingOrder,
  ORDER_TYPE_LABELS,
  PARKING_AUDIT_STATE_LABELS,
  PARKING_ORDER_STATE_LABELS,
  type ParkingOrderDetail,
  type ParkingOrderFile,
  PRICE_TYPE_LABELS,
  parkingFileUrl,
  parkingOrder,
  refundParkingOrder,
  refuseParkingOrder,
  reviewActions,
  UNIT_TYPE_LABELS,
} from '../../api/parking';
import CodeTag from '../../components/CodeTag';
import ConfirmButton from '../../components/ConfirmButton';
import ReasonButton from '../../components/ReasonButton';
import { useOutcome } from '../../components/useOutcome';
import { useRecord } from '../../components/useRecord';
import { formatFenYuan } from '../../format-money';
import { formatBeijing } from '../../time';
import { AUDIT_COLORS, ORDER_COLORS } from './tags';

const time = (ms: number | null) => (ms === null ? '—' : formatBeijing(ms));

/** A document: a picture inline (click to enlarge), a PDF as a link that downloads it. */
function Document({ orderId, file }: { orderId: string; file: ParkingOrderFile }) {
  const url = parkingFileUrl(orderId, file.id);
  const size = `${Math.max(1, Math.round(file.size / 1024))} KB`;
  if (file.content_type.startsWith('image/')) {
    return (
      <Space direction="vertical" size={4} align="center">
        <Image src={url} alt={file.name} width={160} height={120} style={{ objectFit: 'cover' }} />
        <span>
          {file.name}（{size}）
        </span>
      </Space>
    );
  }
  return (
    <a href={url} download>
      <FilePdfOutlined /> {file.name}（PDF，{size}）
    </a>
  );
}

/**
 * One parking order as the reviewer sees it: what was bought, for whom, the extra information
 * and the uploaded documents, and the review: approve, refuse with a reason, or refund a paid
 * order, each confirmed first. Each move answers the order as it now stands, shown at once.
 */
export default function OrderPage() {
  const { id = '' } = useParams();
  const { outcome, run, done, clear } = useOutcome();
  const {
    record: order,
    setRecord: setOrder,
    missing,
  } = useRecord(
    useCallback(() => parkingOrder(id), [id]),
    clear,
  );

  const back = <Link to="/parking-orders">返回审核列表</Link>;
  if (missing) return <Result status="warning" title={missing} extra={back} />;
  if (!order) return <Spin />;

  /** A move answers the order as it now stands; a refusal (409: it moved meanwhile) is said. */
  const act = async (call: () => Promise<ParkingOrderDetail>, text: string) =>
    setOrder(await run(call, text));
  /** The same from a dialog, which shows a refusal itself. */
  const actInDialog = async (call: () => Promise<ParkingOrderDetail>, text: string) => {
    setOrder(await call());
    done(text);
  };
  const allowed = reviewActions(order);

  return (
    <PageContainer
      title={`停车订单 ${order.id}`}
      subTitle={
        <Space>
          <CodeTag code={order.audit_state} labels={PARKING_AUDIT_STATE_LABELS} colors={AUDIT_COLORS} />
          <CodeTag code={order.state} labels={PARKING_ORDER_STATE_LABELS} colors={ORDER_COLORS} />
        </Space>
      }
      extra={
        <Space>
          <ConfirmButton
            label="审核通过"
            title="通过审核？"
            description="通过后车主须在5分钟内完成支付"
            okText="通过"
            type="primary"
            disabled={!allowed.approve}
            onConfirm={() => act(() => approveParkingOrder(order.id), '已审核通过')}
          />
          <ReasonButton
            label="审核拒绝"
            prompt="拒绝后订单关闭，车主可重新下单。请填写拒绝原因（车主可见）："
            maxLength={255}
            danger
            disabled={!allowed.refuse}
            onSubmit={(reason) => actInDialog(() => refuseParkingOrder(order.id, reason), '已拒绝')}
          />
          <ReasonButton
            label="退款"
            prompt={`将通过微信全额退款 ${formatFenYuan(order.amount_fen)}，退款成功后车位有效期相应收回。请填写退款原因：`}
            maxLength={255}
            danger
            disabled={!allowed.refund}
            onSubmit={(reason) =>
              actInDialog(
                () => refundParkingOrder(order.id, reason),
                `已申请退款 ${formatFenYuan(order.amount_fen)}，等待微信退款结果`,
              )
            }
          />
          {back}
        </Space>
      }
    >
      <ProCard direction="column" gutter={[0, 16]} ghost>
        {outcome}
        <ProCard title="订单">
          <Descriptions column={3} size="small">
            <Descriptions.Item label="类型">
              {ORDER_TYPE_LABELS[order.order_type] ?? order.order_type}
            </Descriptions.Item>
            <Descriptions.Item label="产品">{order.product_name}</Descriptions.Item>
            <Descriptions.Item label="价格">
              {PRICE_TYPE_LABELS[order.price_type] ?? order.price_type}
            </Descriptions.Item>
            <Descriptions.Item label="购买数量">
              {order.count} {UNIT_TYPE_LABELS[order.unit_type] ?? order.unit_type}
            </Descriptions.Item>
            <Descriptions.Item label="金额">{formatFenYuan(order.amount_fen)}</Descriptions.Item>
            <Descriptions.Item label="有效期">
              {time(order.start_dt)} 至 {time(order.end_dt)}
            </Descriptions.Item>
            <Descriptions.Item label="下单时间">{time(order.created_at)}</Descriptions.Item>
            <Descriptions.Item label="支付截止">
              {order.audit_state === '02' ? '审核通过后5分钟' : time(order.expires_at)}
            </Descriptions.Item>
            <Descriptions.Item label="支付时间">{time(order.pay_suc_dt)}</Descriptions.Item>
            <Descriptions.Item label="商户订单号">{order.out_trade_no ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="卡号">{order.card_id}</Descriptions.Item>
            <Descriptions.Item label="停车场">{order.park_id}</Descriptions.Item>
          </Descriptions>
        </ProCard>
        <ProCard title="审核">
          <Descriptions column={3} size="small">
            <Descriptions.Item label="支付前审核">
              {order.is_audit_before_pay === 1 ? '是' : '否'}
            </Descriptions.Item>
            <Descriptions.Item label="审核人">{order.audited_by ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="审核时间">{time(order.audited_at)}</Descriptions.Item>
            <Descriptions.Item label="拒绝原因" span={3}>
              {order.audit_reason ?? '—'}
            </Descriptions.Item>
          </Descriptions>
        </ProCard>
        <ProCard title="车主信息">
          <Descriptions column={3} size="small">
            <Descriptions.Item label="一级机构">{order.first_org_name ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="二级机构">{order.second_org_name ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="所属部门">{order.user_department ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="职工编号">{order.duplicate_code ?? '—'}</Descriptions.Item>
            {order.extra_info
              .filter((item) => item.type === '0')
              .map((item) => (
                <Descriptions.Item key={item.code} label={item.name}>
                  {item.content || '—'}
                </Descriptions.Item>
              ))}
          </Descriptions>
        </ProCard>
        <ProCard title="证明材料">
          {order.files.length === 0 ? (
            <Empty description="未上传材料" />
          ) : (
            <Space wrap size={24} align="start">
              {[...order.files]
                .sort((a, b) => a.slot - b.slot)
                .map((file) => (
                  <Document key={file.id} orderId={order.id} file={file} />
                ))}
            </Space>
          )}
        </ProCard>
      </ProCard>
    </PageContainer>
  );
}
