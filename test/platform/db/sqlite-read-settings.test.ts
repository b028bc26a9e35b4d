import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../../src/database.js';

describe('SQLite read settings', () => {
  it('opens a file with 64 MiB of page cache and up to 1 GiB of it memory-mapped', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-read-'));
    const db = openDatabase(`sqlite:${path.join(dir, 'read.db')}`);
    try {
      const cache = (await sql<{ cache_size: number }>`pragma cache_size`.execute(db.kysely)).rows;
      const mmap = (await sql<{ mmap_size: number }>`pragma mmap_size`.execute(db.kysely)).rows;
      assert.deepEqual(cache, [{ cache_size: -65536 }]);
      assert.deepEqual(mmap, [{ mmap_size: 1024 ** 3 }]);
    } finally {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
