import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App } from 'antd';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import DeskList, { deskQuery } from './DeskList';

/** Answers each call by its path; records the URLs asked for. */
function serve(answers: Record<string, unknown>): string[] {
  const asked: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      asked.push(url);
      const body = answers[url.split('?')[0] ?? ''];
      return new Response(JSON.stringify(body ?? { code: 0, msg: '未知接口' }), {
        status: body ? 200 : 404,
        headers: { 'content-type': 'application/json' },
      });
    }),
  );
  return asked;
}

// getByRole weighs every element of a table; text finds it at once.
const link = (text: string) => screen.getByText(text).closest('a') as HTMLElement;

const renderDesk = (stage: 'mianqian' | 'quanzheng' | 'kefu') =>
  render(
    <App>
      <MemoryRouter>
        <DeskList stage={stage} />
      </MemoryRouter>
    </App>,
  );

/** The spec's order as a desk lists it, returned (驳回). */
const SPEC_ROW = {
  son_order_id: '1602261137470',
  customer_name: '张三',
  customer_mobile: '13800138***',
  user_name: '迟兴旺',
  user_mobile: '13911112***',
  house_address: '北京市朝阳区建国路88号',
  is_bohui: '1',
  is_bohui_text: '是',
  appointment_time: '2016-02-27 10:00:00',
  face_trial_time: '',
  mianqian_opt_time: '',
};

afterEach(() => {
  vi.unstubAllGlobals();
  window.history.replaceState(null, '', '/');
});

// ProTable takes seconds to render in jsdom on a busy machine.
describe('a desk', { timeout: 30_000 }, () => {
  it("sends ProTable's page as page_num and the filters trimmed, leaving blanks out", () => {
    expect(
      deskQuery({
        current: 3,
        pageSize: 20,
        customer_mobile: ' 13800138000 ',
        user_name: '',
        city_key: '北京市',
      }),
    ).toEqual({ page_num: 3, customer_mobile: '13800138000', city_key: '北京市' });
    expect(deskQuery({})).toEqual({ page_num: 1 });
  });

  it('of 面签 filters through the 面签 list, and counts its pages and 驳回', async () => {
    const asked = serve({
      '/order_mianqian/index': {
        code: 1,
        msg: '',
        data: { bohui_count: 7, city_list: { 北京市: '北京市' } },
      },
      '/order_mianshen/ajax_get_list': {
        bohui_count: 1,
        page_count: 1,
        order_list: [SPEC_ROW],
      },
    });
    renderDesk('mianqian');
    expect(await screen.findByText('共 1 页，其中驳回 1 单')).toBeInTheDocument();
    expect(await screen.findByText('（本工作台共驳回 7 单）')).toBeInTheDocument();
    // The spec's list answers no creation time: no empty column for it.
    expect(screen.queryByText('创建时间')).toBeNull();
    const row = link('1602261137470');
    expect(row).toHaveAttribute('href', '/mianqian/orders/1602261137470');
    expect(within(row.closest('tr') as HTMLElement).getByText('驳回')).toBeInTheDocument();

    fireEvent.change(screen.getByLabelText('客户电话'), { target: { value: '13800138000' } });
    fireEvent.click(screen.getByText(/^查\s*询$/));
    await waitFor(() =>
      expect(asked).toContain('/order_mianshen/ajax_get_list?page_num=1&customer_mobile=13800138000'),
    );
  });

  it('of a later stage filters its desk through the desk API, with the row total', async () => {
    const asked = serve({
      '/api/loan-orders/desk': {
        code: 1,
        msg: '',
        data: { total: 21, bohui_count: 1, page_count: 2, order_list: [SPEC_ROW] },
      },
    });
    renderDesk('quanzheng');
    expect(await screen.findByText('共 21 单，其中驳回 1 单')).toBeInTheDocument();
    expect(asked).toEqual(['/api/loan-orders/desk?page_num=1&stage=quanzheng']);
    const order = link('1602261137470');
    expect(order).toHaveAttribute('href', '/quanzheng/orders/1602261137470');
    expect(screen.getByText('权证订单')).toBeInTheDocument();
    expect(within(order.closest('tr') as HTMLElement).getByText('驳回')).toBeInTheDocument();

    fireEvent.change(screen.getByLabelText('客户姓名'), { target: { value: '张三' } });
    fireEvent.click(screen.getByText(/^查\s*询$/));
    await waitFor(() =>
      expect(asked).toContain(
        `/api/loan-orders/desk?page_num=1&customer_name=${encodeURIComponent('张三')}&stage=quanzheng`,
      ),
    );
  });

  it('of 客服 filters every order at 客服 through the desk API, those returned to it included', async () => {
    const asked = serve({
      '/api/loan-orders/desk': {
        code: 1,
        msg: '',
        data: {
          total: 21,
          bohui_count: 3,
          page_count: 2,
          order_list: [
            {
              ...SPEC_ROW,
              son_order_id: '2610192316001',
              customer_name: '袁然红',
              bohui_stage: 'quanzheng',
              created_at: '2026-10-19 23:16:00',
            },
            {
              ...SPEC_ROW,
              son_order_id: '2610192316002',
              is_bohui: '0',
              is_bohui_text: '否',
              bohui_stage: null,
              created_at: '2026-10-19 23:17:00',
            },
          ],
        },
      },
    });
    renderDesk('kefu');
    expect(await screen.findByText('共 21 单，其中驳回 3 单')).toBeInTheDocument();
    const order = link('2610192316001');
    expect(order).toHaveAttribute('href', '/kefu/orders/2610192316001');
    const returned = within(order.closest('tr') as HTMLElement);
    expect(returned.getByText('驳回')).toBeInTheDocument();
    // Who returned it and when it was opened, from the page's one call (none per row).
    expect(returned.getByText('由权证驳回')).toBeInTheDocument();
    expect(returned.getByText('2026-10-19 23:16:00')).toBeInTheDocument();
    const fresh = within(link('2610192316002').closest('tr') as HTMLElement);
    expect(fresh.queryByText('驳回')).toBeNull();
    expect(fresh.getByText('2026-10-19 23:17:00')).toBeInTheDocument();
    expect(screen.getAllByText('创建时间').length).toBeGreaterThan(0);
    expect(asked).toEqual(['/api/loan-orders/desk?page_num=1&stage=kefu']);
    expect(link('新建订单')).toHaveAttribute('href', '/kefu/orders/new');

    // The same filters as every desk, and the export takes them too.
    fireEvent.change(screen.getByLabelText('中介电话'), { target: { value: ' 13911112222 ' } });
    fireEvent.click(screen.getByText(/^查\s*询$/));
    await waitFor(() =>
      expect(asked).toContain('/api/loan-orders/desk?page_num=1&user_mobile=13911112222&stage=kefu'),
    );
    await waitFor(() =>
      expect(link('导出CSV')).toHaveAttribute(
        'href',
        '/api/loan-orders/export.csv?user_mobile=13911112222&stage=kefu',
      ),
    );
  });
});
