import { EditOutlined } from '@ant-design/icons';
import { PageContainer, ProCard } from '@ant-design/pro-components';
import { Button, Descriptions, Empty, Result, Space, Spin, Table, Tag } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  BORROW_INFO_FIELDS as BORROW,
  CUSTOMER_INFO_FIELDS as CUSTOMER,
  HOUSE_INFO_FIELDS as HOUSE,
} from '../../../../src/modules/loan-orders/loan-order-fields';
import { STAGE_LABELS, type Stage } from '../../../../src/modules/loan-orders/loan-order-state';
import { type AuditEntry, orderAudit, positionOf, type StaffOrder, staffOrder } from '../../api/loans';
import { type CustomerInfo, catalogText, type MianqianForm, type OrderDetail } from '../../api/mianqian';
import { missingRecord } from '../../components/missing-record';
import { useStaff } from '../../session';
import { AuditTimeline, positionText } from './AuditTimeline';
import { BorrowForm, CustomerForm, HouseForm } from './MianqianForms';
import { OrderActions } from './OrderActions';

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

/** A section's edit button, for the 面签 clerk while the order is open at 面签. */
function editButton(onEdit: (() => void) | undefined) {
  return (
    onEdit && (
      <Button size="small" icon={<EditOutlined />} onClick={onEdit}>
        编辑
      </Button>
    )
  );
}

/**
 * The order as order_detail shows it: borrow, house, the borrower with spouse and co-borrower,
 * picture counts and the suggestion history. A section being edited shows its 面签 form instead.
 */
function DetailSections({
  detail,
  editing,
  onEdit,
  onSaved,
}: {
  detail: OrderDetail;
  editing: MianqianForm | undefined;
  /** Undefined when the order cannot be edited here. */
  onEdit: ((form: MianqianForm | undefined) => void) | undefined;
  onSaved: () => void;
}) {
  const { order_info: order, house_info: house, customer_info: customer, user_info: agent } = detail;
  const cityCode = house.house_province === '上海市' ? 'sh' : 'bj';
  const product = detail.production_list.find((p) => p.id === order.production_no);
  const married = customer.marital_tatus === 1;
  const edit = (form: MianqianForm) => (onEdit && editing === undefined ? () => onEdit(form) : undefined);
  const formProps = { detail, onSaved, onCancel: () => onEdit?.(undefined) };

  return (
    <>
      <ProCard title="订单">
        <Descriptions column={3} size="small">
          <Descriptions.Item label="预约时间">{show(order.appointment_time)}</Descriptions.Item>
          <Descriptions.Item label="面签时间">{show(order.mianqian_opt_time)}</Descriptions.Item>
          <Descriptions.Item label="中介">
            {show(agent.realname)} {agent.u_mobile ?? ''}
          </Descriptions.Item>
        </Descriptions>
      </ProCard>
      <ProCard title="借款信息" extra={editButton(edit('borrow'))}>
        {editing === 'borrow' ? (
          <BorrowForm {...formProps} />
        ) : (
          <Descriptions column={3} size="small">
            <Descriptions.Item label={BORROW.loan_money}>{show(order.loan_money, ' 万元')}</Descriptions.Item>
            <Descriptions.Item label={BORROW.loan_limit}>{show(order.loan_limit, ' 个月')}</Descriptions.Item>
            <Descriptions.Item label={BORROW.production_no}>{show(product?.name)}</Descriptions.Item>
            <Descriptions.Item label={BORROW.yueding_lilv}>{show(order.yueding_lilv, '%')}</Descriptions.Item>
            <Descriptions.Item label={BORROW.service_fee}>{show(order.service_fee, '%')}</Descriptions.Item>
          </Descriptions>
        )}
      </ProCard>
      <ProCard title="房产信息" extra={editButton(edit('house'))}>
        {editing === 'house' ? (
          <HouseForm {...formProps} />
        ) : (
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
        )}
      </ProCard>
      {editing === 'customer' ? (
        <ProCard title="客户信息">
          <CustomerForm {...formProps} />
        </ProCard>
      ) : (
        <>
          <ProCard title="借款人" extra={editButton(edit('customer'))}>
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
        </>
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
    </>
  );
}

/**
 * An order reached from a stage's desk (`stage`, whose role the clerk holds): the whole order and
 * its audit trail for every stage's clerk. Where the order is comes with it; while it is open at a
 * stage of the clerk's they pass, return or stop it, and the 面签 clerk edits its three forms while
 * it is at 面签. The server judges each action on its own.
 */
export default function OrderDetailPage({ stage }: { stage: Stage }) {
  const { sonOrderId = '' } = useParams();
  const staff = useStaff();
  const [order, setOrder] = useState<StaffOrder>();
  const [audit, setAudit] = useState<AuditEntry[]>();
  const [missing, setMissing] = useState<string>();
  const [editing, setEditing] = useState<MianqianForm>();
  const [loads, setLoads] = useState(0);

  useEffect(() => {
    setOrder(undefined);
    setAudit(undefined);
    setEditing(undefined);
  }, [sonOrderId]);

  // `loads` asks for the order again after a save or a move.
  useEffect(() => {
    let current = true;
    setMissing(undefined);
    const refuse = (error: unknown) => current && setMissing(missingRecord(error));
    staffOrder(sonOrderId).then((answer) => current && setOrder(answer), refuse);
    orderAudit(sonOrderId).then((entries) => current && setAudit(entries), refuse);
    return () => {
      current = false;
    };
  }, [sonOrderId, loads]);

  const reload = () => setLoads((n) => n + 1);
  const back = <Link to={`/${stage}/orders`}>返回{STAGE_LABELS[stage]}工作台</Link>;
  if (missing) return <Result status="warning" title={missing} extra={back} />;
  if (!order || !audit) return <Spin />;

  const { position } = order;
  const open = position.state === 'open';
  const mayAct = open && staff.roles.includes(position.stage);
  const mayEdit = open && position.stage === 'mianqian' && staff.roles.includes('mianqian');

  return (
    <PageContainer
      title={`订单 ${sonOrderId}`}
      subTitle={catalogText(order.order_type_list, order.order_info.order_type)}
      tags={<Tag color={open ? 'blue' : 'default'}>当前：{positionText(positionOf(position))}</Tag>}
      extra={
        <Space size="large">
          {mayAct && (
            <OrderActions
              sonOrderId={sonOrderId}
              canReturn={position.stage !== 'kefu'}
              onMoved={() => {
                setEditing(undefined);
                reload();
              }}
            />
          )}
          {back}
        </Space>
      }
    >
      <ProCard direction="column" gutter={[0, 16]} ghost>
        <DetailSections
          detail={order}
          editing={editing}
          onEdit={mayEdit ? setEditing : undefined}
          onSaved={() => {
            setEditing(undefined);
            reload();
          }}
        />
        <ProCard title="流转记录">
          <AuditTimeline entries={audit} me={staff} />
        </ProCard>
      </ProCard>
    </PageContainer>
  );
}
