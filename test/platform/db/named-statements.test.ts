import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { type Db, openDatabase } from '../../../src/platform/db/database.js';
import { preparedQueriesOver } from '../../../src/platform/db/prepared-query.js';
import { createTestDatabase, type TestDatabase, testDialect } from '../../helpers/test-database.js';

interface Schema {
  named_probe: { id: number; label: string };
}
const { preparedQuery } = preparedQueriesOver<Schema>();
const labelOf = preparedQuery(1, (db, id: number) =>
  db.selectFrom('named_probe').select('label').where('id', '=', id),
);

describe('fixed-shape queries on PostgreSQL', {
  skip: testDialect() !== 'postgres' && 'needs TEST_DATABASE_URL',
}, () => {
  let database: TestDatabase;
  let db: Db<Schema>;
  before(async () => {
    database = await createTestDatabase();
    // One connection, so what it has prepared is what every statement below ran on.
    db = openDatabase<Schema>(database.url, { poolSize: 1 });
    await sql`create table named_probe (id integer primary key, label text not null)`.execute(db.kysely);
    await sql`insert into named_probe values (1, 'one'), (2, 'two')`.execute(db.kysely);
  });
  after(async () => {
    await db.close();
    await database.drop();
  });

  const prepared = async () =>
    (
      await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db.kysely)
    ).rows.map((row) => row.statement);

  it('run as one named statement, prepared once on the connection, each run with its own values', async () => {
    assert.deepEqual(await labelOf.first(db.kysely, 1), { label: 'one' });
    assert.deepEqual(await labelOf.first(db.kysely, 2), { label: 'two' });
    await db.kysely.selectFrom('named_probe').select('id').where('label', '=', 'two').execute();
    const statements = await prepared();
    const probes = statements.filter((text) => text.includes('named_probe'));
    assert.equal(probes.length, 1, statements.join('\n'));
    assert.match(probes[0]!, /select "label" from "named_probe" where "id" = \$1/);
  });

  it('and inside a transaction too', async () => {
    const label = await db.kysely.transaction().execute((trx) => labelOf.first(trx, 2));
    assert.deepEqual(label, { label: 'two' });
    assert.equal((await prepared()).filter((text) => text.includes('named_probe')).length, 1);
  });
});
