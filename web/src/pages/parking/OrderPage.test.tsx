import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ParkingOrderDetail } from '../../api/parking';
import * as api from '../../api/parking';
import { renderPage } from '../../test/render-page';
import OrderPage from './OrderPage';

vi.mock('../../api/parking', async (original) => ({
  ...(await original<typeof import('../../api/parking')>()),
  parkingOrder: vi.fn(),
  approveParkingOrder: vi.fn(),
}));

const ID = 'a'.repeat(32);
const inReview: ParkingOrderDetail = {
  id: ID,
  park_id: '1463714771961',
  card_id: 'c'.repeat(32),
  user_id: 'u'.repeat(32),
  product_id: 'p'.repeat(32),
  product_v_id: 'v'.repeat(32),
  product_name: '包月',
  price_type: '02',
  unit_type: '4',
  count: 1,
  amount_fen: 30_000,
  start_dt: Date.UTC(2026, 10, 1, -8),
  end_dt: Date.UTC(2026, 11, 1, -8),
  order_type: 1,
  state: '01',
  is_audit_before_pay: 1,
  audit_state: '02',
  audit_reason: null,
  audited_by: null,
  audited_at: null,
  extra_info: [{ type: '1', name: '驾驶证', code: '0', content: '', slot: 0 }],
  first_org_name: '文学院',
  first_org_code: '111',
  second_org_name: '中文系',
  second_org_code: '111001',
  user_department: '111001',
  duplicate_code: '20071230',
  out_trade_no: null,
  pay_suc_dt: null,
  prev_end_dt: null,
  expires_at: Date.UTC(2026, 10, 1),
  created_at: Date.UTC(2026, 10, 1),
  updated_at: Date.UTC(2026, 10, 1),
  files: [
    {
      id: 7,
      slot: 0,
      code: '0',
      name: '驾驶证',
      type: '1',
      content_type: 'image/png',
      size: 2048,
      created_at: 0,
    },
    {
      id: 8,
      slot: 1,
      code: '1',
      name: '在职证明',
      type: '1',
      content_type: 'application/pdf',
      size: 4096,
      created_at: 0,
    },
  ],
};

const renderOrder = () =>
  renderPage(<OrderPage />, { path: '/parking-orders/:id', url: `/parking-orders/${ID}` });

describe('reviewActions', () => {
  it('opens approve and refuse only while in review, refund only for a paid order', () => {
    expect(api.reviewActions({ audit_state: '02', state: '01' })).toEqual({
      approve: true,
      refuse: true,
      refund: false,
    });
    expect(api.reviewActions({ audit_state: '03', state: '03' })).toEqual({
      approve: false,
      refuse: false,
      refund: true,
    });
    for (const state of ['01', '21', '22', '81'] as const) {
      expect(api.reviewActions({ audit_state: '04', state }).refund).toBe(false);
    }
  });
});

// antd's first render in jsdom takes seconds on a busy machine.
describe('the parking order page', { timeout: 20_000 }, () => {
  beforeEach(() => vi.mocked(api.parkingOrder).mockReset());

  it('shows an order in review with its money in 元, its labels and documents, and the review open', async () => {
    vi.mocked(api.parkingOrder).mockResolvedValue(inReview);
    renderOrder();
    expect(await screen.findByText(`停车订单 ${ID}`)).toBeInTheDocument();
    expect(screen.getByText('300.00 元')).toBeInTheDocument();
    expect(screen.getByText('审核中')).toBeInTheDocument();
    expect(screen.getByText('待支付')).toBeInTheDocument();
    expect(screen.getByText('校外')).toBeInTheDocument();
    expect(screen.getByText('续费')).toBeInTheDocument();
    // A picture inline from the staff file route, a PDF as a link to it.
    expect(screen.getByRole('img', { name: '驾驶证' })).toHaveAttribute(
      'src',
      `/api/parking/orders/${ID}/files/7`,
    );
    expect(screen.getByRole('link', { name: /在职证明/ })).toHaveAttribute(
      'href',
      `/api/parking/orders/${ID}/files/8`,
    );
    expect(screen.getByRole('button', { name: '审核通过' })).toBeEnabled();
    expect(screen.getByRole('button', { name: '审核拒绝' })).toBeEnabled();
    expect(screen.getByRole('button', { name: '退款' })).toBeDisabled();
  });

  it('approves after the confirmation and shows the order as the server answers it', async () => {
    vi.mocked(api.parkingOrder).mockResolvedValue(inReview);
    vi.mocked(api.approveParkingOrder).mockResolvedValue({
      ...inReview,
      audit_state: '03',
      audited_by: 'demo-parking',
    });
    renderOrder();
    await userEvent.click(await screen.findByRole('button', { name: '审核通过' }));
    const confirm = await screen.findByRole('tooltip');
    await userEvent.click(within(confirm).getByRole('button', { name: '通过' }));
    expect(await screen.findByText('已审核通过')).toBeInTheDocument();
    expect(api.approveParkingOrder).toHaveBeenCalledWith(ID);
    expect(screen.getByText('已审核')).toBeInTheDocument();
    expect(screen.getByText('demo-parking')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '审核通过' })).toBeDisabled();
    expect(screen.getByRole('button', { name: '审核拒绝' })).toBeDisabled();
  });

  it('offers only the refund on a paid order', async () => {
    vi.mocked(api.parkingOrder).mockResolvedValue({ ...inReview, audit_state: '03', state: '03' });
    renderOrder();
    expect(await screen.findByRole('button', { name: '退款' })).toBeEnabled();
    expect(screen.getByRole('button', { name: '审核通过' })).toBeDisabled();
    expect(screen.getByText('已支付')).toBeInTheDocument();
  });
});
