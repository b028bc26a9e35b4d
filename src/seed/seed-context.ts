import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { Clock } from '../platform/clock.js';
import type { Pii } from '../platform/pii.js';

/** What the seeders write with: they fill tables directly, below the modules. */
export interface SeedContext {
  db: Kysely<Database>;
  pii: Pii;
  clock: Clock;
}
