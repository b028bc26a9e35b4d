import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { type Db, openDatabase } from '../../../src/database.js';
import { MIGRATIONS, migrateToLatest } from '../../../src/migrations.js';
import { checkMigrationOrder, type MigrationStep, runMigrations } from '../../../src/platform/db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-database.js';
import * as was0001 from './fixtures/migrations-45ba6ee/0001-foundation.js';
import * as was0002 from './fixtures/migrations-45ba6ee/0002-loan-orders.js';
import * as was0003 from './fixtures/migrations-45ba6ee/0003-payments.js';
import * as was0004 from './fixtures/migrations-45ba6ee/0004-tenants-and-leases.js';
import * as was0005 from './fixtures/migrations-45ba6ee/0005-partner-gateway.js';
import * as was0006 from './fixtures/migrations-45ba6ee/0006-desk-order-time.js';
import * as was0007 from './fixtures/migrations-45ba6ee/0007-partner-signatures.js';
import * as was0008 from './fixtures/migrations-45ba6ee/0008-money-and-limits.js';

/**
 * The migrations as they stood at 45ba6ee, before they moved into their modules: eight files
 * under src/platform/db/migrations/, copied here unchanged but for their import paths (with the
 * column-types.ts they used), under the names those databases recorded.
 */
const BEFORE_THE_MOVE: ReadonlyArray<MigrationStep> = [
  { name: '0001-foundation', parts: [was0001] },
  { name: '0002-loan-orders', parts: [was0002] },
  { name: '0003-payments', parts: [was0003] },
  { name: '0004-tenants-and-leases', parts: [was0004] },
  { name: '0005-partner-gateway', parts: [was0005] },
  { name: '0006-desk-order-time', parts: [was0006] },
  { name: '0007-partner-signatures', parts: [was0007] },
  { name: '0008-money-and-limits', parts: [was0008] },
];

type Row = Record<string, unknown>;

async function rows(db: Db, query: ReturnType<typeof sql>): Promise<Row[]> {
  return (await query.execute(db.kysely)).rows as Row[];
}

const oneSpace = (s: unknown) => (typeof s === 'string' ? s.replace(/\s+/g, ' ').trim() : s);

/** Everything that makes up the schema, in a stable order, as plain rows to compare. */
async function schemaOf(db: Db): Promise<Record<string, Row[]>> {
  if (db.dialect === 'sqlite') {
    const objects = await rows(
      db,
      sql`select type, name, tbl_name, sql from sqlite_master order by type, name`,
    );
    return { objects: objects.map((o) => ({ ...o, sql: oneSpace(o.sql) })) };
  }
  return {
    columns: await rows(
      db,
      sql`select table_name, column_name, ordinal_position, data_type, is_nullable, column_default,
            character_maximum_length, numeric_precision, is_identity
          from information_schema.columns where table_schema = 'public'
          order by table_name, ordinal_position`,
    ),
    indexes: await rows(
      db,
      sql`select tablename, indexname, indexdef from pg_indexes where schemaname = 'public'
          order by tablename, indexname`,
    ),
    constraints: await rows(
      db,
      sql`select conrelid::regclass::text as table_name, conname, contype,
            pg_get_constraintdef(oid) as definition
          from pg_constraint where connamespace = 'public'::regnamespace
          order by 1, 2`,
    ),
    triggers: await rows(
      db,
      sql`select event_object_table, trigger_name, event_manipulation, action_timing, action_statement
          from information_schema.triggers where trigger_schema = 'public'
          order by 1, 2, 3`,
    ),
    sequences: await rows(
      db,
      sql`select sequence_name, data_type, start_value, increment
          from information_schema.sequences where sequence_schema = 'public' order by 1`,
    ),
  };
}

