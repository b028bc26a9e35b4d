import { ProCard } from '@ant-design/pro-components';
import { Descriptions, Result, Spin, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { partnerRules, type PartnerRules as Rules } from '../../api/admin';

/** The spec's units for term_type (贷款期限单位) and names for loan_mode. */
const TERM_UNITS: Record<number, string> = { 1: '天', 2: '个月', 3: '年' };
const LOAN_MODES: Record<number, string> = { 0: '标准流程', 1: '简化流程' };

const yuan = (fen: number) => `${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2 })} 元`;
const onOff = (on: boolean) => (on ? <Tag color="green">是</Tag> : <Tag>否</Tag>);

/** 准入规则: who the gateway admits (ages, waiting after a refusal) and the product it offers. */
export default function PartnerRules() {
  const [rules, setRules] = useState<Rules>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    partnerRules().then(setRules, (refusal: Error) => setError(refusal.message));
  }, []);

  if (error) return <Result status="error" title="准入规则读取失败" subTitle={error} />;
  if (!rules) return <Spin />;
  const { product } = rules;
  const unit = TERM_UNITS[product.term_type] ?? '';
  return (
    <ProCard direction="column" gutter={[0, 16]} ghost>
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
    </ProCard>
  );
}
