export { insertAudit as recordAudit, listAuditFor } from './audit.repository.js';
export type { AuditRow, NewAuditRow } from './audit.table.js';
