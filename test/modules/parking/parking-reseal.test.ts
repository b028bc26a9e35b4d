import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ResealKeyMismatch, resealParkingDocuments } from '../../../src/modules/parking/index.js';
import { openExtraInfo } from '../../../src/modules/parking/parking-extra-info.js';
import { replaceExtraInfo } from '../../../src/modules/parking/parking-orders.repository.js';
import { createPii } from '../../../src/platform/pii.js';
import { createDiskStorage } from '../../../src/platform/storage/index.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { JPEG, PNG, readAll, tempUploadsRoot } from '../../platform/storage/fixtures.js';
import { orderParts, parkingOrdersWith, renewalFields, seedParkingWorld } from './parking-orders-fixtures.js';

describe('fangtong parking reseal: documents kept in the clear before sealing', () => {
  let t: TestApp;
  let root: string;

  before(async () => {
    t = await startTestApp();
    root = tempUploadsRoot();
  });
  after(() => t.close());

  const storage = () => createDiskStorage(root, t.app.runtime.pii.fileKey);
  const fileOf = (key: string) => path.join(root, key.slice(0, 2), key);
  const deps = () => ({ db: t.db.kysely, pii: t.app.runtime.pii, storage: storage() });

  async function placeOrder(phone: string) {
    const world = await seedParkingWorld(t.db.kysely, t.app.runtime.pii, t.clock.now(), { phone });
    const view = await parkingOrdersWith(t, storage()).place(
      world.openId,
      orderParts(renewalFields(world), [
        { filename: 'licence.png', bytes: PNG },
        { filename: 'car.jpg', bytes: JPEG },
      ]),
      t.clock.now(),
    );
    const files = await t.db.kysely
      .selectFrom('parking_order_files')
      .select(['slot', 'storage_key'])
      .where('order_id', '=', view.omPrOrderId)
      .orderBy('slot')
      .execute();
    return { orderId: view.omPrOrderId, keys: files.map((f) => f.storage_key) };
  }
  const extraInfoOf = async (orderId: string) =>
    (
      await t.db.kysely
        .selectFrom('parking_orders')
        .select('extra_info')
        .where('id', '=', orderId)
        .executeTakeFirstOrThrow()
    ).extra_info;

  it('seals the old files and extra infos, leaves what is sealed as it is, names a missing file, and is done once', async () => {
    const old = await placeOrder('13700000011');
    const sealed = await placeOrder('13700000012');
    const lost = await placeOrder('13700000013');
    // `old` as it was kept before sealing: the files as sent, the extra infos as their JSON.
    fs.writeFileSync(fileOf(old.keys[0]!), PNG);
    fs.writeFileSync(fileOf(old.keys[1]!), JPEG);
    const items = openExtraInfo<{ code: string; content: string }>(
      t.app.runtime.pii,
      await extraInfoOf(old.orderId),
    );
    const plain = JSON.stringify(items);
    await t.db.kysely
      .updateTable('parking_orders')
      .set({ extra_info: plain })
      .where('id', '=', old.orderId)
      .execute();
    fs.rmSync(fileOf(lost.keys[1]!));
    const untouched = sealed.keys.map((key) => fs.readFileSync(fileOf(key)));
    const untouchedInfo = await extraInfoOf(sealed.orderId);

    // Pages of two: the six files and the orders are read across pages.
    const report = await resealParkingDocuments(deps(), 2);
    assert.deepEqual(report, {
      files: { sealed: 2, already: 3 },
      missing: [{ orderId: lost.orderId, slot: 1, storageKey: lost.keys[1] }],
      failed: [],
      extraInfos: 1,
    });
    for (const [i, bytes] of [PNG, JPEG].entries()) {
      const onDisk = fs.readFileSync(fileOf(old.keys[i]!));
      assert.equal(onDisk.subarray(0, 4).toString(), 'FTE1');
      assert.equal(onDisk.indexOf(bytes.subarray(0, 8)), -1);
      assert.deepEqual(await readAll((await storage().get(old.keys[i]!))!.stream), bytes);
    }
    const stored = await extraInfoOf(old.orderId);
    assert.match(stored, /^v1\./);
    assert.ok(!stored.includes('在职'));
    assert.deepEqual(openExtraInfo(t.app.runtime.pii, stored), items);
    assert.deepEqual(
      sealed.keys.map((key) => fs.readFileSync(fileOf(key))),
      untouched,
    );
    assert.equal(await extraInfoOf(sealed.orderId), untouchedInfo);

    assert.deepEqual(await resealParkingDocuments(deps()), {
      files: { sealed: 0, already: 5 },
      missing: report.missing,
      failed: [],
      extraInfos: 0,
    });
  });

  it('refuses a key that does not open what the servers sealed, and changes nothing', async () => {
    const old = await placeOrder('13700000014');
    fs.writeFileSync(fileOf(old.keys[0]!), PNG);
    const plain = '[{"type":"0","name":"在职证明","code":"2","content":"在职"}]';
    await t.db.kysely
      .updateTable('parking_orders')
      .set({ extra_info: plain })
      .where('id', '=', old.orderId)
      .execute();
    const otherKey = createPii(Buffer.alloc(32, 7));
    await assert.rejects(
      resealParkingDocuments({
        db: t.db.kysely,
        pii: otherKey,
        storage: createDiskStorage(root, otherKey.fileKey),
      }),
      ResealKeyMismatch,
    );
    assert.deepEqual(fs.readFileSync(fileOf(old.keys[0]!)), PNG);
    assert.equal(await extraInfoOf(old.orderId), plain);
    // With the servers' key it is sealed, the text as it was stored.
    const report = await resealParkingDocuments(deps());
    assert.equal(report.extraInfos, 1);
    assert.equal(t.app.runtime.pii.decrypt(await extraInfoOf(old.orderId)), plain);
  });

  it('a file that cannot be sealed is named and left; the others are sealed', async () => {
    const order = await placeOrder('13700000015');
    fs.rmSync(fileOf(order.keys[0]!));
    fs.mkdirSync(fileOf(order.keys[0]!)); // reads as EISDIR
    fs.writeFileSync(fileOf(order.keys[1]!), JPEG);
    const report = await resealParkingDocuments(deps());
    assert.equal(report.files.sealed, 1);
    assert.deepEqual(
      report.failed.map((f) => [f.orderId, f.slot, f.storageKey, /EISDIR/.test(f.error)]),
      [[order.orderId, 0, order.keys[0], true]],
    );
    assert.equal(fs.readFileSync(fileOf(order.keys[1]!)).subarray(0, 4).toString(), 'FTE1');
    fs.rmdirSync(fileOf(order.keys[0]!));
  });

  it('changes a row only while it still holds what was read', async () => {
    const order = await placeOrder('13700000016');
    const now = await extraInfoOf(order.orderId);
    assert.equal(await replaceExtraInfo(t.db.kysely, order.orderId, '[]', 'v1.other'), false);
    assert.equal(await extraInfoOf(order.orderId), now);
    assert.equal(await replaceExtraInfo(t.db.kysely, order.orderId, now, 'v1.other'), true);
    assert.equal(await extraInfoOf(order.orderId), 'v1.other');
  });
});
