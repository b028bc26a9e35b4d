import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { beijingTime, type CsvColumn, csvResponses, sendCsv } from '../csv-export.js';
import { ISV_TAGS } from './api.escrow-isvs.route.js';
import { typed } from './shared.js';

type Row = Awaited<ReturnType<DialectContext['modules']['escrow']['isvs']['exportPages']>>[number];

// A scope of `*` is everything, as the list's tag says; otherwise the names or ids, one cell.
const scope = (value: '*' | readonly (string | number)[], all: string) =>
  value === '*' ? all : value.join(',');

const COLUMNS: readonly CsvColumn<Row>[] = [
  { header: '编号', cell: (row) => row.id },
  { header: '应用标识', cell: (row) => row.appKey },
  { header: '可调用方法', cell: (row) => scope(row.methods, '全部方法') },
  { header: '可代理门店', cell: (row) => scope(row.storeIds, '全部门店') },
  { header: '通知回调地址', cell: (row) => row.callbackUrl },
  { header: '状态', cell: (row) => (row.active ? '启用' : '停用') },
  { header: '创建时间', cell: (row) => beijingTime(row.createdAt) },
];

/** GET /api/escrow-isvs/export.csv: family 3's ISVs as CSV, by id as the list (never a secret). Admin only. */
export function apiEscrowIsvsExportCsvRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/escrow-isvs/export.csv',
    {
      schema: {
        tags: ISV_TAGS,
        summary: 'Escrow ISVs as CSV (secrets are never shown)',
        response: csvResponses,
      },
    },
    async (_request, reply) =>
      sendCsv(reply, { filename: 'ISV.csv', columns: COLUMNS, page: ctx.modules.escrow.isvs.exportPages }),
  );
}
