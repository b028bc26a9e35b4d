import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';

/** RFC 4180 parse of a whole CSV text (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += c;
  }
  assert.equal(field, '', 'the text ends with a line break');
  return rows;
}

/** The export's rows after checking what every export shares: type, name, BOM. */
export function csvRows(res: LightMyRequestResponse, filename: string): string[][] {
  assert.equal(res.statusCode, 200, res.body.slice(0, 300));
  assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
  assert.equal(
    res.headers['content-disposition'],
    `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`,
  );
  assert.ok(res.body.startsWith('\uFEFF'), 'UTF-8 byte-order mark first, for Excel');
  return parseCsv(res.body.slice(1));
}
