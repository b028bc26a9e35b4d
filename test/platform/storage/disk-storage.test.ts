import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../src/config.js';
import {
  createDiskStorage,
  detectFileKind,
  UploadRefusedError,
} from '../../../src/platform/storage/index.js';
import { FILE_KEY, filesUnder, JPEG, PDF, PNG, readAll, tempUploadsRoot } from './fixtures.js';

describe('detectFileKind', () => {
  it('tells JPEG, PNG and PDF by their first bytes and nothing else', () => {
    assert.equal(detectFileKind(JPEG), 'jpeg');
    assert.equal(detectFileKind(PNG), 'png');
    assert.equal(detectFileKind(PDF), 'pdf');
    assert.equal(detectFileKind(Buffer.from('hello, this is text named .jpg')), undefined);
    assert.equal(detectFileKind(Buffer.from([0xff, 0xd8])), undefined);
    assert.equal(detectFileKind(PNG, ['jpeg', 'pdf']), undefined);
  });
});

describe('disk storage', () => {
  it('keeps a file under a random 32-hex key, with the kind its bytes show, and gives it back', async () => {
    const root = tempUploadsRoot();
    const storage = createDiskStorage(root, FILE_KEY);
    const stored = await storage.put(PNG, { maxBytes: 1024 });
    assert.match(stored.key, /^[0-9a-f]{32}$/);
    assert.deepEqual(
      { kind: stored.kind, contentType: stored.contentType, size: stored.size },
      { kind: 'png', contentType: 'image/png', size: PNG.length },
    );
    const found = await storage.get(stored.key);
    assert.ok(found);
    assert.equal(found.size, PNG.length);
    assert.deepEqual(await readAll(found.stream), PNG);
    // The file on disk is named by the key, never by anything the client sent.
    assert.deepEqual(
      filesUnder(root).map((file) => path.basename(file)),
      [stored.key],
    );
  });

  it('streams: a PDF arriving in small chunks is recognised across them', async () => {
    const storage = createDiskStorage(tempUploadsRoot(), FILE_KEY);
    const chunks = [...PDF].map((byte) => Buffer.from([byte]));
    const stored = await storage.put(Readable.from(chunks), { maxBytes: 1024 });
    assert.equal(stored.kind, 'pdf');
    assert.equal(stored.size, PDF.length);
    assert.deepEqual(await readAll((await storage.get(stored.key))!.stream), PDF);
  });

  it('keeps a file longer than one write batch whole, every 64 KB chunk in its place', async () => {
    const root = tempUploadsRoot();
    const storage = createDiskStorage(root, FILE_KEY);
    const size = 4 * 1024 * 1024 + 700_000;
    const big = Buffer.alloc(size);
    for (let i = 0; i < size; i += 4) big.writeUInt32BE(i, i);
    JPEG.subarray(0, 12).copy(big);
    const chunks = Array.from({ length: Math.ceil(size / 65536) }, (_, i) =>
      big.subarray(i * 65536, (i + 1) * 65536),
    );
    const stored = await storage.put(Readable.from(chunks), { maxBytes: 5 * 1024 * 1024 });
    assert.equal(stored.size, size);
    assert.deepEqual(await readAll((await storage.get(stored.key))!.stream), big);
    assert.deepEqual(
      filesUnder(root).map((file) => path.basename(file)),
      [stored.key],
    );
  });

  it('judges by content: two keys for the same JPEG, and each kind allowed list holds', async () => {
    const storage = createDiskStorage(tempUploadsRoot(), FILE_KEY);
    const a = await storage.put(JPEG, { maxBytes: 1024 });
    const b = await storage.put(JPEG, { maxBytes: 1024 });
    assert.notEqual(a.key, b.key);
    await assert.rejects(storage.put(PDF, { maxBytes: 1024, allowed: ['jpeg', 'png'] }), {
      name: 'UploadRefusedError',
      reason: 'bad_type',
    });
  });

  it('refuses text pretending to be a picture and keeps nothing of it', async () => {
    const root = tempUploadsRoot();
    const storage = createDiskStorage(root, FILE_KEY);
    const lie = Buffer.from('GIF? no: just a text file somebody named photo.jpg\n'.repeat(100));
    await assert.rejects(storage.put(Readable.from([lie]), { maxBytes: 1024 * 1024 }), (error) => {
      assert.ok(error instanceof UploadRefusedError);
      assert.equal(error.reason, 'bad_type');
      assert.equal(error.message, '文件类型不支持，只接受JPEG、PNG或PDF');
      return true;
    });
    assert.deepEqual(filesUnder(root), []);
  });

  it('refuses a file over the limit, reading the rest of the stream and keeping nothing', async () => {
    const root = tempUploadsRoot();
    const storage = createDiskStorage(root, FILE_KEY);
    const big = Buffer.concat([JPEG.subarray(0, 12), Buffer.alloc(6 * 1024 * 1024, 1)]);
    const source = Readable.from(
      Array.from({ length: Math.ceil(big.length / 65536) }, (_, i) =>
        big.subarray(i * 65536, (i + 1) * 65536),
      ),
    );
    await assert.rejects(storage.put(source, { maxBytes: 5 * 1024 * 1024 }), {
      reason: 'too_large',
      message: '文件超过5MB',
    });
    assert.equal(source.readableEnded, true, 'the source was drained, not left hanging');
    assert.deepEqual(filesUnder(root), []);
    // A file of exactly the limit is taken.
    const exact = Buffer.concat([PNG, Buffer.alloc(1024 - PNG.length)]);
    assert.equal((await storage.put(exact, { maxBytes: 1024 })).size, 1024);
  });

  it('refuses an empty file', async () => {
    const root = tempUploadsRoot();
    const storage = createDiskStorage(root, FILE_KEY);
    await assert.rejects(storage.put(Buffer.alloc(0), { maxBytes: 1024 }), { reason: 'empty' });
    assert.deepEqual(filesUnder(root), []);
  });

  it('leaves nothing when the source breaks half-way', async () => {
    const root = tempUploadsRoot();
    const storage = createDiskStorage(root, FILE_KEY);
    async function* broken() {
      yield PNG;
      yield Buffer.alloc(1000);
      throw new Error('connection reset');
    }
    await assert.rejects(storage.put(Readable.from(broken()), { maxBytes: 1024 * 1024 }), /connection reset/);
    assert.deepEqual(filesUnder(root), []);
  });

  it('tries a folder again on the next file after it could not be made', async () => {
    const root = tempUploadsRoot();
    // A file where the storage's folder goes: no key folder can be made under it.
    fs.mkdirSync(path.dirname(root), { recursive: true });
    fs.writeFileSync(root, 'in the way');
    const storage = createDiskStorage(root, FILE_KEY);
    await assert.rejects(storage.put(PNG, { maxBytes: 1024 * 1024 }), { code: 'ENOTDIR' });
    fs.rmSync(root);
    const stored = await storage.put(PNG, { maxBytes: 1024 * 1024 });
    assert.equal(stored.kind, 'png');
    assert.deepEqual(await readAll((await storage.get(stored.key))!.stream), PNG);
    assert.equal(fs.statSync(root).mode & 0o777, 0o700);
    assert.equal(fs.statSync(path.join(root, stored.key.slice(0, 2))).mode & 0o777, 0o700);
  });

  it('seals every file at rest: nothing of its content on disk, and it opens only with its key, under its name', async () => {
    // Found in a security review: the licences and ID cards drivers upload were kept as sent.
    const root = tempUploadsRoot();
    const storage = createDiskStorage(root, FILE_KEY);
    const big = Buffer.concat([JPEG.subarray(0, 12), Buffer.alloc(200_000, 'personal data ')]);
    const stored = await storage.put(big, { maxBytes: 1024 * 1024 });
    const file = path.join(root, stored.key.slice(0, 2), stored.key);
    const onDisk = fs.readFileSync(file);
    assert.equal(onDisk.subarray(0, 4).toString(), 'FTE1');
    assert.equal(onDisk.length, big.length + 4 + 12 + 16);
    assert.equal(onDisk.indexOf('personal data'), -1);
    assert.equal(onDisk.indexOf(JPEG.subarray(0, 12)), -1);
    const found = await storage.get(stored.key);
    assert.equal(found?.size, big.length);
    assert.deepEqual(await readAll(found!.stream), big);
    // Two uploads of the same bytes are sealed apart (a fresh IV each).
    const again = await storage.put(big, { maxBytes: 1024 * 1024 });
    const twin = fs.readFileSync(path.join(root, again.key.slice(0, 2), again.key));
    assert.notDeepEqual(twin.subarray(16, 64), onDisk.subarray(16, 64));
    // Another key, a byte changed, or the file moved under another name: it does not open, and
    // nothing of it is handed out (a stream that failed only at its end would have been sent).
    const doesNotOpen = /does not open/;
    await assert.rejects(createDiskStorage(root, Buffer.alloc(32, 8)).get(stored.key), doesNotOpen);
    fs.copyFileSync(file, path.join(root, again.key.slice(0, 2), again.key));
    await assert.rejects(storage.get(again.key), doesNotOpen);
    onDisk[onDisk.length - 40] = onDisk[onDisk.length - 40]! ^ 1;
    fs.writeFileSync(file, onDisk);
    await assert.rejects(storage.get(stored.key), doesNotOpen);
    fs.writeFileSync(file, onDisk.subarray(0, 20));
    await assert.rejects(storage.get(stored.key), /cut short/);
  });

  it('reads back a file kept before sealing as it was written', async () => {
    const root = tempUploadsRoot();
    const storage = createDiskStorage(root, FILE_KEY);
    const key = 'ab'.repeat(16);
    fs.mkdirSync(path.join(root, 'ab'), { recursive: true });
    fs.writeFileSync(path.join(root, 'ab', key), PDF);
    const found = await storage.get(key);
    assert.equal(found?.size, PDF.length);
    assert.deepEqual(await readAll(found!.stream), PDF);
  });

  it('seals in place a file kept before sealing, once; a missing or malformed key is reported missing', async () => {
    const root = tempUploadsRoot();
    const storage = createDiskStorage(root, FILE_KEY);
    const key = 'cd'.repeat(16);
    const file = path.join(root, 'cd', key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, PDF);
    assert.equal(await storage.seal(key), 'sealed');
    const onDisk = fs.readFileSync(file);
    assert.equal(onDisk.subarray(0, 4).toString(), 'FTE1');
    assert.equal(onDisk.indexOf(PDF.subarray(0, 8)), -1);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(await readAll((await storage.get(key))!.stream), PDF);
    // Sealed under its own name: moved under another key it does not open.
    await assert.rejects(createDiskStorage(root, Buffer.alloc(32, 8)).get(key), /does not open/);
    assert.equal(await storage.seal(key), 'already');
    assert.deepEqual(fs.readFileSync(file), onDisk);
    const put = await storage.put(PNG, { maxBytes: 1024 });
    assert.equal(await storage.seal(put.key), 'already');
    assert.equal(await storage.seal('ef'.repeat(16)), 'missing');
    assert.equal(await storage.seal('../../etc/passwd'), 'missing');
    // Nothing left aside beside it (the put's random key may share its folder).
    assert.deepEqual(
      fs.readdirSync(path.dirname(file)).filter((name) => name.endsWith('.part')),
      [],
    );
  });

  it('a file sealed in place keeps its owner, whoever seals it', {
    skip: process.getuid?.() !== 0 && 'needs root, to give a file to another user',
  }, async () => {
    const root = tempUploadsRoot();
    const key = 'de'.repeat(16);
    const file = path.join(root, 'de', key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, PNG, { mode: 0o600 });
    fs.chownSync(file, 65534, 65534);
    assert.equal(await createDiskStorage(root, FILE_KEY).seal(key), 'sealed');
    const after = fs.statSync(file);
    assert.deepEqual([after.uid, after.gid, after.mode & 0o777], [65534, 65534, 0o600]);
  });

  it('deletes, and a deleted or malformed key is simply absent', async () => {
    const root = tempUploadsRoot();
    const storage = createDiskStorage(root, FILE_KEY);
    const stored = await storage.put(PNG, { maxBytes: 1024 });
    await storage.delete(stored.key);
    await storage.delete(stored.key);
    assert.equal(await storage.get(stored.key), undefined);
    assert.equal(await storage.get('../../etc/passwd'), undefined);
    await storage.delete('../../etc/passwd');
    assert.deepEqual(filesUnder(root), []);
  });
});

describe('upload settings', () => {
  it('default to 5 MB and 6 files under FANGTONG_DATA_DIR/uploads, and can be changed', () => {
    const defaults = loadConfig({ FANGTONG_DATA_DIR: '/srv/fangtong' });
    assert.deepEqual(defaults.uploads, {
      dir: '/srv/fangtong/uploads',
      maxBytes: 5 * 1024 * 1024,
      maxFiles: 6,
    });
    const changed = loadConfig({ PARKING_UPLOAD_MAX_BYTES: '1048576', PARKING_UPLOAD_MAX_FILES: '3' });
    assert.equal(changed.uploads.maxBytes, 1048576);
    assert.equal(changed.uploads.maxFiles, 3);
    assert.throws(() => loadConfig({ PARKING_UPLOAD_MAX_FILES: 'many' }), /PARKING_UPLOAD_MAX_FILES/);
  });
});
