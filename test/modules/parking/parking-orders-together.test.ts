import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../../src/database.js';
import { placeOrder } from '../../../src/modules/parking/parking-orders.service.js';
import { type GroupCommit, groupCommit } from '../../../src/platform/db/group-commit.js';
import { createDiskStorage } from '../../../src/platform/storage/index.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { testDialect } from '../../helpers/test-database.js';
import { filesUnder, JPEG, PNG, tempUploadsRoot } from '../../platform/storage/fixtures.js';
import {
  cardRow,
  openOrderIds,
  orderParts,
  parkingOrdersWith,
  renewalFields,
  seedParkingWorld,
} from './parking-orders-fixtures.js';

// On SQLite the orders that arrive together share one transaction (each in its own savepoint) and
// one commit; on PostgreSQL each is its own. Either way each order stands or falls alone.
describe(`parking orders placed together (${testDialect()})`, () => {
  let t: TestApp;
  let root: string;
  let worldsSeeded = 0;

  before(async () => {
    t = await startTestApp();
    root = tempUploadsRoot();
  });
  after(() => t.close());

  /** Three worlds' renewals and a second renewal of the first world's card, all at once. */
  async function placeFourAtOnce(
    place: (
      openId: string,
      parts: ReturnType<typeof orderParts>,
    ) => Promise<{ omPrOrderId: string; omPrCardId: string }>,
  ) {
    const runtime = t.app.runtime;
    const worlds = [];
    for (let i = 0; i < 3; i++) {
      const phone = `1524526${String(worldsSeeded++).padStart(4, '0')}`;
      worlds.push(await seedParkingWorld(runtime.db.kysely, runtime.pii, t.clock.now(), { phone }));
    }
    const files = [
      { filename: 'licence.jpg', bytes: JPEG },
      { filename: 'car.png', bytes: PNG },
    ];
    const keptBefore = filesUnder(root).length;
    const settled = await Promise.allSettled(
      [...worlds, worlds[0]!].map((world) => place(world.openId, orderParts(renewalFields(world), files))),
    );

    const placedFirst = settled.filter((s, i) => s.status === 'fulfilled' && (i === 0 || i === 3));
    assert.equal(placedFirst.length, 1, 'one of the first card’s two orders is placed');
    const refused = settled.filter((s) => s.status === 'rejected');
    assert.deepEqual(
      refused.map((s) => {
        const error = (s as PromiseRejectedResult).reason as { code?: string; message?: string };
        return [error.code, error.message];
      }),
      [['illegal_transition', '存在未完成的订单']],
    );
    const placed = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    for (const world of worlds) {
      const open = await openOrderIds(t.db.kysely, 'card_id', world.cardId);
      assert.equal(open.length, 1, `card ${world.cardId} has one open order`);
      const view = placed.find((o) => o.omPrCardId === world.cardId);
      assert.equal(view?.omPrOrderId, open[0]!.id);
      const card = await cardRow(t.db.kysely, world.cardId);
      assert.deepEqual([card.state, card.last_order_id], [2, open[0]!.id]);
      const audited = await t.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', open[0]!.id)
        .execute();
      assert.deepEqual(
        audited.map((a) => a.action),
        ['renewal_placed'],
      );
    }
    // Two documents for each placed order, each named by its order; none for the refused one.
    const named = await t.db.kysely
      .selectFrom('parking_order_files')
      .select('storage_key')
      .where(
        'order_id',
        'in',
        placed.map((o) => o.omPrOrderId),
      )
      .execute();
    assert.equal(named.length, 6);
    const kept = new Set(filesUnder(root).map((file) => path.basename(file)));
    assert.equal(kept.size, keptBefore + 6);
    for (const { storage_key } of named) assert.ok(kept.has(storage_key), storage_key);
  }

  it('through the module: each is placed or refused on its own, the refused one’s files gone', async () => {
    const runtime = t.app.runtime;
    const orders = parkingOrdersWith(t, createDiskStorage(root, runtime.pii.fileKey));
    await placeFourAtOnce((openId, parts) => orders.place(openId, parts, t.clock.now()));
  });

  it('the four in one shared commit: the refused one rolls back alone, inside it', async () => {
    const runtime = t.app.runtime;
    // The real group commit, given the four works in one turn: on SQLite, one transaction.
    const shared = groupCommit(runtime.db.kysely);
    const due: Array<() => void> = [];
    let batches = 0;
    const commitTogether: GroupCommit<Database> = (work) =>
      new Promise((resolve, reject) => {
        due.push(() => shared(work).then(resolve, reject));
        if (due.length === 4) {
          batches += 1;
          for (const go of due.splice(0)) go();
        }
      });
    const deps = {
      db: runtime.db.kysely,
      pii: runtime.pii,
      storage: createDiskStorage(root, runtime.pii.fileKey),
      uploads: { maxBytes: 5 * 1024 * 1024, maxFiles: 6 },
      payments: runtime.payments,
      log: () => {},
      commitTogether,
    };
    await placeFourAtOnce((openId, parts) => placeOrder(deps, openId, parts, t.clock.now()));
    assert.equal(batches, 1, 'all four reached the commit together');
  });
});
