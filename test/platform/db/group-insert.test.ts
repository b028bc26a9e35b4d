import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../../../src/database.js';
import { groupInsert } from '../../../src/platform/db/group-insert.js';
import { openMigratedTestDatabase } from '../../helpers/test-database.js';

describe('groupInsert', () => {
  let db: Db;
  let close: () => Promise<void>;
  let statements: string[] = [];
  before(async () => {
    ({ db, close } = await openMigratedTestDatabase());
  });
  after(() => close());

  const row = (code: string) => ({ app_key: 'isv', method: 'm', code, created_at: 1 });

  it('writes rows asked for in one turn as one statement, each promise settling after its row is there', async () => {
    const logged = db.kysely.withPlugin({
      transformQuery: (args) => {
        if (args.node.kind === 'InsertQueryNode') statements.push(args.queryId.queryId);
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const insert = groupInsert(logged, 'escrow_call_log');
    statements = [];
    const codes = Array.from({ length: 30 }, (_, i) => String(i));
    await Promise.all(codes.map((code) => insert(row(code))));
    assert.equal(statements.length, 1);
    const rows = await db.kysely.selectFrom('escrow_call_log').select('code').orderBy('id').execute();
    assert.deepEqual(
      rows.map((r) => r.code),
      codes,
    );
    // The next turn's rows are the next statement.
    await insert(row('later'));
    assert.equal(statements.length, 2);
  });

  it('splits a long queue into statements of at most 500 rows', async () => {
    const insert = groupInsert(db.kysely, 'escrow_call_log');
    const before = await db.kysely
      .selectFrom('escrow_call_log')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    await Promise.all(Array.from({ length: 1_201 }, (_, i) => insert(row(`bulk-${i}`))));
    const after = await db.kysely
      .selectFrom('escrow_call_log')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(after.n) - Number(before.n), 1_201);
  });

  it('fails every row of a statement that fails, and only those', async () => {
    const insert = groupInsert(db.kysely, 'escrow_call_log');
    // created_at is NOT NULL: the bad row takes its statement's companions down with it.
    const bad = { ...row('bad'), created_at: null as unknown as number };
    const results = await Promise.allSettled([insert(row('with-bad-1')), insert(bad)]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    await insert(row('after-bad'));
    const codes = (await db.kysely.selectFrom('escrow_call_log').select('code').execute()).map((r) => r.code);
    assert.ok(codes.includes('after-bad'));
    assert.ok(!codes.includes('with-bad-1'));
  });
});
