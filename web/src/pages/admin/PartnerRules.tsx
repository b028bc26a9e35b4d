import { ProCard, ProForm, ProFormDigit, ProFormSelect, ProFormSwitch } from '@ant-design/pro-components';
import { Alert, App, Descriptions, Form, Result, Spin, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { partnerRules, type PartnerRules as Rules, savePartnerRules } from '../../api/admin';
import { showFieldErrors } from '../../api/form-errors';
import { isTerm, type RulesFormValues, toFormValues, toRules } from './rules-form';

/** The spec's units for term_type (贷款期限单位) and names for loan_mode. */
const TERM_UNITS: Record<number, string> = { 1: '天', 2: '个月', 3: '年' };
const LOAN_MODES: Record<number, string> = { 0: '标准流程', 1: '简化流程' };
const options = (names: Record<number, string>) =>
  Object.entries(names).map(([value, label]) => ({ value: Number(value), label }));

const yuan = (fen: number) => `${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2 })} 元`;
const onOff = (on: boolean) => (on ? <Tag color="green">是</Tag> : <Tag>否</Tag>);

function RulesInForce({ rules }: { rules: Rules }) {
  const { product } = rules;
  const unit = TERM_UNITS[product.term_type] ?? '';
  return (
    <>
      <ProCard title="准入条件" bordered>
        <Descriptions column={2}>
          <Descriptions.Item label="年龄">
            {rules.min_age}–{rules.max_age} 岁
          </Descriptions.Item>
          <Descriptions.Item label="拒绝后等待天数">{rules.refuse_days} 天</Descriptions.Item>
          <Descriptions.Item label="绑卡需短信验证码">{onOff(rules.bind_sms)}</Descriptions.Item>
          <Descriptions.Item label="允许更换绑定银行卡">{onOff(rules.allow_rebind)}</Descriptions.Item>
        </Descriptions>
      </ProCard>
      <ProCard title="准入产品" bordered>
        <Descriptions column={2}>
          <Descriptions.Item label="最大额度">{yuan(product.amount)}</Descriptions.Item>
          <Descriptions.Item label="最小额度">{yuan(product.min_amount)}</Descriptions.Item>
          <Descriptions.Item label="期限">
            {product.terms.map((t) => `${t}${unit}`).join('、')}
          </Descriptions.Item>
          <Descriptions.Item label="流程">
            {LOAN_MODES[product.loan_mode] ?? product.loan_mode}
          </Descriptions.Item>
        </Descriptions>
      </ProCard>
    </>
  );
}

/**
 * 准入规则: who the gateway admits (ages, waiting after a refusal) and the product it offers, and
 * the form that replaces them all (PUT /api/partner-rules). Saving asks first: the next partner
 * call is judged by them. What the server answers is what is shown, not what was typed.
 */
export default function PartnerRules() {
  const [rules, setRules] = useState<Rules>();
  const [error, setError] = useState<string>();
  const [alert, setAlert] = useState<string>();
  const [form] = Form.useForm<RulesFormValues>();
  const { message, modal } = App.useApp();

  useEffect(() => {
    partnerRules().then(setRules, (refusal: Error) => setError(refusal.message));
  }, []);

  if (error) return <Result status="error" title="准入规则读取失败" subTitle={error} />;
  if (!rules) return <Spin />;

  const save = async (values: RulesFormValues) => {
    setAlert(undefined);
    const confirmed = await modal.confirm({
      title: '保存准入规则？',
      content: '保存后合作方的下一次准入查询即按新规则判断。',
      okText: '保存',
      cancelText: '取消',
    });
    if (!confirmed) return;
    try {
      const saved = await savePartnerRules(toRules(values));
      setRules(saved);
      form.setFieldsValue(toFormValues(saved));
      message.success('准入规则已保存');
    } catch (refusal) {
      const rest = showFieldErrors(form, refusal);
      if (rest.length) setAlert(rest.map((e) => e.error).join('；'));
    }
  };

  return (
    <ProCard direction="column" gutter={[0, 16]} ghost>
      <RulesInForce rules={rules} />
      <ProCard title="修改规则" bordered>
        {alert && <Alert type="error" showIcon message={alert} style={{ marginBottom: 16 }} />}
        <ProForm<RulesFormValues>
          form={form}
          layout="horizontal"
          labelCol={{ span: 5 }}
          wrapperCol={{ span: 10 }}
          initialValues={toFormValues(rules)}
          // No 重置: it would go back to the rules as first read, not as last saved.
          submitter={{ searchConfig: { submitText: '保存规则' }, resetButtonProps: false }}
          onFinish={save}
        >
          <ProFormDigit
            name="min_age"
            label="最小年龄"
            min={18}
            max={100}
            fieldProps={{ precision: 0 }}
            rules={[{ required: true }]}
          />
          <ProFormDigit
            name="max_age"
            label="最大年龄"
            min={18}
            max={100}
            fieldProps={{ precision: 0 }}
            rules={[{ required: true }]}
          />
          <ProFormDigit
            name="refuse_days"
            label="拒绝后等待天数"
            min={0}
            max={3650}
            fieldProps={{ precision: 0, addonAfter: '天' }}
            rules={[{ required: true }]}
          />
          <ProFormSwitch name="bind_sms" label="绑卡需短信验证码" />
          <ProFormSwitch name="allow_rebind" label="允许更换绑定银行卡" />
          <ProFormDigit
            name="product.amount"
            label="最大额度"
            min={0.01}
            fieldProps={{ precision: 2, addonAfter: '元' }}
            rules={[{ required: true }]}
          />
          <ProFormDigit
            name="product.min_amount"
            label="最小额度"
            min={0.01}
            fieldProps={{ precision: 2, addonAfter: '元' }}
            rules={[{ required: true }]}
          />
          <ProFormSelect
            name="product.terms"
            label="期限"
            mode="tags"
            tooltip="输入数字后回车，可填多个"
            fieldProps={{ tokenSeparators: [',', '，', ' '], open: false }}
            rules={[
              { required: true, message: '请至少填一个期限' },
              {
                validator: async (_, terms: (string | number)[] = []) => {
                  if (!terms.every(isTerm)) throw new Error('期限须为正整数');
                },
              },
            ]}
          />
          <ProFormSelect
            name="product.term_type"
            label="期限单位"
            options={options(TERM_UNITS)}
            rules={[{ required: true }]}
          />
          <ProFormSelect
            name="product.loan_mode"
            label="流程"
            options={options(LOAN_MODES)}
            rules={[{ required: true }]}
          />
        </ProForm>
      </ProCard>
    </ProCard>
  );
}
