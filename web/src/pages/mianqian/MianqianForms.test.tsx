import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App } from 'antd';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OrderDetail } from '../../api/mianqian';
import { BorrowForm, CustomerForm } from './MianqianForms';

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

/** antd's form answers after a few renders, slower on a busy machine than waitFor's default second. */
const eventually = (check: () => void) => waitFor(check, { timeout: 10_000 });

// getByRole weighs every element of a big form; the button's text finds it at once.
const save = () => screen.getByText(/^保\s*存$/);

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
    fireEvent.click(save());

    await eventually(() => expect(formItem('借款金额')).toHaveTextContent('借款金额最多保留2位小数'));
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
    fireEvent.click(save());
    await eventually(() => expect(onSaved).toHaveBeenCalled());
    expect(sent[1]).toMatchObject({ loan_money: '300.5', yueding_lilv: '1.5' });
  });

  it('says above the form what names no field of it', async () => {
    answer({ code: 0, msg: '订单当前在权证阶段，不在面签阶段，不能操作', errors: [] });
    render(
      <App>
        <BorrowForm detail={detail} onSaved={() => undefined} onCancel={() => undefined} />
      </App>,
    );
    fireEvent.click(save());
    expect(await screen.findByRole('alert')).toHaveTextContent('订单当前在权证阶段，不在面签阶段，不能操作');
  });
});

describe('the customer form', { timeout: 30_000 }, () => {
  const married = {
    ...detail,
    marital_tatus_list: ['未婚', '已婚', '离异', '丧偶'],
    customer_info: {
      name: '张三',
      mobile: '13800138000',
      id_card: '11010519491231002X',
      is_execute: 2,
      unit_is_execute: 2,
      marital_tatus: 1,
      marry_date: '1975-05-01',
      link_name: '李梅',
      link_mobile: '13900139000',
      link_id_card: '110105195203150021',
      link_is_execute: 2,
      link_unit_is_execute: 2,
      gongjie_status: 0,
    },
  } as unknown as OrderDetail;

  it('sends the spouse while married, and not once the borrower is no longer', async () => {
    const sent = answer({ code: 1, msg: '保存成功', data: null }, { code: 1, msg: '保存成功', data: null });
    const { container } = render(
      <App>
        <CustomerForm detail={married} onSaved={() => undefined} onCancel={() => undefined} />
      </App>,
    );
    expect(screen.getByDisplayValue('李梅')).toBeInTheDocument();
    fireEvent.click(save());
    await eventually(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({ marital_tatus: 1, marry_date: '1975-05-01', link_name: '李梅' });

    const marital = formItem('婚姻状况')?.querySelector('.ant-select-selector');
    if (!marital) throw new Error('no 婚姻状况 select');
    fireEvent.mouseDown(marital);
    fireEvent.click(await screen.findByTitle('未婚', undefined, { timeout: 10_000 }));
    await eventually(() => expect(screen.queryByDisplayValue('李梅')).toBeNull());
    expect(container.querySelector('input[id="marry_date"]')).toBeNull();
    fireEvent.click(save());
    await eventually(() => expect(sent).toHaveLength(2));
    expect(sent[1]).toMatchObject({ name: '张三', marital_tatus: 0, gongjie_status: 0 });
    expect(
      Object.keys(sent[1] ?? {}).filter((field) => field.startsWith('link') || field === 'marry_date'),
    ).toEqual([]);
  });
});
