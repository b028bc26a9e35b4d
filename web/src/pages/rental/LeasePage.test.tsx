import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LeaseDetail } from '../../api/rental';
import * as api from '../../api/rental';
import { renderPage } from '../../test/render-page';
import LeasePage, { retiredText } from './LeasePage';

vi.mock('../../api/rental', async (original) => ({
  ...(await original<typeof import('../../api/rental')>()),
  lease: vi.fn(),
}));

const retiring: LeaseDetail = {
  id: 12,
  tenant_id: 3,
  tenant_mobile: '13800000***',
  t_name: '张租客',
  h_address: '光华大道一段88号',
  mode: 2,
  mode_label: '长租整租',
  status: 5,
  status_label: '退租申请中',
  booked: true,
  r_s_time: '2026-12-01',
  r_e_time: '2027-06-01',
  months: 6,
  monthly_rent: 250_000,
  rent_total: 1_500_000,
  deposit_total: 250_000,
  created_at: '2026-12-01 10:00:00',
  updated_at: '2026-12-01 10:05:00',
  deposit_held: 50_000,
  installments: [
    {
      id: 1,
      seq: 1,
      rent_part: 750_000,
      deposit_part: 250_000,
      amount: 1_000_000,
      due_date: '2026-12-01',
      paid: true,
      deposit_reserved: 0,
      paid_at: '2026-12-01 10:01:00',
    },
    {
      id: 2,
      seq: 2,
      rent_part: 750_000,
      deposit_part: 0,
      amount: 750_000,
      due_date: '2027-03-01',
      paid: false,
      deposit_reserved: 0,
      paid_at: null,
    },
  ],
  payments: [
    {
      id: 7,
      out_trade_no: 'P0007',
      purpose: 'lease_installment',
      subject_id: '1',
      amount: 1_000_000,
      channel: 'wechat_app',
      status: 'paid',
      paid_at: '2026-12-01 10:01:00',
      created_at: '2026-12-01 10:00:30',
    },
  ],
  refunds: [],
};

const renderLease = () => renderPage(<LeasePage />, { path: '/rental/leases/:id', url: '/rental/leases/12' });
const rowOf = (text: string) => screen.getByText(text).closest('tr') as HTMLElement;

// antd's first render in jsdom takes seconds on a busy machine.
describe('the lease page', { timeout: 20_000 }, () => {
  beforeEach(() => vi.mocked(api.lease).mockResolvedValue(retiring));

  it('shows the installments and payments in 元 with their states, and the deposits', async () => {
    renderLease();
    expect(await screen.findByText('租约 12')).toBeInTheDocument();
    expect(within(rowOf('第 1 期')).getByText('10,000.00')).toBeInTheDocument();
    expect(within(rowOf('第 1 期')).getByText('已支付')).toBeInTheDocument();
    expect(within(rowOf('第 2 期')).getByText('未支付')).toBeInTheDocument();
    expect(within(rowOf('P0007')).getByText('分期租金')).toBeInTheDocument();
    expect(within(rowOf('P0007')).getByText('微信APP')).toBeInTheDocument();
    // The monthly rent, and the lease's 押金 of one month.
    expect(screen.getAllByText('2,500.00 元')).toHaveLength(2);
    expect(screen.getByText('500.00 元')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '完成退租' })).toBeEnabled();
  });

  it('offers 完成退租 only while the tenant is moving out', async () => {
    vi.mocked(api.lease).mockResolvedValue({ ...retiring, status: 2, status_label: '已支付(已入住)' });
    renderLease();
    expect(await screen.findByText('已支付(已入住)')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '完成退租' })).toBeDisabled();
  });
});

describe('retiredText', () => {
  it('says what went back through WeChat, or that the deposit stays held', () => {
    const refund = (amount: number) => ({
      out_refund_no: 'R1',
      payment_id: 1,
      amount,
      state: 'requested' as const,
    });
    expect(
      retiredText({ id: 1, status: 6, status_label: '退租完成', refunds: [refund(50_000), refund(250_000)] }),
    ).toBe('退租完成：已向微信申请 2 笔退款，共 3,000.00 元');
    expect(retiredText({ id: 1, status: 6, status_label: '退租完成', refunds: [] })).toMatch(
      /^退租完成：押金继续代管/,
    );
  });
});
