import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../../src/database.js';

describe('SQLite durability setting', () => {
  it('opens with synchronous FULL (2) when asked and NORMAL (1) by default', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-sync-'));
    try {
      for (const [synchronous, expected] of [
        ['full', 2],
        [undefined, 1],
      ] as const) {
        const db = openDatabase(`sqlite:${path.join(dir, 'sync.db')}`, synchronous ? { synchronous } : {});
        const rows = (await sql<{ synchronous: number }>`pragma synchronous`.execute(db.kysely)).rows;
        await db.close();
        assert.deepEqual(rows, [{ synchronous: expected }]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
