import {
  App,
  Button,
  Col,
  DatePicker,
  Divider,
  Form,
  type FormInstance,
  Input,
  Radio,
  Row,
  Select,
  Space,
} from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import {
  BORROW_INFO_FIELDS as BORROW,
  CUSTOMER_INFO_FIELDS as CUSTOMER,
  HOUSE_INFO_FIELDS as HOUSE,
} from '../../../../src/modules/loan-orders/loan-order-fields';
import { catalogOptions, type MianqianForm, type OrderDetail, saveMianqianForm } from '../../api/mianqian';
import { formBody, useServerSubmit } from './server-form';

/*
 * The three 面签 forms. The server holds every rule and names every bad field at once, so the
 * forms check nothing themselves: amounts are typed as text (a third decimal reaches the server
 * and comes back as its message on the field), and each refusal lands on its field.
 */

interface FormProps {
  detail: OrderDetail;
  onSaved: () => void;
  onCancel: () => void;
}

const field = (name: string, label: string, input: ReactNode, span = 8) => (
  <Col span={span} key={name}>
    <Form.Item name={name} label={label}>
      {input}
    </Form.Item>
  </Col>
);
const YES_NO = [
  { value: 1, label: '是' },
  { value: 2, label: '否' },
];
const text = (max: number, suffix?: string) => <Input maxLength={max} suffix={suffix} allowClear />;
const choice = (options: { value: number | string; label: string }[]) => (
  <Select options={options} placeholder="请选择" allowClear />
);
/** A stored value as the form starts with it: null is an empty field. */
const initial = (values: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [name, value ?? undefined]));

/** The frame the three share: the refusal above, 保存 / 取消 below, 保存成功 when the server took it. */
function EditForm({
  kind,
  detail,
  initialValues,
  onSaved,
  onCancel,
  children,
}: FormProps & {
  kind: MianqianForm;
  initialValues: Record<string, unknown>;
  children: (form: FormInstance) => ReactNode;
}) {
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const sonOrderId = String(detail.order_info.son_order_id);
  const { submit, submitting, alert } = useServerSubmit(form, (values) =>
    saveMianqianForm(kind, sonOrderId, formBody(values)),
  );
  const onFinish = async () => {
    if (!(await submit())) return;
    message.success('保存成功');
    onSaved();
  };
  return (
    <>
      {alert}
      <Form form={form} layout="vertical" initialValues={initial(initialValues)} onFinish={onFinish}>
        <Row gutter={16}>{children(form)}</Row>
        <Space>
          <Button type="primary" htmlType="submit" loading={submitting}>
            保存
          </Button>
          <Button onClick={onCancel}>取消</Button>
        </Space>
      </Form>
    </>
  );
}

/** save_borrow_info: amount, term and product, and the one figure the product is priced by. */
export function BorrowForm(props: FormProps) {
  const { detail } = props;
  const { order_info: order } = detail;
  return (
    <EditForm
      {...props}
      kind="borrow"
      initialValues={{
        user_realname: detail.user_info.realname,
        loan_money: order.loan_money,
        loan_limit: order.loan_limit,
        production_no: order.production_no,
        yueding_lilv: order.yueding_lilv,
        service_fee: order.service_fee,
      }}
    >
      {(form) => <BorrowFields form={form} detail={detail} />}
    </EditForm>
  );
}

function BorrowFields({ form, detail }: { form: FormInstance; detail: OrderDetail }) {
  const productNo = Form.useWatch('production_no', form) as number | undefined;
  const product = detail.production_list.find((p) => p.id === productNo);
  // Only 中介订单 (order_type 0) has an agent to name.
  const agency = detail.order_info.order_type === 0;
  return (
    <>
      {agency && field('user_realname', BORROW.user_realname, text(20))}
      {field('loan_money', BORROW.loan_money, text(12, '万元'))}
      {field(
        'loan_limit',
        BORROW.loan_limit,
        choice(detail.loan_limit_list.map((months) => ({ value: months, label: `${months}个月` }))),
      )}
      {field(
        'production_no',
        BORROW.production_no,
        choice(detail.production_list.map((p) => ({ value: p.id, label: p.name }))),
      )}
      {product?.type === 0 && field('yueding_lilv', BORROW.yueding_lilv, text(10, '%'))}
      {product?.type === 1 && field('service_fee', BORROW.service_fee, text(10, '%'))}
    </>
  );
}

/** save_house_info: the house in the order's city, its appraisals and earlier mortgages. */
export function HouseForm(props: FormProps) {
  const { detail } = props;
  return (
    <EditForm {...props} kind="house" initialValues={{ ...detail.house_info }}>
      {(form) => <HouseFields form={form} detail={detail} />}
    </EditForm>
  );
}

