import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Db } from '../../src/database.js';
import { createPii } from '../../src/platform/pii.js';
import { loadSyntheticOrders, seedSyntheticOrders } from '../../src/seed/synthetic-orders.js';
import { openMigratedTestDatabase } from '../helpers/test-database.js';

describe('synthetic orders', () => {
  const key = randomBytes(32);
  const until = Date.parse('2026-11-01T00:00:00Z');
  const closers: Array<() => Promise<void>> = [];
  let bulk: Db;
  let inThread: Db;

  before(async () => {
    const [a, b] = [await openMigratedTestDatabase(), await openMigratedTestDatabase()];
    closers.push(a.close, b.close);
    [bulk, inThread] = [a.db, b.db];
  });
  after(async () => {
    for (const close of closers) await close();
  });

  const orders = (db: Db) =>
    db.kysely
      .selectFrom('loan_orders as o')
      .innerJoin('loan_order_people as p', 'p.order_id', 'o.id')
      .select(['o.son_order_id', 'o.customer_name', 'o.stage', 'o.city', 'p.mobile_hash', 'p.role'])
      .orderBy('o.id')
      .execute();

  it('the worker-fed bulk load makes exactly the orders the in-thread seeder makes', async () => {
    // More than one chunk of 10,000, so the worker is asked again while the first is inserted.
    const options = { orders: 10_500, seed: 99, until };
    let progress = 0;
    await loadSyntheticOrders(bulk, key, {
      ...options,
      onProgress: (done) => {
        progress = done;
      },
    });
    await seedSyntheticOrders(inThread.kysely, createPii(key), options);
    const made = await orders(bulk);
    assert.equal(made.length, 10_500);
    assert.equal(progress, 10_500);
    assert.deepEqual(made, await orders(inThread));
    assert.equal(new Set(made.map((o) => o.son_order_id)).size, made.length, 'order numbers are unique');
    assert.ok(made.every((o) => /^\d{13}$/.test(o.son_order_id) && o.role === 'customer'));
    const agents = await bulk.kysely
      .selectFrom('agents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(agents.n), 2000);
  });

  it('leaves the database as it found it: indexes rebuilt and, on SQLite, syncs back on', async () => {
    if (bulk.dialect === 'sqlite') {
      const { rows } = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(bulk.kysely);
      assert.equal(rows[0]?.synchronous, 1, 'NORMAL');
    }
    const { rows: indexes } =
      bulk.dialect === 'sqlite'
        ? await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index'`.execute(
            bulk.kysely,
          )
        : await sql<{ name: string }>`SELECT indexname AS name FROM pg_indexes`.execute(bulk.kysely);
    const names = indexes.map((i) => i.name);
    for (const index of ['loan_order_people_mobile', 'loan_order_people_id_card', 'loan_orders_desk_city']) {
      assert.ok(names.includes(index), `${index} rebuilt`);
    }
    const list = await bulk.kysely
      .selectFrom('loan_order_desk_counts')
      .select((eb) => eb.fn.sum<number>('n').as('total'))
      .executeTakeFirstOrThrow();
    assert.ok(Number(list.total) > 0, 'desk counts rebuilt');
  });
});
