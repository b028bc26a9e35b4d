import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../../../src/platform/db/database.js';
import { preparedQuery } from '../../../src/platform/db/prepared-query.js';
import { openMigratedTestDatabase } from '../../helpers/test-database.js';

describe('preparedQuery', () => {
  let db: Db;
  let close: () => Promise<void>;
  before(async () => {
    ({ db, close } = await openMigratedTestDatabase());
    await db.kysely
      .insertInto('staff')
      .values(
        ['ann', 'bob', 'cat'].map((username, i) => ({
          username,
          display_name: username.toUpperCase(),
          password_hash: 'x',
          roles: i === 2 ? 'admin' : 'mianqian',
          created_at: 1000 + i,
        })),
      )
      .execute();
  });
  after(() => close());

  // A constant of the query ('mianqian') sits between the two arguments in the parameter list.
  const staffAfter = preparedQuery(2, (k, username: string, since: number) =>
    k
      .selectFrom('staff')
      .select(['username', 'display_name'])
      .where('username', '>=', username)
      .where('roles', '=', 'mianqian')
      .where('created_at', '>=', since)
      .orderBy('username'),
  );

  it('runs one compiled query with each call’s own values, keeping its constants', async () => {
    assert.deepEqual(await staffAfter.all(db.kysely, 'a', 0), [
      { username: 'ann', display_name: 'ANN' },
      { username: 'bob', display_name: 'BOB' },
    ]);
    assert.deepEqual(await staffAfter.all(db.kysely, 'b', 0), [{ username: 'bob', display_name: 'BOB' }]);
    assert.deepEqual(await staffAfter.all(db.kysely, 'a', 1001), [{ username: 'bob', display_name: 'BOB' }]);
    assert.deepEqual(await staffAfter.first(db.kysely, 'c', 0), undefined);
  });

  it('refuses a build that does not use an argument as a value', async () => {
    const broken = preparedQuery(1, (k, _unused: string) => k.selectFrom('staff').select('id'));
    await assert.rejects(broken.all(db.kysely, 'x'), /argument 0 is not used as a value/);
  });
});