function HouseFields({ form, detail }: { form: FormInstance; detail: OrderDetail }) {
  const province = Form.useWatch('house_province', form) as string | undefined;
  const cityCode = province === '上海市' ? 'sh' : 'bj';
  return (
    <>
      {field('house_cert_no', HOUSE.house_cert_no, text(64))}
      {field(
        'house_province',
        HOUSE.house_province,
        choice(Object.keys(detail.city_data).map((city) => ({ value: city, label: city }))),
      )}
      {field(
        'house_city',
        HOUSE.house_city,
        choice(
          (detail.city_data[province ?? ''] ?? []).map((district) => ({ value: district, label: district })),
        ),
      )}
      {field('house_address', HOUSE.house_address, text(200), 16)}
      {field('house_type', HOUSE.house_type, choice(catalogOptions(detail.house_type_list[cityCode])))}
      {field('guihuayongtu', HOUSE.guihuayongtu, choice(catalogOptions(detail.guihuayongtu_list[cityCode])))}
      {field('house_size', HOUSE.house_size, text(12, '㎡'))}
      {field('built_in', HOUSE.built_in, text(4, '年'))}
      {field(
        'mortgage_type',
        HOUSE.mortgage_type,
        choice([{ value: 0, label: '未抵押' }, ...catalogOptions(detail.mortgage_type_list)]),
      )}
      {field('before_one_arrived', HOUSE.before_one_arrived, text(12, '万元'))}
      {field('before_two_arrived', HOUSE.before_two_arrived, text(12, '万元'))}
      {field('pg_money_shilian', HOUSE.pg_money_shilian, text(12, '万元'))}
      {field('pg_money_renda', HOUSE.pg_money_renda, text(12, '万元'))}
    </>
  );
}

const MARRIED = 1;
const DIVORCED = 2;
/** Statuses that had a marriage: 已婚, 离异, 丧偶. */
const WAS_MARRIED = [1, 2, 3];

/** One person of the customer form; age and sex are the server's, from the ID number. */
function personFields(prefix: '' | 'link_' | 'link2_') {
  const label = (name: string) => (CUSTOMER as Record<string, string>)[`${prefix}${name}`] ?? name;
  return [
    field(`${prefix}name`, label('name'), text(30)),
    field(`${prefix}mobile`, label('mobile'), text(20)),
    field(`${prefix}id_card`, label('id_card'), text(18)),
    field(`${prefix}domicile`, label('domicile'), text(100)),
    field(`${prefix}unit`, label('unit'), text(100)),
    field(`${prefix}is_execute`, label('is_execute'), <Radio.Group options={YES_NO} />, 4),
    field(`${prefix}unit_is_execute`, label('unit_is_execute'), <Radio.Group options={YES_NO} />, 4),
  ];
}

/** save_customer_info: the borrower, the spouse when married, the co-borrower when declared, the household. */
export function CustomerForm(props: FormProps) {
  const { detail } = props;
  const info = detail.customer_info;
  const day = (value: string | number | null | undefined) =>
    typeof value === 'string' ? dayjs(value) : undefined;
  return (
    <EditForm
      {...props}
      kind="customer"
      initialValues={{ ...info, marry_date: day(info.marry_date), lihun_date: day(info.lihun_date) }}
    >
      {(form) => <CustomerFields form={form} detail={detail} />}
    </EditForm>
  );
}

function CustomerFields({ form, detail }: { form: FormInstance; detail: OrderDetail }) {
  const marital = Form.useWatch('marital_tatus', form) as number | undefined;
  const gongjie = Form.useWatch('gongjie_status', form) as number | undefined;
  const date = <DatePicker style={{ width: '100%' }} />;
  return (
    <>
      <Divider orientation="left">借款人</Divider>
      {personFields('')}
      {field('marital_tatus', CUSTOMER.marital_tatus, choice(catalogOptions(detail.marital_tatus_list)))}
      {marital !== undefined &&
        WAS_MARRIED.includes(marital) &&
        field('marry_date', CUSTOMER.marry_date, date)}
      {marital === DIVORCED && field('lihun_date', CUSTOMER.lihun_date, date)}
      {field(
        'gongjie_status',
        CUSTOMER.gongjie_status,
        <Radio.Group
          options={[
            { value: 0, label: '无共借人' },
            { value: 1, label: '有共借人' },
          ]}
        />,
      )}
      {marital === MARRIED && (
        <>
          <Divider orientation="left">配偶</Divider>
          {personFields('link_')}
        </>
      )}
      {gongjie === 1 && (
        <>
          <Divider orientation="left">共借人</Divider>
          {personFields('link2_')}
        </>
      )}
      <Divider orientation="left">家庭与联系人</Divider>
      {field('month_income', CUSTOMER.month_income, text(12, '元'))}
      {field('address', CUSTOMER.address, text(200))}
      {field('second_address', CUSTOMER.second_address, text(200))}
      {field('emergency_contact', CUSTOMER.emergency_contact, text(30))}
      {field('emergency_mobile', CUSTOMER.emergency_mobile, text(20))}
      {field('emergency_relationship', CUSTOMER.emergency_relationship, text(20))}
      {field('property2_owner', CUSTOMER.property2_owner, text(30))}
      {field('common_proportion', CUSTOMER.common_proportion, text(20))}
    </>
  );
}
