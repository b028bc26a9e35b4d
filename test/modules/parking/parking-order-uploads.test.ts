import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '../../../src/core/domain-error.js';
import type { OrderPart } from '../../../src/modules/parking/parking-orders.service.js';
import { createDiskStorage, type UploadStorage } from '../../../src/platform/storage/index.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { filesUnder, JPEG, PNG, tempUploadsRoot } from '../../platform/storage/fixtures.js';
import {
  openOrderIds,
  orderParts,
  parkingOrdersWith,
  renewalFields,
  seedParkingWorld,
} from './parking-orders-fixtures.js';

const staff = { id: 1, username: 'reviewer', roles: ['admin'] as const };

/**
 * Disk storage whose first put of an order is held back until the second one has finished: the
 * order's files are flushed side by side, and settle in the reverse of their order. An order that
 * waited for each file before reading the next would never get to the second: `stuck` says so.
 */
function reversingStorage(inner: UploadStorage, secondFails?: Error): UploadStorage {
  let calls = 0;
  let secondDone!: () => void;
  const second = new Promise<void>((resolve) => {
    secondDone = resolve;
  });
  return {
    ...inner,
    async put(source, options) {
      calls += 1;
      if (calls === 1) {
        const stored = await inner.put(source, options);
        const stuck = new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error('stuck: the second file was not read before the first settled')),
            5000,
          ).unref(),
        );
        await Promise.race([second, stuck]);
        return stored;
      }
      try {
        if (secondFails) {
          for await (const _ of source as AsyncIterable<unknown>) {
            // read to its end, as a real disk failure would happen after the bytes arrived
          }
          throw secondFails;
        }
        return await inner.put(source, options);
      } finally {
        secondDone();
      }
    },
  };
}

/**
 * Parts as a multipart parser hands them over: the next part only once the last file's stream has
 * been read to its end — a stream abandoned midway never lets the next part come.
 */
async function* partsInTurn(
  fields: Record<string, string>,
  files: ReadonlyArray<{ filename: string; bytes: Buffer }>,
): AsyncGenerator<OrderPart> {
  for (const [name, value] of Object.entries(fields)) yield { kind: 'field', name, value };
  for (const file of files) {
    const chunks = Array.from({ length: Math.ceil(file.bytes.length / 65_536) }, (_, i) =>
      file.bytes.subarray(i * 65_536, (i + 1) * 65_536),
    );
    const stream = Readable.from(chunks);
    const read = new Promise((resolve) => stream.once('end', resolve));
    yield { kind: 'file', name: 'files', filename: file.filename, stream };
    await read;
  }
}

/** Storage that fails after reading the first chunk of a file, as a disk that fills up midway. */
function failingMidway(error: Error): UploadStorage {
  return {
    async put(source) {
      for await (const _ of source as AsyncIterable<unknown>) break;
      throw error;
    },
    get: async () => undefined,
    delete: async () => {},
    seal: async () => 'missing',
    keysWrittenBefore: async function* () {},
  };
}

describe('parking orders: the files of one order are flushed side by side', () => {
  let t: TestApp;
  let root: string;

  before(async () => {
    t = await startTestApp();
    root = tempUploadsRoot();
  });
  after(() => t.close());

  const ordersWith = (storage: UploadStorage) => parkingOrdersWith(t, storage);

  it('keeps each file in its own slot when the second settles first', async () => {
    const world = await seedParkingWorld(t.db.kysely, t.app.runtime.pii, t.clock.now(), {
      phone: '13700000001',
    });
    const orders = ordersWith(reversingStorage(createDiskStorage(root, t.app.runtime.pii.fileKey)));
    const view = await orders.place(
      world.openId,
      orderParts(renewalFields(world), [
        { filename: 'licence.png', bytes: PNG },
        { filename: 'car.jpg', bytes: JPEG },
      ]),
      t.clock.now(),
    );
    const detail = await orders.staff.get(staff, view.omPrOrderId);
    assert.deepEqual(
      detail.files.map((f) => [f.slot, f.name, f.content_type, f.size]),
      [
        [0, '驾驶证', 'image/png', PNG.length],
        [1, '行驶证1', 'image/jpeg', JPEG.length],
      ],
    );
    assert.equal(filesUnder(root).length, 2);
  });

  it('a disk failure on one file while another is flushing: the error goes back and neither file stays', async () => {
    const world = await seedParkingWorld(t.db.kysely, t.app.runtime.pii, t.clock.now(), {
      phone: '13700000002',
    });
    const kept = filesUnder(root);
    const diskFull = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    const orders = ordersWith(reversingStorage(createDiskStorage(root, t.app.runtime.pii.fileKey), diskFull));
    await assert.rejects(
      orders.place(
        world.openId,
        orderParts(renewalFields(world), [
          { filename: 'licence.png', bytes: PNG },
          { filename: 'car.jpg', bytes: JPEG },
        ]),
        t.clock.now(),
      ),
      diskFull,
    );
    assert.deepEqual(filesUnder(root), kept);
    assert.deepEqual(await openOrderIds(t.db.kysely, 'user_id', world.userId), []);
  });

  it('a file the storage stops reading midway ends the order with its error instead of waiting for the next part', {
    timeout: 10_000,
  }, async () => {
    const world = await seedParkingWorld(t.db.kysely, t.app.runtime.pii, t.clock.now(), {
      phone: '13700000003',
    });
    const ioError = Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
    const big = Buffer.concat([JPEG, Buffer.alloc(300_000)]);
    await assert.rejects(
      ordersWith(failingMidway(ioError)).place(
        world.openId,
        partsInTurn(renewalFields(world), [
          { filename: 'licence.jpg', bytes: big },
          { filename: 'car.jpg', bytes: big },
        ]),
        t.clock.now(),
      ),
      ioError,
    );
  });

  it('a file of a failed order that cannot be deleted is logged by its key, and the order still fails with its own error', async () => {
    const world = await seedParkingWorld(t.db.kysely, t.app.runtime.pii, t.clock.now(), {
      phone: '13700000004',
    });
    const disk = createDiskStorage(root, t.app.runtime.pii.fileKey);
    const keys: string[] = [];
    const undeletable: UploadStorage = {
      ...disk,
      async put(source, options) {
        const upload = await disk.put(source, options);
        keys.push(upload.key);
        return upload;
      },
      delete: async () => {
        throw Object.assign(new Error('EACCES: permission denied, unlink'), { code: 'EACCES' });
      },
    };
    const logged: string[] = [];
    await assert.rejects(
      parkingOrdersWith(t, undeletable, logged).place(
        world.openId,
        // A picture, then a field the order refuses: the picture was stored before the refusal.
        orderParts(renewalFields(world, { priceType: '09' }), [
          { filename: 'licence.png', bytes: PNG },
          null,
        ]),
        t.clock.now(),
      ),
      (error: DomainError) => error instanceof DomainError && error.code === 'validation',
    );
    assert.equal(keys.length, 1);
    assert.deepEqual(logged, [
      `parking upload ${keys[0]} of an order not placed was not deleted: EACCES: permission denied, unlink`,
    ]);
    assert.deepEqual(await openOrderIds(t.db.kysely, 'user_id', world.userId), []);
  });
});
