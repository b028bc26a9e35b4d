import type { Generated, Insertable, Selectable } from 'kysely';

export interface AuditTable {
  id: Generated<number>;
  /** `staff:<id>`, `system`, `partner:<ua>` … */
  actor: string;
  entity: string;
  entity_id: string;
  action: string;
  from_state: string | null;
  to_state: string | null;
  reason: string | null;
  created_at: number;
}

export type AuditRow = Selectable<AuditTable>;
export type NewAuditRow = Insertable<AuditTable>;
