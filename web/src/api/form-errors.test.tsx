import { act, render, screen } from '@testing-library/react';
import { Form, type FormInstance, Input } from 'antd';
import { describe, expect, it } from 'vitest';
import { ApiError } from './client';
import { showFieldErrors } from './form-errors';

function renderForm(): FormInstance {
  let instance: FormInstance | undefined;
  function Borrow() {
    const [form] = Form.useForm();
    instance = form;
    return (
      <Form form={form}>
        <Form.Item name="loan_money" label="借款金额">
          <Input />
        </Form.Item>
        <Form.Item name="loan_limit" label="借款期限">
          <Input />
        </Form.Item>
      </Form>
    );
  }
  render(<Borrow />);
  if (!instance) throw new Error('the form did not render');
  return instance;
}

describe('showFieldErrors', () => {
  it("puts each error on the field it names and answers the ones this form doesn't have", async () => {
    const form = renderForm();
    const refusal = new ApiError('借款金额最多保留2位小数', 200, [
      { field: 'loan_money', error: '借款金额最多保留2位小数' },
      { field: 'loan_limit', error: '借款期限不正确' },
      { field: 'son_order_id', error: '订单不存在' },
    ]);
    let elsewhere: ReturnType<typeof showFieldErrors> = [];
    await act(async () => {
      elsewhere = showFieldErrors(form, refusal);
    });
    expect(await screen.findByText('借款金额最多保留2位小数')).toBeInTheDocument();
    expect(screen.getByText('借款期限不正确')).toBeInTheDocument();
    expect(form.getFieldError('loan_money')).toEqual(['借款金额最多保留2位小数']);
    expect(elsewhere).toEqual([{ field: 'son_order_id', error: '订单不存在' }]);
  });

  it("answers a refusal's message when it names no field", async () => {
    const form = renderForm();
    let elsewhere: ReturnType<typeof showFieldErrors> = [];
    await act(async () => {
      elsewhere = showFieldErrors(form, new ApiError('登录失败次数过多，请15分钟后再试', 429));
    });
    expect(elsewhere).toEqual([{ field: '', error: '登录失败次数过多，请15分钟后再试' }]);
    expect(form.getFieldError('loan_money')).toEqual([]);
  });
});
