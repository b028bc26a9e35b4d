import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { AuditRow, NewAuditRow } from './audit.table.js';

export async function insertAudit(db: Kysely<Database>, row: NewAuditRow): Promise<void> {
  await db.insertInto('audit_log').values(row).execute();
}

export async function listAuditFor(
  db: Kysely<Database>,
  entity: string,
  entityId: string,
): Promise<AuditRow[]> {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity', '=', entity)
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();
}
