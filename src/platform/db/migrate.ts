import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Dialect } from './database.js';

/** A migration receives the dialect so the few type differences stay in column-types.ts. */
export interface VersionedMigration {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
  down?(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

/**
 * One step as the database records it: `name` is the row Kysely writes to kysely_migration, and
 * `parts` — each module's migration for that step — run in the listed order inside the step, so
 * a table is made before the tables of other modules that reference it. The platform knows no
 * module: the application's ordered list (src/migrations.ts) is passed in.
 */
export interface MigrationStep {
  readonly name: string;
  readonly parts: ReadonlyArray<VersionedMigration>;
}

function provider(steps: ReadonlyArray<MigrationStep>, dialect: Dialect): MigrationProvider {
  return {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const { name, parts } of steps) {
        const downs = parts.map((p) => p.down?.bind(p));
        const everyDown = downs.every((d) => d !== undefined);
        out[name] = {
          up: async (db) => {
            for (const part of parts) await part.up(db, dialect);
          },
          ...(everyDown
            ? {
                down: async (db: Kysely<unknown>) => {
                  for (const down of downs.toReversed()) await down?.(db, dialect);
                },
              }
            : {}),
        };
      }
      return out;
    },
  };
}

/**
 * Kysely runs migrations in name order and refuses one that sorts before a step already run, so
 * the list must be in strictly ascending name order: then the order written is the order run.
 */
export function checkMigrationOrder(steps: ReadonlyArray<MigrationStep>): void {
  for (let i = 1; i < steps.length; i++) {
    const before = steps[i - 1]!.name;
    const name = steps[i]!.name;
    if (!(before < name)) throw new Error(`migration ${name} is listed after ${before}: names must ascend`);
  }
  for (const { name, parts } of steps) {
    if (parts.length === 0) throw new Error(`migration ${name} has no parts`);
  }
}

/** Runs every step of `steps` the database has not recorded yet; returns the names run. */
export async function runMigrations(
  // biome-ignore lint/suspicious/noExplicitAny: migrations run before and regardless of the typed schema
  db: Kysely<any>,
  dialect: Dialect,
  steps: ReadonlyArray<MigrationStep>,
): Promise<string[]> {
  checkMigrationOrder(steps);
  const migrator = new Migrator({ db, provider: provider(steps, dialect) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
  return (results ?? []).map((r) => r.migrationName);
}

/**
 * A CHECK (column >= 0) on an existing column: PostgreSQL adds the constraint; SQLite cannot alter
 * a table's constraints, so a trigger refuses the write instead, with the same effect on every
 * INSERT and UPDATE. The constraint (or trigger pair) is named `<table>_<column>_not_negative`.
 */
export async function addNonNegativeCheck(
  db: Kysely<unknown>,
  dialect: Dialect,
  table: string,
  column: string,
): Promise<void> {
  const name = `${table}_${column}_not_negative`;
  if (dialect === 'postgres') {
    await sql`alter table ${sql.table(table)} add constraint ${sql.id(name)} check (${sql.ref(column)} >= 0)`.execute(
      db,
    );
    return;
  }
  for (const event of ['insert', 'update'] as const) {
    await sql`create trigger ${sql.id(`${name}_${event}`)} before ${sql.raw(event)} on ${sql.table(table)}
      when new.${sql.ref(column)} < 0
      begin select raise(abort, ${sql.lit(`CHECK constraint failed: ${name}`)}); end`.execute(db);
  }
}
