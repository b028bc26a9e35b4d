import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Db } from '../../../src/database.js';
import { groupCommit } from '../../../src/platform/db/group-commit.js';
import { openMigratedTestDatabase, testDialect } from '../../helpers/test-database.js';

describe(`groupCommit (${testDialect()})`, () => {
  let db: Db;
  let close: () => Promise<void>;
  before(async () => {
    ({ db, close } = await openMigratedTestDatabase());
  });
  after(() => close());

  const codes = async () =>
    (await db.kysely.selectFrom('escrow_call_log').select('code').orderBy('id').execute()).map((r) => r.code);
  const log = (code: string) => ({ app_key: 'isv', method: 'm', code, created_at: 1 });

  it('runs works arriving together; a work that throws leaves nothing and fails alone, the others commit', async () => {
    const run = groupCommit(db.kysely);
    const results = await Promise.allSettled(
      ['a', 'b', 'c', 'd'].map((code) =>
        run(async (trx) => {
          await trx.insertInto('escrow_call_log').values(log(code)).execute();
          if (code === 'c') throw new Error('c changed its mind');
          return code.toUpperCase();
        }),
      ),
    );
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
      ['A', 'B', 'c changed its mind', 'D'],
    );
    assert.deepEqual((await codes()).sort(), ['a', 'b', 'd']);
  });

  it('on SQLite the works queued in one turn share a transaction (each sees the earlier ones); all are stored when told', async () => {
    const run = groupCommit(db.kysely);
    const seenInside: number[] = [];
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        run(async (trx) => {
          await trx
            .insertInto('escrow_call_log')
            .values(log(`batch-${i}`))
            .execute();
          // What the earlier works of this turn wrote is visible: same transaction on SQLite,
          // only committed ones on PostgreSQL (each work its own transaction).
          const n = await trx
            .selectFrom('escrow_call_log')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('code', 'like', 'batch-%')
            .executeTakeFirstOrThrow();
          seenInside.push(Number(n.n));
        }),
      ),
    );
    if (testDialect() === 'sqlite') assert.deepEqual(seenInside.sort(), [1, 2, 3, 4, 5]);
    else assert.ok(seenInside.every((n) => n >= 1 && n <= 5));
    const stored = (await codes()).filter((c) => c.startsWith('batch-'));
    assert.equal(stored.length, 5);
  });

  it('a work whose error ended the whole transaction fails the batch with that error, not a missing savepoint', async () => {
    const run = groupCommit(db.kysely);
    // What SQLite does itself on disk full or an I/O error: the transaction is rolled back
    // under the statement, savepoints and all.
    const diskFull = async (trx: typeof db.kysely) => {
      await trx.insertInto('escrow_call_log').values(log('ended-b')).execute();
      await sql`rollback`.execute(trx);
      throw new Error('database or disk is full');
    };
    const results = await Promise.allSettled([
      run((trx) => trx.insertInto('escrow_call_log').values(log('ended-a')).execute()),
      run(diskFull),
      run((trx) => trx.insertInto('escrow_call_log').values(log('ended-c')).execute()),
    ]);
    const stored = (await codes()).filter((c) => c.startsWith('ended-')).sort();
    if (testDialect() === 'sqlite') {
      // One shared transaction: nothing of it was committed, and every caller hears why.
      assert.deepEqual(
        results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'fulfilled')),
        ['database or disk is full', 'database or disk is full', 'database or disk is full'],
      );
      assert.deepEqual(stored, []);
    } else {
      assert.deepEqual(
        results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'fulfilled')),
        ['fulfilled', 'database or disk is full', 'fulfilled'],
      );
      assert.deepEqual(stored, ['ended-a', 'ended-c']);
    }
    // The connection is whole again: the next batch commits.
    await run((trx) => trx.insertInto('escrow_call_log').values(log('ended-after')).execute());
    assert.ok((await codes()).includes('ended-after'));
  });

  it('a plain transaction that SQLite ended itself rejects with the error that ended it', async () => {
    await assert.rejects(
      db.kysely.transaction().execute(async (trx) => {
        await sql`rollback`.execute(trx);
        throw new Error('disk I/O error');
      }),
      { message: 'disk I/O error' },
    );
  });

  it('splits a long queue into transactions of at most 64 works, all committed', async () => {
    const run = groupCommit(db.kysely);
    await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        run((trx) =>
          trx
            .insertInto('escrow_call_log')
            .values(log(`long-${i}`))
            .execute(),
        ),
      ),
    );
    assert.equal((await codes()).filter((c) => c.startsWith('long-')).length, 150);
  });
});
