import { screen } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Staff } from '../../api/auth';
import { ApiError } from '../../api/client';
import type { AuditEntry, OrderPosition, StaffOrder } from '../../api/loans';
import * as loans from '../../api/loans';
import { renderPage } from '../../test/render-page';
import OrderDetail from './OrderDetail';

vi.mock('../../api/loans', async (original) => ({
  ...(await original<typeof import('../../api/loans')>()),
  staffOrder: vi.fn(),
  orderAudit: vi.fn(),
}));

const ORDER = '1602261137470';
const person = (prefix: string, name: string | null) => ({
  [`${prefix}name`]: name,
  [`${prefix}mobile`]: name && '13800138000',
  [`${prefix}id_card`]: null,
  [`${prefix}age`]: null,
  [`${prefix}sex`]: 1,
  [`${prefix}domicile`]: null,
  [`${prefix}unit`]: null,
  [`${prefix}is_execute`]: 2,
  [`${prefix}unit_is_execute`]: 2,
});

/** The demo's order (the spec's): married, with a co-borrower, one suggestion from 面签. */
const order = (position: Partial<OrderPosition>): StaffOrder => ({
  position: {
    stage: 'quanzheng',
    stage_label: '权证',
    state: 'open',
    is_bohui: 0,
    bohui_stage: null,
    ...position,
  },
  production_list: [{ id: 2, name: '北京-7成', type: 0 }],
  order_type_list: ['中介订单', '直户订单'],
  house_type_list: { bj: { '1': '住宅' } },
  guihuayongtu_list: { bj: { '1': '住宅' } },
  mortgage_type_list: { '2': '二抵' },
  marital_tatus_list: ['未婚', '已婚', '离异', '丧偶'],
  loan_limit_list: [6, 12],
  city_data: { 北京市: ['朝阳区'] },
  user_info: { u_id: 1, realname: '迟兴旺', u_mobile: '13911112222' },
  order_info: {
    son_order_id: Number(ORDER),
    order_type: 0,
    appointment_time: '2016-02-27 10:00:00',
    mianqian_opt_time: null,
    loan_money: 300.5,
    loan_limit: 6,
    production_no: 2,
    yueding_lilv: 1.25,
    service_fee: null,
  },
  house_info: {
    house_cert_no: '京房权证朝字第0123456号',
    house_province: '北京市',
    house_city: '朝阳区',
    house_address: '建国路88号院3号楼1单元1201室',
    house_type: 1,
    guihuayongtu: 1,
    house_size: 128.5,
    built_in: 2005,
    mortgage_type: 2,
    before_one_arrived: 80,
    before_two_arrived: null,
    pg_money_shilian: 120,
    pg_money_renda: 118,
  },
  customer_info: {
    ...person('', '张三'),
    ...person('link_', '李梅'),
    ...person('link2_', '张小明'),
    marital_tatus: 1,
    month_income: 50000,
    address: null,
    emergency_contact: '王五',
    emergency_mobile: '13600136000',
    emergency_relationship: '朋友',
    gongjie_status: 1,
  },
  pic_data: [
    { hpc_id: 1, hpc_name: '身份资料', son_cate_list: [{ hpc_id: 11, hpc_name: '身份证', pic_num: 2 }] },
  ],
  suggest_list: [{ content: '资料齐全，面签完成', suggest_type: 7, create_time: '2026-11-30 10:00:00' }],
});

const step = (
  id: number,
  actor: string,
  actor_name: string | null,
  from: string,
  to: string,
): AuditEntry => ({
  id,
  actor,
  actor_name,
  entity: 'loan_order',
  entity_id: ORDER,
  action: 'pass',
  from_state: from,
  to_state: to,
  reason: null,
  created_at: '2026-11-30 10:00:00',
});

const clerk = (id: number, role: string): Staff => ({
  id,
  username: `demo-${role}`,
  display_name: `demo-${role}`,
  roles: [role],
});

const openAs = (staff: Staff, stage: 'kefu' | 'mianqian' | 'quanzheng') =>
  renderPage(<OrderDetail stage={stage} />, {
    path: `/${stage}/orders/:sonOrderId`,
    url: `/${stage}/orders/${ORDER}`,
    staff,
  });

