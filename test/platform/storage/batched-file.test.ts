import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BatchedFile } from '../../../src/platform/storage/batched-file.js';

function tempFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-batched-')), 'file');
}

const chunksOf = (count: number, size: number) =>
  Array.from({ length: count }, (_, i) => Buffer.alloc(size, 65 + (i % 26)));

describe('BatchedFile', () => {
  it('lands every byte in order, in batches or all at the end, and only a new file (0600)', async () => {
    for (const batchBytes of [1, 100, 1000, 1 << 20]) {
      const file = tempFile();
      const out = new BatchedFile(file, batchBytes);
      const chunks = chunksOf(37, 61);
      for (const chunk of chunks) await out.write(chunk);
      await out.end();
      assert.deepEqual(fs.readFileSync(file), Buffer.concat(chunks), `batches of ${batchBytes}`);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      // A second writer for the same name finds it taken rather than writing over it.
      const twin = new BatchedFile(file, batchBytes);
      await assert.rejects(
        (async () => {
          await twin.write(Buffer.from('x'));
          await twin.end();
        })(),
        { code: 'EEXIST' },
      );
      await twin.discard();
      assert.deepEqual(fs.readFileSync(file), Buffer.concat(chunks));
    }
  });

  it('keeps the order of writes asked for back to back without waiting for each', async () => {
    for (let round = 0; round < 20; round++) {
      const file = tempFile();
      const out = new BatchedFile(file, 4);
      // Each chunk a whole batch, each write after a microtask: every batch is sent while the
      // file is still opening, and all of them are due the moment it is open.
      const chunks = Array.from({ length: 40 }, (_, i) => Buffer.from(String(i).padStart(4, '0')));
      const writes: Array<Promise<void>> = [];
      for (const chunk of chunks) {
        writes.push(out.write(chunk));
        await null;
      }
      await Promise.all(writes);
      await out.end();
      assert.equal(fs.readFileSync(file, 'utf8'), chunks.join(''), `round ${round}`);
    }
  });

  it('discards what it wrote, and a file never written is never created', async () => {
    const file = tempFile();
    const out = new BatchedFile(file, 10);
    for (const chunk of chunksOf(5, 7)) await out.write(chunk);
    await out.discard();
    assert.equal(fs.existsSync(file), false);
    const unused = tempFile();
    await new BatchedFile(unused, 10).discard();
    await assert.rejects(new BatchedFile(unused, 10).end(), /ended before any byte/);
    assert.equal(fs.existsSync(unused), false);
  });

  it('throws a failed open at the next write, not after the whole file', async () => {
    const file = path.join(tempFile(), 'no such folder', 'file');
    const out = new BatchedFile(file, 1 << 20);
    await out.write(Buffer.from('first'));
    // The open runs in the thread pool: a later byte, held meanwhile, is refused once it has failed.
    const refused = async () => {
      for (let i = 0; i < 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        await out.write(Buffer.from('more'));
      }
    };
    await assert.rejects(refused(), { code: 'ENOENT' });
    await out.discard();
  });
});
