import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/schema.js';
import type { Pii } from '../../platform/pii.js';

/** What every dialect gets from the app: the shared modules' dependencies. */
export interface DialectContext {
  db: Kysely<Database>;
  pii: Pii;
  clock: Clock;
  config: Config;
}
