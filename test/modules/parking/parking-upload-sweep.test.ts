import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDiskStorage } from '../../../src/platform/storage/index.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { testDialect } from '../../helpers/test-database.js';
import { filesUnder, JPEG, PNG, readAll, tempUploadsRoot } from '../../platform/storage/fixtures.js';
import { orderParts, parkingOrdersWith, renewalFields, seedParkingWorld } from './parking-orders-fixtures.js';

const DAY = 86_400_000;

describe(`parking.sweep-unnamed-uploads (${testDialect()})`, () => {
  let t: TestApp;
  let root: string;

  before(async () => {
    t = await startTestApp();
    root = tempUploadsRoot();
  });
  after(() => t.close());

  it('removes files no order names once a day old, and nothing an order names, nor anything newer or not a key', async () => {
    const runtime = t.app.runtime;
    const storage = createDiskStorage(root, runtime.pii.fileKey);
    const logged: string[] = [];
    const orders = parkingOrdersWith(t, storage, logged);
    const sweep = orders.jobs.find((job) => job.name === 'parking.sweep-unnamed-uploads')!;
    const world = await seedParkingWorld(runtime.db.kysely, runtime.pii, t.clock.now());
    const order = await orders.place(
      world.openId,
      orderParts(renewalFields(world), [
        { filename: 'licence.jpg', bytes: JPEG },
        { filename: 'car.png', bytes: PNG },
      ]),
      t.clock.now(),
    );
    const named = (
      await t.db.kysely
        .selectFrom('parking_order_files')
        .select('storage_key')
        .where('order_id', '=', order.omPrOrderId)
        .execute()
    ).map((row) => row.storage_key);
    assert.equal(named.length, 2);
    // What a server that stopped before its order's commit leaves: stored, named by nothing.
    const stranded = await storage.put(JPEG, { maxBytes: 1024 * 1024 });
    const fresh = await storage.put(PNG, { maxBytes: 1024 * 1024 });
    const fileOf = (key: string) => path.join(root, key.slice(0, 2), key);
    const now = Date.now();
    const twoDaysAgo = new Date(now - 2 * DAY);
    for (const key of [...named, stranded.key]) fs.utimesSync(fileOf(key), twoDaysAgo, twoDaysAgo);
    // Not keys: a stray file in a key folder and one in a folder of another name, both old.
    const strays = [
      path.join(root, stranded.key.slice(0, 2), 'notes.txt'),
      path.join(root, '.tmp', 'a.part'),
    ];
    for (const stray of strays) {
      fs.mkdirSync(path.dirname(stray), { recursive: true });
      fs.writeFileSync(stray, 'x');
      fs.utimesSync(stray, twoDaysAgo, twoDaysAgo);
    }

    await sweep.run(now);
    const left = filesUnder(root);
    assert.deepEqual(
      left
        .filter((file) => /^[0-9a-f]{32}$/.test(path.basename(file)))
        .map((file) => path.basename(file))
        .sort(),
      [...named, fresh.key].sort(),
    );
    for (const stray of strays) assert.ok(left.includes(stray), stray);
    assert.deepEqual(logged, ['parking uploads: 1 file(s) no order names, written over a day ago, removed']);
    // The order's documents still open, under their keys.
    assert.deepEqual(await readAll((await storage.get(named[0]!))!.stream), JPEG);

    // Again: nothing more to remove, nothing more said; a day on, the fresh one goes too.
    await sweep.run(now);
    assert.equal(logged.length, 1);
    await sweep.run(now + 2 * DAY);
    assert.equal(fs.existsSync(fileOf(fresh.key)), false);
    for (const key of named) assert.ok(fs.existsSync(fileOf(key)), key);
  });

  it('finds nothing to do where nothing was ever uploaded', async () => {
    const logged: string[] = [];
    const storage = createDiskStorage(path.join(root, '..', 'never-made'), t.app.runtime.pii.fileKey);
    const sweep = parkingOrdersWith(t, storage, logged).jobs.find(
      (job) => job.name === 'parking.sweep-unnamed-uploads',
    )!;
    await sweep.run(Date.now());
    assert.deepEqual(logged, []);
  });
});
