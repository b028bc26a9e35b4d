import { PageContainer, ProCard } from '@ant-design/pro-components';
import { Descriptions, Empty, Result, Spin, Table, Tag } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  BORROW_INFO_FIELDS as BORROW,
  CUSTOMER_INFO_FIELDS as CUSTOMER,
  HOUSE_INFO_FIELDS as HOUSE,
} from '../../../../src/modules/loan-orders/loan-order-fields';
import { ApiError } from '../../api/client';
import { type CustomerInfo, catalogText, type OrderDetail, orderDetail } from '../../api/mianqian';

const show = (value: string | number | null | undefined, unit = ''): ReactNode =>
  value === null || value === undefined || value === '' ? '—' : `${value}${unit}`;
const YES_NO: Record<number, string> = { 1: '是', 2: '否' };
const SEX: Record<number, string> = { 1: '男', 2: '女' };
/** suggest_type as the spec numbers it. */
const SUGGEST_TYPES: Record<number, string> = {
  0: '客服',
  1: '面审',
  2: '权证',
  3: '终审',
  4: '审查A',
  5: '审查B',
  6: '面审返回',
  7: '面签',
};

/** One person of the customer form: `prefix` '' the borrower, link_ the spouse, link2_ the co-borrower. */
function Person({ info, prefix }: { info: CustomerInfo; prefix: '' | 'link_' | 'link2_' }) {
  const field = (name: string) => info[`${prefix}${name}`] ?? null;
  const label = (name: string) => (CUSTOMER as Record<string, string>)[`${prefix}${name}`] ?? name;
  const code = (name: string, texts: Record<number, string>) => {
    const value = field(name);
    return typeof value === 'number' ? (texts[value] ?? String(value)) : '—';
  };
  return (
    <Descriptions column={3} size="small">
      <Descriptions.Item label={label('name')}>{show(field('name'))}</Descriptions.Item>
      <Descriptions.Item label={label('mobile')}>{show(field('mobile'))}</Descriptions.Item>
      <Descriptions.Item label={label('id_card')}>{show(field('id_card'))}</Descriptions.Item>
      <Descriptions.Item label={label('age')}>{show(field('age'))}</Descriptions.Item>
      <Descriptions.Item label={label('sex')}>{code('sex', SEX)}</Descriptions.Item>
      <Descriptions.Item label={label('domicile')}>{show(field('domicile'))}</Descriptions.Item>
      <Descriptions.Item label={label('unit')}>{show(field('unit'))}</Descriptions.Item>
      <Descriptions.Item label={label('is_execute')}>{code('is_execute', YES_NO)}</Descriptions.Item>
      <Descriptions.Item label={label('unit_is_execute')}>
        {code('unit_is_execute', YES_NO)}
      </Descriptions.Item>
    </Descriptions>
  );
}

/**
 * An order as the 面签 desk sees it, read-only: the order, borrow and house information, the
 * borrower with spouse and co-borrower, picture counts and the suggestion history. One call
 * (order_detail), which also carries the catalogs the codes are shown through.
 */
