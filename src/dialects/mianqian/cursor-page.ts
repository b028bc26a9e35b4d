import { Type } from '@sinclair/typebox';
import { FieldReader, type RawInput } from '../../core/field-reader.js';

/**
 * Keyset paging of the admin's newest-first logs (callbacks, text messages): the next page is
 * the rows older than the last one seen (`before_id`), so a deep page costs what the first does
 * and rows arriving meanwhile do not shift the pages (an offset would show a row twice).
 */

export const CURSOR_FIELDS = { before_id: '起始编号', page_size: '每页条数' } as const;

/** Without either field a list answers what it always did: its newest 100. */
export const CURSOR_DEFAULT_PAGE_SIZE = 100;

export const CursorQuery = Type.Object({
  before_id: Type.Optional(
    Type.String({
      maxLength: 15,
      description: `${CURSOR_FIELDS.before_id}（只列出编号小于它的记录：上一页应答的 next_before_id）`,
    }),
  ),
  page_size: Type.Optional(
    Type.String({ maxLength: 3, description: `${CURSOR_FIELDS.page_size}（1–100，默认100）` }),
  ),
});

export const NextBeforeId = Type.Union([Type.Integer(), Type.Null()], {
  description: '下一页的 before_id；没有更多记录时为 null',
});

export interface CursorPage {
  beforeId: number | undefined;
  pageSize: number;
}

/** Reads the cursor fields into `r` (the list's own filters may be read into it as well). */
export function readCursorPage(r: FieldReader): CursorPage {
  const beforeId = r.int('before_id', { min: 1 });
  const pageSize = r.int('page_size', { min: 1, max: 100 }) ?? CURSOR_DEFAULT_PAGE_SIZE;
  return { beforeId, pageSize };
}

export const cursorReader = (input: RawInput, labels: Readonly<Record<string, string>> = {}) =>
  new FieldReader(input, { ...labels, ...CURSOR_FIELDS });

/**
 * A page from `pageSize + 1` rows read: one more than shown tells whether an older page exists
 * without counting the table.
 */
export function cursorPosition<Row extends { id: number }>(rows: readonly Row[], pageSize: number) {
  const shown = rows.slice(0, pageSize);
  const last = shown[shown.length - 1];
  return { rows: shown, next_before_id: rows.length > pageSize && last ? last.id : null };
}
