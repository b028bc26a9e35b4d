import { vi } from 'vitest';

/**
 * One page of a newest-first list as the server's keyset paging answers it: the rows older than
 * `before_id` (all when absent), `page_size` of them (`defaultSize` when absent), and the id to
 * ask the next page before, or null on the last page.
 */
export function keysetPage<Row extends { id: number }>(
  rows: readonly Row[],
  query: URLSearchParams,
  defaultSize: number,
): { page: Row[]; next_before_id: number | null } {
  const before = Number(query.get('before_id') ?? Number.POSITIVE_INFINITY);
  const size = Number(query.get('page_size') ?? defaultSize);
  const older = rows.filter((row) => row.id < before);
  const page = older.slice(0, size);
  return { page, next_before_id: older.length > size ? (page[page.length - 1]?.id ?? null) : null };
}

/**
 * Stubs fetch with a read-only list served by keyset under `data[listKey]`; answers the URLs the
 * page asked for, in order.
 */
export function serveKeysetList<Row extends { id: number }>(
  listKey: string,
  rows: readonly Row[],
  defaultSize = 100,
): URL[] {
  const asked: URL[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      const query = new URL(url, 'http://localhost');
      asked.push(query);
      const { page, next_before_id } = keysetPage(rows, query.searchParams, defaultSize);
      return new Response(JSON.stringify({ code: 1, msg: '', data: { [listKey]: page, next_before_id } }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    }),
  );
  return asked;
}
