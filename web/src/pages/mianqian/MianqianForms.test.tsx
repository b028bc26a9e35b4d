import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App } from 'antd';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OrderDetail } from '../../api/mianqian';
import { BorrowForm } from './MianqianForms';

/** The spec's order as order_detail answers it, only what the borrow form reads. */
const detail = {
  production_list: [
    { id: 2, name: '北京-7成', type: 0 },
    { id: 5, name: '上海-服务费', type: 1 },
  ],
  loan_limit_list: [1, 2, 3, 4, 5, 6, 12],
  user_info: { u_id: 2001, realname: '迟兴旺', u_mobile: '13911112222' },
  order_info: {
    son_order_id: 1602261137470,
    order_type: 0,
    appointment_time: '2016-02-27 10:00:00',
    mianqian_opt_time: null,
    loan_money: 300,
    loan_limit: 6,
    production_no: 2,
    yueding_lilv: 1.25,
    service_fee: null,
  },
} as unknown as OrderDetail;

/** Answers each POST with the next answer, recording the bodies sent. */
function answer(...answers: unknown[]): Record<string, unknown>[] {
  const sent: Record<string, unknown>[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: string, init: RequestInit) => {
      sent.push(JSON.parse(String(init.body)));
      return new Response(JSON.stringify(answers.shift()), {
        headers: { 'content-type': 'application/json' },
      });
    }),
  );
  return sent;
}

const formItem = (label: string) => screen.getByText(label, { selector: 'label' }).closest('.ant-form-item');

afterEach(() => {
  vi.unstubAllGlobals();
});

// antd's form renders slowly in jsdom.
describe('the borrow form', { timeout: 30_000 }, () => {
  it("shows each of the server's refusals on its field, and saves once they are fixed", async () => {
    const sent = answer(
      {
        code: 0,
        msg: '借款金额最多保留2位小数等2项错误',
        errors: [
          { field: 'loan_money', error: '借款金额最多保留2位小数' },
          { field: 'yueding_lilv', error: '约定利率须大于0' },
        ],
      },
      { code: 1, msg: '保存成功', data: null },
    );
    const onSaved = vi.fn();
    render(
      <App>
        <BorrowForm detail={detail} onSaved={onSaved} onCancel={() => undefined} />
      </App>,
    );
    // It starts from the order as stored, 中介 included (a 中介订单).
    expect(screen.getByDisplayValue('迟兴旺')).toBeInTheDocument();
    fireEvent.change(screen.getByDisplayValue('300'), { target: { value: '300.125' } });
    fireEvent.change(screen.getByDisplayValue('1.25'), { target: { value: '0' } });
    fireEvent.click(screen.getByRole('button', { name: /保\s*存/ }));

    await waitFor(() => expect(formItem('借款金额')).toHaveTextContent('借款金额最多保留2位小数'));
    expect(formItem('约定利率')).toHaveTextContent('约定利率须大于0');
    expect(sent[0]).toEqual({
      son_order_id: '1602261137470',
      user_realname: '迟兴旺',
      loan_money: '300.125',
      loan_limit: 6,
      production_no: 2,
      yueding_lilv: '0',
    });
    expect(onSaved).not.toHaveBeenCalled();

    fireEvent.change(screen.getByDisplayValue('300.125'), { target: { value: '300.5' } });
    fireEvent.change(screen.getByDisplayValue('0'), { target: { value: '1.5' } });
    fireEvent.click(screen.getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(sent[1]).toMatchObject({ loan_money: '300.5', yueding_lilv: '1.5' });
  });

  it('says above the form what names no field of it', async () => {
    answer({ code: 0, msg: '订单当前在权证阶段，不在面签阶段，不能操作', errors: [] });
    render(
      <App>
        <BorrowForm detail={detail} onSaved={() => undefined} onCancel={() => undefined} />
      </App>,
    );
    fireEvent.click(screen.getByRole('button', { name: /保\s*存/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent('订单当前在权证阶段，不在面签阶段，不能操作');
  });
});
