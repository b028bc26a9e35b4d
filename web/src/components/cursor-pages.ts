import type { LogPage } from '../api/log-page';

/**
 * Numbered pages over a keyset-paged list (the callback outbox, the SMS log, the ISV
 * notifications, the blacklist): the server answers a page and where the next one starts
 * (`next_before_id`), never a count, so the table learns each page's cursor as it is opened and
 * offers one page beyond the last it has seen until the list's end is reached. Going back reopens a page by the cursor that opened it, so rows
 * arriving meanwhile (newer ones) do not shift it.
 */
export class CursorPages {
  /** The cursor that opens each page seen so far; page 1 has none (the newest rows). */
  private cursors = new Map<number, number | undefined>([[1, undefined]]);
  /** The last page and its row count, once a page answered no next cursor. */
  private end: { page: number; rows: number } | undefined;
  private filters = '';

  /**
   * The cursor of `page` under `filters`. Changed filters are another list: the pages seen are
   * forgotten and the first page is read. A page never reached (the table offers none) reads the
   * first page too rather than guessing.
   */
  cursorFor(page: number, filters: object): { page: number; before_id: number | undefined } {
    const key = JSON.stringify(filters);
    if (key !== this.filters) {
      this.filters = key;
      this.cursors = new Map([[1, undefined]]);
      this.end = undefined;
    }
    if (!this.cursors.has(page)) return { page: 1, before_id: undefined };
    return { page, before_id: this.cursors.get(page) };
  }

  /** What page `page` answered: its row count and where the next page starts (null: none). */
  record(page: number, rows: number, next: number | null): void {
    if (next === null) {
      this.end = { page, rows };
      for (const known of [...this.cursors.keys()]) if (known > page) this.cursors.delete(known);
    } else {
      this.cursors.set(page + 1, next);
      if (this.end && this.end.page <= page) this.end = undefined;
    }
  }

  /**
   * A ProTable `request` for page `current` under `filters`: the page read by its cursor (`read`
   * answers its rows and where the next page starts), what it answered recorded, and the rows
   * with the pagination's total.
   */
  async request<Row>(
    current: number,
    filters: object,
    pageSize: number,
    read: (page: LogPage) => Promise<{ rows: Row[]; next_before_id: number | null }>,
  ): Promise<{ data: Row[]; success: true; total: number }> {
    const { page, before_id } = this.cursorFor(current, filters);
    const { rows, next_before_id } = await read({ before_id, page_size: pageSize });
    this.record(page, rows.length, next_before_id);
    return { data: rows, success: true, total: this.total(pageSize) };
  }

  /**
   * The row total to give the table's pagination: exact once the end is known; until then one
   * row on the furthest page reachable, so the table offers exactly the pages it can open.
   */
  total(pageSize: number): number {
    if (this.end) return (this.end.page - 1) * pageSize + this.end.rows;
    return (Math.max(...this.cursors.keys()) - 1) * pageSize + 1;
  }
}