// By text: getByRole weighs every element of the page, and the trail says 通过 too.
const buttons = (name: string) =>
  [...document.querySelectorAll('button')].filter((b) => b.textContent === name);
const button = (name: string) => buttons(name)[0] ?? null;

// antd's first render in jsdom takes seconds on a busy machine.
describe('the order page', { timeout: 20_000 }, () => {
  beforeEach(() => {
    vi.mocked(loans.orderAudit).mockResolvedValue([
      step(1, 'staff:13', 'demo-mianqian', 'mianqian', 'quanzheng'),
    ]);
  });

  it('shows a later stage’s clerk the whole order, where it is, and the moves while it is theirs', async () => {
    vi.mocked(loans.staffOrder).mockResolvedValue(order({}));
    openAs(clerk(14, 'quanzheng'), 'quanzheng');
    expect(await screen.findByText('当前：权证')).toBeInTheDocument();
    expect(loans.staffOrder).toHaveBeenCalledWith(ORDER);
    for (const text of ['张三', '李梅', '张小明', '建国路88号院3号楼1单元1201室', '300.5 万元', '北京-7成']) {
      expect(screen.getByText(text)).toBeInTheDocument();
    }
    expect(screen.getByText('身份证 2 张')).toBeInTheDocument();
    expect(screen.getByText('资料齐全，面签完成')).toBeInTheDocument();
    expect(screen.getByText('操作人：demo-mianqian')).toBeInTheDocument();
    expect(button('通过')).toBeInTheDocument();
    expect(button('返回客服')).toBeInTheDocument();
    expect(button('终止')).toBeInTheDocument();
    // The forms are 面签's, at 面签.
    expect(button('编辑')).toBeNull();
  });

  it('offers no move on an order at another stage, nor on a stopped one', async () => {
    vi.mocked(loans.staffOrder).mockResolvedValue(order({ stage: 'mianqian', stage_label: '面签' }));
    const { unmount } = openAs(clerk(14, 'quanzheng'), 'quanzheng');
    expect(await screen.findByText('当前：面签')).toBeInTheDocument();
    expect(screen.getByText('张三')).toBeInTheDocument();
    expect(button('通过')).toBeNull();
    unmount();

    vi.mocked(loans.staffOrder).mockResolvedValue(order({ state: 'stopped' }));
    openAs(clerk(14, 'quanzheng'), 'quanzheng');
    expect(await screen.findByText('当前：已终止（权证）')).toBeInTheDocument();
    expect(button('通过')).toBeNull();
  });

  it('lets the 面签 clerk edit the three forms while the order is at 面签', async () => {
    vi.mocked(loans.staffOrder).mockResolvedValue(order({ stage: 'mianqian', stage_label: '面签' }));
    openAs(clerk(13, 'mianqian'), 'mianqian');
    expect(await screen.findByText('当前：面签')).toBeInTheDocument();
    expect(buttons('编辑')).toHaveLength(3);
    expect(button('通过')).toBeInTheDocument();
  });

  it('offers 客服 no return to 客服 on an order returned to it', async () => {
    vi.mocked(loans.staffOrder).mockResolvedValue(
      order({ stage: 'kefu', stage_label: '客服', is_bohui: 1, bohui_stage: 'mianqian' }),
    );
    openAs(clerk(11, 'kefu'), 'kefu');
    expect(await screen.findByText('当前：客服（面签驳回）')).toBeInTheDocument();
    expect(button('通过')).toBeInTheDocument();
    expect(button('返回客服')).toBeNull();
  });

  it("says an unknown order in the server's words, with the way back", async () => {
    vi.mocked(loans.staffOrder).mockRejectedValue(new ApiError('订单不存在', 200));
    vi.mocked(loans.orderAudit).mockResolvedValue([]);
    openAs(clerk(14, 'quanzheng'), 'quanzheng');
    expect(await screen.findByText('订单不存在')).toBeInTheDocument();
    expect(screen.getByText('返回权证工作台')).toBeInTheDocument();
  });
});
