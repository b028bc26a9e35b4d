import { PageContainer, ProCard } from '@ant-design/pro-components';
import { App, Button, DatePicker, Form, Input, Radio, Select } from 'antd';
import { Link, useNavigate } from 'react-router';
import { CITIES, ORDER_TYPES } from '../../../../src/modules/loan-orders/loan-order-catalog';
import { ORDER_CREATE_FIELDS as LABELS } from '../../../../src/modules/loan-orders/loan-order-fields';
import { createOrder, type NewOrder } from '../../api/loans';
import { formBody, useServerSubmit } from './server-form';

/** 中介订单: the agent who brought the customer is named; 直户订单 has none. */
const AGENCY = 0;

/**
 * 客服 opens an order (POST /api/loan-orders): type, city, appointment, customer and, for an
 * agency order, the agent (found by mobile or created). Every refusal shows on its field; the
 * new order opens at 客服.
 */
export default function NewOrderPage() {
  const [form] = Form.useForm();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const orderType = Form.useWatch('order_type', form);
  const { submit, submitting, alert } = useServerSubmit(form, (values) =>
    createOrder(formBody(values, 'YYYY-MM-DD HH:mm:ss') as unknown as NewOrder),
  );

  const onFinish = async () => {
    const created = await submit();
    if (!created) return;
    message.success(`订单 ${created.answer.son_order_id} 已创建`);
    navigate(`/kefu/orders/${created.answer.son_order_id}`);
  };

  return (
    <PageContainer title="新建订单" extra={<Link to="/kefu/orders">返回客服工作台</Link>}>
      <ProCard>
        {alert}
        <Form
          form={form}
          layout="horizontal"
          labelCol={{ flex: '96px' }}
          style={{ maxWidth: 560 }}
          initialValues={{ order_type: AGENCY }}
          onFinish={onFinish}
        >
          <Form.Item name="order_type" label={LABELS.order_type}>
            <Radio.Group
              options={Object.entries(ORDER_TYPES).map(([code, text]) => ({
                value: Number(code),
                label: text,
              }))}
            />
          </Form.Item>
          <Form.Item name="city" label={LABELS.city}>
            <Select placeholder="请选择" options={CITIES.map((city) => ({ value: city, label: city }))} />
          </Form.Item>
          <Form.Item name="appointment_time" label={LABELS.appointment_time}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" placeholder="请选择时间" />
          </Form.Item>
          <Form.Item name="customer_name" label={LABELS.customer_name}>
            <Input maxLength={30} />
          </Form.Item>
          {orderType === AGENCY && (
            <>
              <Form.Item name="user_realname" label={LABELS.user_realname}>
                <Input maxLength={20} />
              </Form.Item>
              <Form.Item name="user_mobile" label={LABELS.user_mobile}>
                <Input maxLength={20} placeholder="11位手机号" />
              </Form.Item>
            </>
          )}
          <Form.Item label=" " colon={false}>
            <Button type="primary" htmlType="submit" loading={submitting}>
              创建订单
            </Button>
          </Form.Item>
        </Form>
      </ProCard>
    </PageContainer>
  );
}
