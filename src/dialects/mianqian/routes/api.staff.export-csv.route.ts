import type { FastifyInstance } from 'fastify';
import { STAFF_ROLE_LABELS, type StaffAccount, type StaffRole } from '../../../modules/staff/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { type CsvColumn, csvResponses, sendCsv } from '../csv-export.js';
import { STAFF_TAGS, typed } from './shared.js';

const roleLabel = (role: string) => STAFF_ROLE_LABELS[role as StaffRole] ?? role;

const COLUMNS: readonly CsvColumn<StaffAccount>[] = [
  { header: '编号', cell: (row) => row.id },
  { header: '用户名', cell: (row) => row.username },
  { header: '显示名', cell: (row) => row.displayName },
  // One cell with every role (Chinese names, as the list's tags): a role per column would change with the roles.
  { header: '角色', cell: (row) => row.roles.map(roleLabel).join('、') },
  { header: '状态', cell: (row) => (row.disabled ? '已停用' : '正常') },
];

/** GET /api/staff/export.csv: the accounts as CSV, by id, as the list (never a password). Admin only. */
export function apiStaffExportCsvRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/staff/export.csv',
    {
      schema: {
        tags: STAFF_TAGS,
        summary: 'Staff accounts and roles as CSV (admin)',
        response: csvResponses,
      },
    },
    async (_request, reply) =>
      sendCsv(reply, {
        filename: '员工账号.csv',
        columns: COLUMNS,
        page: ctx.modules.staff.accountExportPages(),
      }),
  );
}
