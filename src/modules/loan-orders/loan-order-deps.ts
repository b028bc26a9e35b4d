import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { Pii } from '../../platform/pii.js';

/** What the loan-order use cases need from the platform. */
export interface LoanOrderDeps {
  db: Kysely<Database>;
  pii: Pii;
}

/** Who acts: a staff member with roles (see modules/staff). */
export interface Actor {
  id: number;
  roles: readonly string[];
}

export function actorRef(actor: Actor): string {
  return `staff:${actor.id}`;
}
