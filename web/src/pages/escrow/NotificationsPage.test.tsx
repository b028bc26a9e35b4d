import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App } from 'antd';
import { afterEach, describe, expect, it, vi } from 'vitest';
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
function serveOutbox(): URL[] {
  const asked: URL[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      const query = new URL(url, 'http://localhost');
      asked.push(query);
      const before = Number(query.searchParams.get('before_id') ?? 46);
      const size = Number(query.searchParams.get('page_size') ?? 100);
      const ids = Array.from({ length: 45 }, (_, i) => 45 - i).filter((id) => id < before);
      const page = ids.slice(0, size);
      const next = ids.length > size ? (page[page.length - 1] ?? null) : null;
      return new Response(
        JSON.stringify({
          code: 1,
          msg: '',
          data: { notifications: page.map(notification), next_before_id: next },
        }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      );
    }),
  );
  return asked;
}

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
