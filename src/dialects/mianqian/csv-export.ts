import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { formatShanghaiDateTime } from '../../core/time.js';
import { Failure } from './schemas.js';

/**
 * The back office's one CSV export: every list's `…/export.csv` hands its columns and a keyset
 * page reader to `sendCsv`, which streams the rows a page at a time.
 */

/** Rows read per statement: big enough that a statement's cost is spread, small in memory. */
export const CSV_PAGE_ROWS = 1000;

export type CsvCell = string | number | null | undefined;

export interface CsvColumn<Row> {
  /** The column's Chinese title in the header row. */
  readonly header: string;
  readonly cell: (row: Row) => CsvCell;
}

export interface CsvExport<Row> {
  /** The download's name (Chinese allowed), `.csv` included. */
  readonly filename: string;
  readonly columns: readonly CsvColumn<Row>[];
  /** Up to `limit` rows after `after` (the first page when undefined), in the export's order. */
  readonly page: (after: Row | undefined, limit: number) => Promise<readonly Row[]>;
}

// Excel reads a CSV without a byte-order mark in the system's code page (GBK on a Chinese Windows).
const BOM = '\uFEFF';

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled.
 * Text a spreadsheet would run as a formula (= + - @, tab, CR first) gets a leading apostrophe,
 * so a name typed as `=HYPERLINK(…)` stays text (OWASP CSV injection); numbers are left alone.
 */
export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csvLine = (cells: readonly CsvCell[]) => `${cells.map(csvField).join(',')}\r\n`;

/** Money kept in fen, as yuan with two decimals (integer arithmetic: no floating point). */
export function yuan(fen: number | null): string {
  if (fen === null) return '';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** An epoch-ms time as Beijing time `YYYY-MM-DD HH:mm:ss`; empty when not set. */
export const beijingTime = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? '' : formatShanghaiDateTime(ms);

async function* csvText<Row>(spec: CsvExport<Row>, first: readonly Row[]): AsyncGenerator<string> {
  const lines = (rows: readonly Row[]) =>
    rows.map((row) => csvLine(spec.columns.map((column) => column.cell(row)))).join('');
  yield BOM + csvLine(spec.columns.map((column) => column.header));
  let rows = first;
  while (rows.length > 0) {
    yield lines(rows);
    if (rows.length < CSV_PAGE_ROWS) return;
    rows = await spec.page(rows[rows.length - 1], CSV_PAGE_ROWS);
  }
}

/**
 * Streams the export as the reply. The first page is read before anything is sent, so a refusal
 * (bad filter, missing role, a database down) still answers in the envelope; later pages are read
 * only as the client takes the text (a byte stream's 16 KiB buffer: backpressure), so memory
 * holds one page whatever the list's length. A failure after the first page can only cut the
 * download short, which the client sees as a broken transfer, not as a complete file.
 */
export async function sendCsv<Row>(reply: FastifyReply, spec: CsvExport<Row>): Promise<FastifyReply> {
  const first = await spec.page(undefined, CSV_PAGE_ROWS);
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(spec.filename)}`)
    .header('cache-control', 'private, no-store')
    .send(Readable.from(csvText(spec, first), { objectMode: false }));
}

/** The 200 answer of an export: the CSV, or the envelope's refusal of a filter. */
export const csvResponses = {
  200: {
    description: 'UTF-8 CSV with a byte-order mark, Chinese headers; or the failure envelope',
    content: {
      'text/csv': { schema: Type.String({ description: 'CSV（UTF-8 BOM，北京时间，金额为元）' }) },
      'application/json': { schema: Failure },
    },
  },
};
