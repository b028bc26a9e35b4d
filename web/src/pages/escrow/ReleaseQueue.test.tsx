import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import type { QueuedRelease } from '../../api/escrow';
import * as api from '../../api/escrow';
import { renderPage } from '../../test/render-page';
import ReleaseQueue from './ReleaseQueue';

vi.mock('../../api/escrow', async (original) => ({
  ...(await original<typeof import('../../api/escrow')>()),
  releaseQueue: vi.fn(),
  approveRelease: vi.fn(),
}));

const waiting = {
  kind: 'release' as const,
  kind_label: '放款',
  fee: 0,
  state: 'requested' as const,
  payee_name: '李四',
  payee_card_no: '622202*********0006',
  payee_bank: '中国工商银行',
  decided_by: null,
  decided_at: null,
  decision_reason: null,
};
const RELEASES: QueuedRelease[] = [
  {
    ...waiting,
    id: 7,
    house_order_no: '202611300000000007',
    amount: 1_000_000,
    reason: '过户完成',
    requested_by: 'demo-escrow',
    created_at: '2026-11-30 10:00:00',
    mine: true,
  },
  {
    ...waiting,
    id: 8,
    house_order_no: '202611300000000008',
    amount: 50_001,
    reason: '首付到账',
    requested_by: 'escrow-checker',
    created_at: '2026-11-30 10:05:00',
    mine: false,
  },
];

const renderQueue = () =>
  renderPage(<ReleaseQueue />, {
    path: '/escrow-releases',
    url: '/escrow-releases',
    staff: { id: 2, username: 'demo-escrow', display_name: 'demo-escrow', roles: ['escrow'] },
  });

const row = async (text: string) => (await screen.findByText(text)).closest('tr') as HTMLElement;

afterEach(() => window.history.replaceState(null, '', '/'));

// ProTable takes seconds to render in jsdom on a busy machine.
describe('the release queue', { timeout: 30_000 }, () => {
  beforeEach(() => {
    vi.mocked(api.releaseQueue).mockReset();
    vi.mocked(api.releaseQueue).mockResolvedValue({
      total: 2,
      page: 1,
      page_size: 20,
      page_count: 1,
      releases: RELEASES,
    });
  });

  it('lists the waiting requests with their order, amount in 元 and requester, and the total', async () => {
    renderQueue();
    const other = await row('首付到账');
    expect(within(other).getByText('202611300000000008').closest('a')).toHaveAttribute(
      'href',
      '/escrow-orders/202611300000000008',
    );
    expect(within(other).getByText('500.01')).toBeInTheDocument();
    expect(within(other).getByText('放款')).toBeInTheDocument();
    expect(within(other).getByText('2026-11-30 10:05:00')).toBeInTheDocument();
    expect(screen.getByText('共 2 条申请')).toBeInTheDocument();
    expect(api.releaseQueue).toHaveBeenCalledWith({ state: 'requested', page: 1, page_size: 20 });
  });

  it("offers no decision on the reader's own request, and says why", async () => {
    renderQueue();
    const own = await row('过户完成');
    expect(within(own).getByText('本人')).toBeInTheDocument();
    const approve = within(own).getByRole('button', { name: '审批通过' });
    expect(approve).toBeDisabled();
    expect(within(own).getByRole('button', { name: '驳回' })).toBeDisabled();
    fireEvent.mouseEnter(approve.parentElement as HTMLElement);
    expect(await screen.findByText('本人提出的申请不能由本人审批')).toBeInTheDocument();

    const other = await row('首付到账');
    expect(within(other).queryByText('本人')).toBeNull();
    expect(within(other).getByRole('button', { name: '审批通过' })).toBeEnabled();
    expect(within(other).getByRole('button', { name: '驳回' })).toBeEnabled();
  });

  it('asks the server for the state chosen in the filter', async () => {
    const { container } = renderQueue();
    await row('首付到账');
    const state = container.querySelector('.ant-pro-query-filter .ant-select-selector');
    if (!state) throw new Error('no 状态 filter');
    fireEvent.mouseDown(state);
    fireEvent.click(await screen.findByTitle('已驳回'));
    fireEvent.click(screen.getByText(/^查\s*询$/));
    await waitFor(() =>
      expect(api.releaseQueue).toHaveBeenLastCalledWith({ state: 'rejected', page: 1, page_size: 20 }),
    );
  });

  it("says the server's refusal of a decision above the list, and reads the queue again", async () => {
    vi.mocked(api.approveRelease).mockRejectedValue(new ApiError('该申请已处理，不能重复审批', 200));
    renderQueue();
    const other = await row('首付到账');
    const reads = vi.mocked(api.releaseQueue).mock.calls.length;
    await userEvent.click(within(other).getByRole('button', { name: '审批通过' }));
    await userEvent.click(within(await screen.findByRole('tooltip')).getByRole('button', { name: '通过' }));
    expect(await screen.findByText('该申请已处理，不能重复审批')).toBeInTheDocument();
    expect(api.approveRelease).toHaveBeenCalledWith(8);
    await waitFor(() => expect(api.releaseQueue).toHaveBeenCalledTimes(reads + 1));
  });
});
