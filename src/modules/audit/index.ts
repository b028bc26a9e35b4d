export type { AuditEntry } from './audit.repository.js';
export { insertAudit as recordAudit, listAuditFor } from './audit.repository.js';
export type { AuditRow } from './audit.table.js';
