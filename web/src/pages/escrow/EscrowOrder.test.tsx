import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { EscrowOrder as Order } from '../../api/escrow';
import * as api from '../../api/escrow';
import { renderPage } from '../../test/render-page';
import EscrowOrder from './EscrowOrder';

vi.mock('../../api/escrow', async (original) => ({
  ...(await original<typeof import('../../api/escrow')>()),
  escrowOrder: vi.fn(),
}));

const NO = '202611300123456789';
const release = {
  kind: 'release' as const,
  kind_label: '放款',
  fee: 300_000,
  reason: '过户完成',
  payee_name: '李四',
  payee_card_no: '622202*********0006',
  payee_bank: '中国工商银行',
  decided_by: null,
  decided_at: null,
  decision_reason: null,
  created_at: '2026-11-30 10:00:00',
};
const order: Order = {
  house_order_no: NO,
  template_id: 'FUND_ESCROW_MORTGAGE',
  state: 'signed',
  state_label: '已应约',
  service_fee_amount: 300_000,
  parties: [
    {
      role: 'buyer',
      role_label: '买方',
      name: '张三',
      id_card_masked: '110101********1234',
      phone_masked: '138****0301',
      decision: 'accepted',
      decided_at: '2026-11-30 09:30:00',
      decline_reason: null,
    },
  ],
  funds: {
    held: 10_000_000,
    types: [{ amount_type: 'deposit_pay', label: '定金', due: 10_000_000, paid: 10_000_000, late_paid: 0 }],
    payable_landlord: 0,
    refund_buyer: 0,
    released: 0,
    refunded: 0,
    fee_taken: 0,
  },
  releases: [
    { ...release, id: 1, amount: 1_000_000, state: 'requested', requested_by: 'demo-escrow' },
    { ...release, id: 2, amount: 50_001, state: 'requested', requested_by: 'escrow-checker' },
    {
      ...release,
      id: 3,
      amount: 20_000,
      state: 'rejected',
      requested_by: 'escrow-checker',
      decided_by: 'demo-escrow',
      decided_at: '2026-11-30 11:00:00',
      decision_reason: '金额有误',
    },
  ],
  payouts: [
    {
      id: 9,
      payout_no: 'EP0001',
      release_id: 4,
      amount: 700_000,
      state: 'failed',
      attempts: 1,
      provider_id: null,
      failure_code: 'NOTENOUGH',
      failure_message: '余额不足',
      created_at: '2026-11-30 09:00:00',
      updated_at: '2026-11-30 09:00:01',
    },
  ],
};

const renderOrder = () =>
  renderPage(<EscrowOrder />, {
    path: '/escrow-orders/:houseOrderNo',
    url: `/escrow-orders/${NO}`,
    staff: { id: 2, username: 'demo-escrow', display_name: 'demo-escrow', roles: ['escrow'] },
  });

// antd's first render in jsdom takes seconds on a busy machine.
describe('the escrow order page', { timeout: 20_000 }, () => {
  beforeEach(() => vi.mocked(api.escrowOrder).mockResolvedValue(order));

  it('shows the ledger in 元 from fen and the state in Chinese', async () => {
    renderOrder();
    expect(await screen.findByText(`监管订单 ${NO}`)).toBeInTheDocument();
    expect(screen.getByText('已应约')).toBeInTheDocument();
    expect(screen.getByText('100,000.00 元')).toBeInTheDocument();
    expect(screen.getByText('3,000.00 元（已扣 0.00 元）')).toBeInTheDocument();
    expect(screen.getAllByText('100,000.00')).toHaveLength(2);
    expect(screen.getByText('500.01')).toBeInTheDocument();
  });

  it('shows who the invitation is between, in a card of their own', async () => {
    renderOrder();
    const card = (await screen.findByText('交易双方')).closest('.ant-pro-card') as HTMLElement;
    expect(within(card).getByText('张三')).toBeInTheDocument();
    expect(within(card).getByText('已接受')).toBeInTheDocument();
  });

  it('offers the decision on requests still waiting, marks the clerk’s own, and shows decided ones', async () => {
    renderOrder();
    const rows = await screen.findAllByRole('row');
    const row = (text: string) => rows.find((r) => r.textContent?.includes(text)) as HTMLElement;
    const own = row('10,000.00');
    expect(within(own).getByText('待审批')).toBeInTheDocument();
    expect(within(own).getByText('本人')).toBeInTheDocument();
    // The server judges the maker's own approval; the button stays, so its refusal can be seen.
    expect(within(own).getByRole('button', { name: '审批通过' })).toBeEnabled();
    expect(within(row('500.01')).queryByText('本人')).toBeNull();
    const decided = row('200.00');
    expect(within(decided).getByText('已驳回')).toBeInTheDocument();
    expect(within(decided).queryByRole('button')).toBeNull();
    expect(within(decided).getByText(/金额有误/)).toBeInTheDocument();
  });

  it('offers the retry on a failed payout only', async () => {
    renderOrder();
    const payout = (await screen.findByText('EP0001')).closest('tr') as HTMLElement;
    expect(within(payout).getByText('失败')).toBeInTheDocument();
    expect(within(payout).getByText('NOTENOUGH 余额不足')).toBeInTheDocument();
    expect(within(payout).getByRole('button', { name: '重试' })).toBeEnabled();
  });

  it('offers no request while the order holds nothing', async () => {
    vi.mocked(api.escrowOrder).mockResolvedValue({
      ...order,
      state: 'inviting',
      state_label: '待应约',
      funds: { ...order.funds, held: 0 },
    });
    renderOrder();
    expect(await screen.findByText('待应约')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '申请放款/退款' })).toBeNull();
  });
});
