import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App } from 'antd';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { serveKeysetList } from '../../test/keyset-server';
import NotificationsPage from './NotificationsPage';

const notification = (id: number) => ({
  id,
  notify_id: `N${id}`,
  house_order_no: `HO-${id}`,
  event: 'signed',
  state: 'signed',
  data: {},
  status: 'dead',
  attempts: 9,
  next_attempt_at: null,
  last_error: 'HTTP 502',
  created_at: '2026-11-30 10:00:00',
  delivered_at: null,
});

/** 45 notifications, ids 45…1, answered by keyset as the server does. */
const serveOutbox = () =>
  serveKeysetList(
    'notifications',
    Array.from({ length: 45 }, (_, i) => notification(45 - i)),
  );

afterEach(() => {
  vi.unstubAllGlobals();
  window.history.replaceState(null, '', '/');
});

describe('the ISV notifications', { timeout: 30_000 }, () => {
  it('pages through every notification by the cursor each page answered, and back', async () => {
    const asked = serveOutbox();
    render(
      <App>
        <NotificationsPage />
      </App>,
    );
    expect(await screen.findByText('HO-45')).toBeInTheDocument();
    expect(asked[0]?.pathname).toBe('/api/escrow-notifications');
    expect(asked[0]?.searchParams.get('page_size')).toBe('20');
    expect(asked[0]?.searchParams.get('before_id')).toBeNull();

    fireEvent.click(screen.getByTitle('2'));
    expect(await screen.findByText('HO-25')).toBeInTheDocument();
    expect(asked.at(-1)?.searchParams.get('before_id')).toBe('26');

    fireEvent.click(screen.getByTitle('3'));
    expect(await screen.findByText('HO-5')).toBeInTheDocument();
    expect(asked.at(-1)?.searchParams.get('before_id')).toBe('6');
    // The end is known: no fourth page on offer.
    expect(screen.queryByTitle('4')).toBeNull();

    fireEvent.click(screen.getByTitle('1'));
    await waitFor(() => expect(asked.at(-1)?.searchParams.get('before_id')).toBeNull());
    expect(await screen.findByText('HO-45')).toBeInTheDocument();
  });
});
