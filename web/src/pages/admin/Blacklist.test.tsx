import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App } from 'antd';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keysetPage } from '../../test/keyset-server';
import Blacklist from './Blacklist';

const ENTRIES = [
  { id: 7, reason: '欺诈', created_at: '2026-11-30 10:00:00' },
  { id: 3, reason: '逾期', created_at: '2026-11-29 10:00:00' },
];

/** The list as the server holds it: a DELETE removes the entry, or answers 404 when it is gone. */
function serveBlacklist(entries = [...ENTRIES]) {
  const asked: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      asked.push(`${method} ${url}`);
      const json = (status: number, body: unknown) =>
        new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
      if (method === 'GET') {
        // By keyset, as the server answers: the entries older than before_id, newest first.
        const { page, next_before_id } = keysetPage(
          entries,
          new URL(url, 'http://localhost').searchParams,
          500,
        );
        return json(200, { code: 1, msg: '', data: { entries: page, next_before_id } });
      }
      const id = Number(url.split('/').pop());
      const at = entries.findIndex((entry) => entry.id === id);
      if (at < 0)
        return json(404, {
          code: 0,
          errors: [{ field: 'id', error: '黑名单记录不存在' }],
          msg: '黑名单记录不存在',
        });
      entries.splice(at, 1);
      return json(200, { code: 1, msg: '已移出黑名单', data: null });
    }),
  );
  return asked;
}

const renderPage = () =>
  render(
    <App>
      <Blacklist />
    </App>,
  );

const rowOf = (text: string) => screen.getByText(text).closest('tr') as HTMLElement;

/** The confirmation's own 移出 (the row has a button of that name too). */
const confirmButton = async () =>
  within((await screen.findByText(/移出黑名单？$/)).closest('.ant-popover') as HTMLElement).getByRole(
    'button',
    {
      // Two Chinese characters: antd spaces them unless the app's ConfigProvider says not to.
      name: /^移\s*出$/,
    },
  );

afterEach(() => vi.unstubAllGlobals());

describe('the blacklist', { timeout: 30_000 }, () => {
  it('removes an entry only after its confirmation, then reads the list again', async () => {
    const asked = serveBlacklist();
    renderPage();
    await screen.findByText('欺诈');
    fireEvent.click(within(rowOf('欺诈')).getByText(/^移\s*出$/));
    expect(await screen.findByText('将记录 7 移出黑名单？')).toBeInTheDocument();
    expect(asked.filter((call) => call.startsWith('DELETE'))).toEqual([]);

    fireEvent.click(await confirmButton());
    await waitFor(() => expect(asked).toContain('DELETE /api/partner-blacklist/7'));
    expect(await screen.findByText('已将记录 7 移出黑名单')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText('欺诈')).toBeNull());
    expect(screen.getByText('逾期')).toBeInTheDocument();
    expect(asked.filter((call) => call === 'GET /api/partner-blacklist?page_size=20')).toHaveLength(2);
  });

  it('says why when the entry was already gone, and shows the list as it now stands', async () => {
    const entries = [...ENTRIES];
    serveBlacklist(entries);
    renderPage();
    await screen.findByText('欺诈');
    // Another admin removes it first.
    entries.splice(0, 1);
    fireEvent.click(within(rowOf('欺诈')).getByText(/^移\s*出$/));
    fireEvent.click(await confirmButton());
    expect(await screen.findByText('黑名单记录不存在')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText('欺诈')).toBeNull());
  });

  it('pages through every entry by the cursor each page answered, and back', async () => {
    const many = Array.from({ length: 45 }, (_, i) => ({
      id: 45 - i,
      reason: `原因${45 - i}`,
      created_at: '2026-11-30 10:00:00',
    }));
    const asked = serveBlacklist(many);
    renderPage();
    expect(await screen.findByText('原因45')).toBeInTheDocument();
    expect(asked).toEqual(['GET /api/partner-blacklist?page_size=20']);

    fireEvent.click(screen.getByTitle('2'));
    expect(await screen.findByText('原因25')).toBeInTheDocument();
    expect(asked.at(-1)).toBe('GET /api/partner-blacklist?before_id=26&page_size=20');

    fireEvent.click(screen.getByTitle('3'));
    expect(await screen.findByText('原因5')).toBeInTheDocument();
    expect(asked.at(-1)).toBe('GET /api/partner-blacklist?before_id=6&page_size=20');
    // The end is known: no fourth page on offer.
    expect(screen.queryByTitle('4')).toBeNull();

    fireEvent.click(screen.getByTitle('1'));
    expect(await screen.findByText('原因45')).toBeInTheDocument();
    expect(asked.at(-1)).toBe('GET /api/partner-blacklist?page_size=20');
  });

  it('offers the whole list as CSV', async () => {
    serveBlacklist();
    renderPage();
    await screen.findByText('欺诈');
    expect(screen.getByText('导出CSV').closest('a')).toHaveAttribute(
      'href',
      '/api/partner-blacklist/export.csv',
    );
  });
});