async function tableNames(db: Db): Promise<string[]> {
  const found =
    db.dialect === 'sqlite'
      ? await rows(db, sql`select name from sqlite_master where type = 'table' order by name`)
      : await rows(
          db,
          sql`select table_name as name from information_schema.tables
              where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
        );
  return found.map((r) => String(r.name));
}

/** Every table's rows (reference data the migrations insert), kysely's own bookkeeping aside. */
async function contentsOf(db: Db): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const raw = db.kysely as unknown as Kysely<Record<string, Row>>;
  for (const table of await tableNames(db)) {
    if (table.startsWith('kysely_migration')) continue;
    const all = await raw.selectFrom(table).selectAll().execute();
    out[table] = all.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

async function recordedSteps(db: Db): Promise<Row[]> {
  return rows(db, sql`select name, timestamp from kysely_migration order by name`);
}

describe('migrations moved into their modules', () => {
  let oldDatabase: TestDatabase;
  let freshDatabase: TestDatabase;
  let old: Db;
  let fresh: Db;
  let recordedBefore: Row[];
  let ranOnOld: string[];
  let ranOnFresh: string[];

  before(async () => {
    oldDatabase = await createTestDatabase();
    freshDatabase = await createTestDatabase();
    old = openDatabase(oldDatabase.url);
    fresh = openDatabase(freshDatabase.url);
    await runMigrations(old.kysely, old.dialect, BEFORE_THE_MOVE);
    recordedBefore = await recordedSteps(old);
    ranOnOld = await migrateToLatest(old.kysely, old.dialect);
    ranOnFresh = await migrateToLatest(fresh.kysely, fresh.dialect);
  });
  after(async () => {
    await old.close();
    await fresh.close();
    await oldDatabase.drop();
    await freshDatabase.drop();
  });

  it('runs every step on a fresh database, in the listed order', () => {
    assert.deepEqual(
      ranOnFresh,
      MIGRATIONS.map((m) => m.name),
    );
  });

  it('runs none of the historic steps again on a database made by the migrations from before the move', async () => {
    const historic = recordedBefore.length;
    assert.deepEqual(
      ranOnOld,
      MIGRATIONS.slice(historic).map((m) => m.name),
      'only the steps added since run',
    );
    assert.deepEqual(
      (await recordedSteps(old)).slice(0, historic),
      recordedBefore,
      'the historic rows of kysely_migration are untouched',
    );
    assert.deepEqual(
      recordedBefore.map((r) => r.name),
      MIGRATIONS.slice(0, historic).map((m) => m.name),
      'the historic steps keep their recorded names',
    );
  });

  it('leaves that database with exactly the schema and reference data of a fresh one', async () => {
    const was = await schemaOf(old);
    const now = await schemaOf(fresh);
    // The comparison sees what matters: the moved sms_codes table, and the 0008 CHECK, which
    // SQLite holds with triggers and PostgreSQL with a constraint.
    const text = JSON.stringify(now);
    for (const name of [
      'sms_codes_phone',
      'partner_callbacks',
      'limit_keys',
      'tenants_deposit_held_not_negative',
    ]) {
      assert.ok(text.includes(name), `${name} is in the schema compared`);
    }
    assert.deepEqual(was, now);
    assert.deepEqual(await contentsOf(old), await contentsOf(fresh));
    assert.ok((await contentsOf(fresh)).picture_categories?.length, 'reference data is compared');
  });

  it('is a no-op when run again', async () => {
    const schema = await schemaOf(fresh);
    const recorded = await recordedSteps(fresh);
    assert.deepEqual(await migrateToLatest(fresh.kysely, fresh.dialect), []);
    assert.deepEqual(await migrateToLatest(old.kysely, old.dialect), []);
    assert.deepEqual(await schemaOf(fresh), schema);
    assert.deepEqual(await recordedSteps(fresh), recorded);
  });

  it('refuses a list whose names do not ascend, since Kysely runs steps in name order', () => {
    const [first, second] = MIGRATIONS;
    assert.ok(first && second);
    assert.throws(() => checkMigrationOrder([second, first]), /must ascend/);
    assert.throws(() => checkMigrationOrder([first, first]), /must ascend/);
    assert.doesNotThrow(() => checkMigrationOrder(MIGRATIONS));
  });
});
