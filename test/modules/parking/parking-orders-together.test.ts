import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDiskStorage } from '../../../src/platform/storage/index.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { testDialect } from '../../helpers/test-database.js';
import { filesUnder, JPEG, PNG } from '../../platform/storage/fixtures.js';
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

  before(async () => {
    t = await startTestApp();
    root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-together-')), 'uploads');
  });
  after(() => t.close());

  it('each is placed or refused on its own: three cards renewing, a second order of one card refused, its files gone', async () => {
    const runtime = t.app.runtime;
    const now = t.clock.now();
    const worlds = [];
    for (const phone of ['15245263201', '15245263202', '15245263203'])
      worlds.push(await seedParkingWorld(runtime.db.kysely, runtime.pii, now, { phone }));
    const orders = parkingOrdersWith(t, createDiskStorage(root, runtime.pii.fileKey));
    const files = [
      { filename: 'licence.jpg', bytes: JPEG },
      { filename: 'car.png', bytes: PNG },
    ];
    const placing = [...worlds, worlds[0]!].map((world) =>
      orders.place(world.openId, orderParts(renewalFields(world), files), now),
    );
    const settled = await Promise.allSettled(placing);

    const placedFirst = settled.filter((s, i) => s.status === 'fulfilled' && (i === 0 || i === 3));
    assert.equal(placedFirst.length, 1, 'one of the first card’s two orders is placed');
    const refused = settled.filter((s) => s.status === 'rejected');
    assert.equal(refused.length, 1);
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
    // Two documents for each placed order, none for the refused one.
    const rows = await t.db.kysely.selectFrom('parking_order_files').select('storage_key').execute();
    const kept = filesUnder(root).map((file) => path.basename(file));
    assert.equal(kept.length, 6);
    assert.deepEqual(
      kept.sort(),
      rows
        .map((r) => r.storage_key)
        .filter((key) => kept.includes(key))
        .sort(),
    );
  });
});