export default function OrderDetailPage() {
  const { sonOrderId = '' } = useParams();
  const [detail, setDetail] = useState<OrderDetail>();
  const [refusal, setRefusal] = useState<string>();

  useEffect(() => {
    setDetail(undefined);
    setRefusal(undefined);
    orderDetail(sonOrderId).then(setDetail, (error: unknown) => {
      // 401 and 403 are the shell's; an unknown order is refused with code 0.
      if (!(error instanceof ApiError) || (error.status !== 401 && error.status !== 403)) {
        setRefusal(error instanceof Error ? error.message : String(error));
      }
    });
  }, [sonOrderId]);

  const back = <Link to="/mianqian/orders">返回面签工作台</Link>;
  if (refusal) return <Result status="warning" title={refusal} extra={back} />;
  if (!detail) return <Spin />;

  const { order_info: order, house_info: house, customer_info: customer, user_info: agent } = detail;
  const cityCode = house.house_province === '上海市' ? 'sh' : 'bj';
  const product = detail.production_list.find((p) => p.id === order.production_no);
  const married = customer.marital_tatus === 1;

  return (
    <PageContainer
      title={`订单 ${order.son_order_id}`}
      subTitle={catalogText(detail.order_type_list, order.order_type)}
      extra={back}
    >
      <ProCard direction="column" gutter={[0, 16]} ghost>
        <ProCard title="订单">
          <Descriptions column={3} size="small">
            <Descriptions.Item label="预约时间">{show(order.appointment_time)}</Descriptions.Item>
            <Descriptions.Item label="面签时间">{show(order.mianqian_opt_time)}</Descriptions.Item>
            <Descriptions.Item label="中介">
              {show(agent.realname)} {agent.u_mobile ?? ''}
            </Descriptions.Item>
          </Descriptions>
        </ProCard>
        <ProCard title="借款信息">
          <Descriptions column={3} size="small">
            <Descriptions.Item label={BORROW.loan_money}>{show(order.loan_money, ' 万元')}</Descriptions.Item>
            <Descriptions.Item label={BORROW.loan_limit}>{show(order.loan_limit, ' 个月')}</Descriptions.Item>
            <Descriptions.Item label={BORROW.production_no}>{show(product?.name)}</Descriptions.Item>
            <Descriptions.Item label={BORROW.yueding_lilv}>{show(order.yueding_lilv, '%')}</Descriptions.Item>
            <Descriptions.Item label={BORROW.service_fee}>{show(order.service_fee, '%')}</Descriptions.Item>
          </Descriptions>
        </ProCard>
        <ProCard title="房产信息">
          <Descriptions column={3} size="small">
            <Descriptions.Item label={HOUSE.house_cert_no}>{show(house.house_cert_no)}</Descriptions.Item>
            <Descriptions.Item label={HOUSE.house_province}>
              {house.house_province} {house.house_city ?? ''}
            </Descriptions.Item>
            <Descriptions.Item label={HOUSE.house_address}>{show(house.house_address)}</Descriptions.Item>
            <Descriptions.Item label={HOUSE.house_type}>
              {catalogText(detail.house_type_list[cityCode], house.house_type)}
            </Descriptions.Item>
            <Descriptions.Item label={HOUSE.guihuayongtu}>
              {catalogText(detail.guihuayongtu_list[cityCode], house.guihuayongtu)}
            </Descriptions.Item>
            <Descriptions.Item label={HOUSE.house_size}>{show(house.house_size, ' ㎡')}</Descriptions.Item>
            <Descriptions.Item label={HOUSE.built_in}>{show(house.built_in)}</Descriptions.Item>
            <Descriptions.Item label={HOUSE.mortgage_type}>
              {house.mortgage_type === 0
                ? '未抵押'
                : catalogText(detail.mortgage_type_list, house.mortgage_type)}
            </Descriptions.Item>
            <Descriptions.Item label={HOUSE.before_one_arrived}>
              {show(house.before_one_arrived, ' 万元')}
            </Descriptions.Item>
            <Descriptions.Item label={HOUSE.before_two_arrived}>
              {show(house.before_two_arrived, ' 万元')}
            </Descriptions.Item>
            <Descriptions.Item label={HOUSE.pg_money_shilian}>
              {show(house.pg_money_shilian, ' 万元')}
            </Descriptions.Item>
            <Descriptions.Item label={HOUSE.pg_money_renda}>
              {show(house.pg_money_renda, ' 万元')}
            </Descriptions.Item>
          </Descriptions>
        </ProCard>
        <ProCard title="借款人">
          <Person info={customer} prefix="" />
          <Descriptions column={3} size="small">
            <Descriptions.Item label={CUSTOMER.marital_tatus}>
              {catalogText(detail.marital_tatus_list, customer.marital_tatus as number | null)}
            </Descriptions.Item>
            <Descriptions.Item label={CUSTOMER.month_income}>
              {show(customer.month_income, ' 元')}
            </Descriptions.Item>
            <Descriptions.Item label={CUSTOMER.address}>{show(customer.address)}</Descriptions.Item>
            <Descriptions.Item label={CUSTOMER.emergency_contact}>
              {show(customer.emergency_contact)} {customer.emergency_mobile ?? ''}
            </Descriptions.Item>
            <Descriptions.Item label={CUSTOMER.emergency_relationship}>
              {show(customer.emergency_relationship)}
            </Descriptions.Item>
          </Descriptions>
        </ProCard>
        {married && (
          <ProCard title="配偶">
            <Person info={customer} prefix="link_" />
          </ProCard>
        )}
        {customer.gongjie_status === 1 && (
          <ProCard title="共借人">
            <Person info={customer} prefix="link2_" />
          </ProCard>
        )}
        <ProCard title="图片资料">
          {detail.pic_data.length === 0 ? (
            <Empty />
          ) : (
            <Descriptions column={1} size="small">
              {detail.pic_data.map((category) => (
                <Descriptions.Item key={category.hpc_id} label={category.hpc_name}>
                  {category.son_cate_list.map((sub) => `${sub.hpc_name} ${sub.pic_num} 张`).join('　')}
                </Descriptions.Item>
              ))}
            </Descriptions>
          )}
        </ProCard>
        <ProCard title="建议记录">
          <Table
            size="small"
            pagination={false}
            rowKey={(_, index) => String(index)}
            dataSource={detail.suggest_list}
            columns={[
              { title: '时间', dataIndex: 'create_time', width: 180, render: (v: string | null) => show(v) },
              {
                title: '环节',
                dataIndex: 'suggest_type',
                width: 100,
                render: (v: number) => <Tag>{SUGGEST_TYPES[v] ?? v}</Tag>,
              },
              { title: '内容', dataIndex: 'content' },
            ]}
          />
        </ProCard>
      </ProCard>
    </PageContainer>
  );
}
