import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { preparedRowStatement } from '../../database.js';
import type { AuditRow, NewAuditRow } from './audit.table.js';

// Every field named, even when null: a prepared statement binds each one.
export type AuditEntry = Required<Omit<NewAuditRow, 'id'>>;

// Every write of every family records one: prepared once.
const auditInsert = preparedRowStatement<AuditEntry>(
  {
    actor: true,
    entity: true,
    entity_id: true,
    action: true,
    from_state: true,
    to_state: true,
    reason: true,
    created_at: true,
  },
  (db, row) => db.insertInto('audit_log').values(row),
);

export async function insertAudit(db: Kysely<Database>, row: AuditEntry): Promise<void> {
  await auditInsert.run(db, row);
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
