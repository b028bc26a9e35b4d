import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../../../src/database.js';
import { preparedQuery, preparedRowStatement } from '../../../src/database.js';
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

  interface Entry {
    actor: string;
    entity: string;
    entity_id: string;
    action: string;
    reason: string | null;
    created_at: number;
  }
  const entryInsert = preparedRowStatement<Entry>(
    { actor: true, entity: true, entity_id: true, action: true, reason: true, created_at: true },
    (k, row) => k.insertInto('audit_log').values({ ...row, from_state: 'a', to_state: null }),
  );
  const entriesOf = (entity_id: string) =>
    db.kysely
      .selectFrom('audit_log')
      .select(['actor', 'entity', 'entity_id', 'action', 'from_state', 'to_state', 'reason', 'created_at'])
      .where('entity_id', '=', entity_id)
      .orderBy('id')
      .execute();

  it('binds every field of a row by name, each call its own, keeping the constants', async () => {
    const first = {
      actor: 'staff:1',
      entity: 'e',
      entity_id: 'row-1',
      action: 'x',
      reason: null,
      created_at: 5,
    };
    assert.equal(await entryInsert.run(db.kysely, first), 1);
    // Fields in another order: the binding follows names, not positions.
    assert.equal(
      await entryInsert.run(db.kysely, {
        created_at: 6,
        reason: '为什么',
        action: 'y',
        entity_id: 'row-1',
        entity: 'e',
        actor: 'staff:2',
      }),
      1,
    );
    assert.deepEqual(await entriesOf('row-1'), [
      { ...first, from_state: 'a', to_state: null },
      {
        actor: 'staff:2',
        entity: 'e',
        entity_id: 'row-1',
        action: 'y',
        from_state: 'a',
        to_state: null,
        reason: '为什么',
        created_at: 6,
      },
    ]);
  });

  it('answers how many rows a write changed', async () => {
    const rename = preparedQuery(2, (k, from: string, to: string) =>
      k.updateTable('staff').set({ display_name: to }).where('display_name', '=', from),
    );
    assert.equal(await rename.run(db.kysely, 'CAT', 'Cat'), 1);
    assert.equal(await rename.run(db.kysely, 'CAT', 'Cat'), 0);
  });

  it('refuses a row whose field is undefined rather than binding it as NULL', async () => {
    const row = { actor: 'staff:3', entity: 'e', entity_id: 'row-2', action: 'z', created_at: 7 };
    await assert.rejects(
      entryInsert.run(db.kysely, { ...row, reason: undefined } as unknown as Entry),
      /prepared row: reason is undefined/,
    );
    assert.deepEqual(await entriesOf('row-2'), []);
  });

  it('refuses a handle with plugins, whose SQL would differ from the one compiled', async () => {
    const byName = preparedQuery(1, (k, name: string) =>
      k.selectFrom('staff').select('username').where('username', '=', name),
    );
    await assert.rejects(
      byName.all(db.kysely.withSchema('elsewhere'), 'cat'),
      /handles with Kysely plugins are not supported/,
    );
  });

  it('refuses a row statement that leaves a field out', async () => {
    const broken = preparedRowStatement<{ actor: string; entity: string }>(
      { actor: true, entity: true },
      (k, row) =>
        k.insertInto('audit_log').values({
          actor: row.actor,
          entity: 'fixed',
          entity_id: 'x',
          action: 'x',
          created_at: 1,
        }),
    );
    await assert.rejects(broken.run(db.kysely, { actor: 'a', entity: 'b' }), /argument entity is not used/);
  });
});
