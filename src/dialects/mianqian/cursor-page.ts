import { Type } from '@sinclair/typebox';
import { FieldReader, type RawInput } from '../../core/field-reader.js';

/**
 * Keyset paging of the admin's newest-first lists (callbacks, text messages, ISV notifications,
 * the blacklist): the next page is the rows older than the last one seen (`before_id`), so a deep
 * page costs what the first does and rows arriving meanwhile do not shift the pages (an offset
 * would show a row twice).
 */

export const CURSOR_FIELDS = { before_id: '起始编号', page_size: '每页条数' } as const;

/** How many rows a keyset list answers: without `page_size`, and at most. */
export interface CursorPageSize {
  default: number;
  max: number;
}

/** Without either field a log answers what it always did: its newest 100. */
export const LOG_PAGE_SIZE: CursorPageSize = { default: 100, max: 100 };

/**
 * The cursor fields of a list's query. A list that answered more than 100 rows before it paged
 * (the blacklist: 500) keeps that as its default and its maximum, so its callers see no change.
 */
export const cursorQuery = (size: CursorPageSize = LOG_PAGE_SIZE) =>
  Type.Object({
    before_id: Type.Optional(
      Type.String({
        maxLength: 15,
        description: `${CURSOR_FIELDS.before_id}（只列出编号小于它的记录：上一页应答的 next_before_id）`,
      }),
    ),
    page_size: Type.Optional(
      Type.String({
        maxLength: 3,
        description: `${CURSOR_FIELDS.page_size}（1–${size.max}，默认${size.default}）`,
      }),
    ),
  });

export const CursorQuery = cursorQuery();

export const NextBeforeId = Type.Union([Type.Integer(), Type.Null()], {
  description: '下一页的 before_id；没有更多记录时为 null',
});

/**
 * One page of a newest-first list: the cursor fields of `query` read (each bad one named), then
 * `read` asked for one row more than the page, which tells whether an older page exists without
 * counting the table.
 */
export async function readCursorPage<Row extends { id: number }>(
  query: RawInput,
  read: (limit: number, beforeId: number | undefined) => Promise<readonly Row[]>,
  size: CursorPageSize = LOG_PAGE_SIZE,
): Promise<{ rows: Row[]; next_before_id: number | null }> {
  const r = new FieldReader(query, CURSOR_FIELDS);
  const beforeId = r.int('before_id', { min: 1 });
  const pageSize = r.int('page_size', { min: 1, max: size.max }) ?? size.default;
  r.done();
  const rows = await read(pageSize + 1, beforeId);
  const shown = rows.slice(0, pageSize);
  const last = shown[shown.length - 1];
  return { rows: shown, next_before_id: rows.length > pageSize && last ? last.id : null };
}
