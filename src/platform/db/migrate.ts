import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Dialect } from './database.js';
import * as m0001 from './migrations/0001-foundation.js';
import * as m0002 from './migrations/0002-loan-orders.js';
import * as m0003 from './migrations/0003-payments.js';
import * as m0004 from './migrations/0004-tenants-and-leases.js';
import * as m0005 from './migrations/0005-partner-gateway.js';
import * as m0006 from './migrations/0006-desk-order-time.js';
import * as m0007 from './migrations/0007-partner-signatures.js';
import * as m0008 from './migrations/0008-money-and-limits.js';

/** A migration receives the dialect so the few type differences stay in column-types.ts. */
export interface VersionedMigration {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
  down?(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

const MIGRATIONS: Record<string, VersionedMigration> = {
  '0001-foundation': m0001,
  '0002-loan-orders': m0002,
  '0003-payments': m0003,
  '0004-tenants-and-leases': m0004,
  '0005-partner-gateway': m0005,
  '0006-desk-order-time': m0006,
  '0007-partner-signatures': m0007,
  '0008-money-and-limits': m0008,
};

function provider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, m] of Object.entries(MIGRATIONS)) {
        const { down } = m;
        out[name] = {
          up: (db) => m.up(db, dialect),
          ...(down ? { down: (db: Kysely<unknown>) => down(db, dialect) } : {}),
        };
      }
      return out;
    },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run before and regardless of the typed schema
export async function migrateToLatest(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  const migrator = new Migrator({ db, provider: provider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
  return (results ?? []).map((r) => r.migrationName);
}
