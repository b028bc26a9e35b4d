import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../../../src/database.js';
import { jsonNesting, unnest } from '../../../src/platform/db/json-nesting.js';
import { openMigratedTestDatabase } from '../../helpers/test-database.js';

describe('jsonNesting', () => {
  let db: Db;
  let close: () => Promise<void>;
  before(async () => {
    ({ db, close } = await openMigratedTestDatabase());
    await db.kysely
      .insertInto('staff')
      .values(
        ['ann', 'bob'].map((username, i) => ({
          username,
          display_name: `${username} 王`,
          password_hash: 'x',
          roles: 'mianqian',
          created_at: 1_700_000_000_000 + i,
        })),
      )
      .execute();
  });
  after(() => close());

  // A query that finds no row, for the empty list and the missing object.
  const nobody = () =>
    db.kysely.selectFrom('staff as none').select('none.username').where('none.username', '=', 'nobody');

  function staffWithNested(username: string) {
    const { jsonArrayFrom, jsonObjectFrom } = jsonNesting(db.kysely);
    return db.kysely
      .selectFrom('staff as s')
      .select('s.username')
      .select((eb) => [
        jsonObjectFrom(
          eb
            .selectFrom('staff as me')
            .select(['me.display_name', 'me.created_at'])
            .whereRef('me.id', '=', 's.id'),
        ).as('self'),
        jsonArrayFrom(
          eb.selectFrom('staff as other').select('other.username').whereRef('other.id', '<>', 's.id'),
        ).as('others'),
        jsonObjectFrom(nobody()).as('missing'),
        jsonArrayFrom(nobody()).as('empty'),
      ])
      .where('s.username', '=', username)
      .executeTakeFirstOrThrow();
  }

  it('nests an object, a list, a missing object and an empty list into one row, typed alike on both databases', async () => {
    const row = await staffWithNested('ann');
    assert.equal(row.username, 'ann');
    // Numbers inside JSON come back as numbers even from a PostgreSQL bigint column.
    assert.deepEqual(unnest(row.self), { display_name: 'ann 王', created_at: 1_700_000_000_000 });
    assert.deepEqual(unnest(row.others), [{ username: 'bob' }]);
    assert.equal(unnest(row.missing), null);
    assert.deepEqual(unnest(row.empty), []);
  });

  it('nests a level deeper as JSON, not as JSON text to parse again, and leaves JSON-looking text as text', async () => {
    const { jsonArrayFrom, jsonObjectFrom } = jsonNesting(db.kysely);
    await db.kysely
      .updateTable('staff')
      .set({ display_name: '{"not":"json"}' })
      .where('username', '=', 'bob')
      .execute();
    const row = await db.kysely
      .selectFrom('staff as s')
      .select('s.username')
      .select((eb) => [
        jsonArrayFrom(
          eb
            .selectFrom('staff as other')
            .select(['other.username', 'other.display_name'])
            .select((ob) => [
              jsonObjectFrom(
                ob.selectFrom('staff as me').select('me.username').whereRef('me.id', '=', 's.id'),
              ).as('asker'),
              jsonArrayFrom(nobody()).as('nothing'),
              jsonObjectFrom(nobody()).as('nobody'),
            ])
            .whereRef('other.id', '<>', 's.id'),
        ).as('others'),
      ])
      .where('s.username', '=', 'ann')
      .executeTakeFirstOrThrow();
    assert.deepEqual(unnest(row.others), [
      {
        username: 'bob',
        display_name: '{"not":"json"}',
        asker: { username: 'ann' },
        nothing: [],
        nobody: null,
      },
    ]);
  });

  it('passes parsed values through and parses JSON text', () => {
    const parsed = { a: [1, '二'] };
    assert.equal(unnest(parsed), parsed);
    assert.deepEqual(unnest<typeof parsed>('{"a":[1,"二"]}'), parsed);
  });
});
