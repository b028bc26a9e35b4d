import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../../../src/database.js';
import { forgetOldSignatures, rememberSignature } from '../../../src/modules/partner/index.js';
import { openMigratedTestDatabase } from '../../helpers/test-database.js';

const DAY = 86_400_000;
const WINDOW = 30 * DAY;
/** 2024-07-10 15:30 UTC: the window reaches back to 2024-06-10 15:30 UTC. */
const NOW = Date.parse('2024-07-10T15:30:00Z');
const CUTOFF = NOW - WINDOW;
const CUTOFF_DAY_START = Date.parse('2024-06-10T00:00:00Z');

describe('remembered partner signatures', () => {
  let db: Db;
  let close: () => Promise<void>;
  before(async () => {
    ({ db, close } = await openMigratedTestDatabase());
  });
  after(() => close());

  it('are one row each: a (ua, sign) is taken once, the same sign of another ua is its own', async () => {
    const sign = 'a'.repeat(32);
    assert.equal(await rememberSignature(db.kysely, 'UA1', sign, NOW), true);
    assert.equal(await rememberSignature(db.kysely, 'UA1', sign, NOW + DAY), false);
    assert.equal(await rememberSignature(db.kysely, 'UA2', sign, NOW), true);
    const rows = await db.kysely.selectFrom('partner_signatures').selectAll().execute();
    assert.equal(rows.length, 2);
    for (const row of rows) {
      assert.equal(row.digest.length, 16, 'a fixed 16 bytes, not the strings');
      assert.equal(row.seen_day, Math.floor(NOW / DAY));
    }
    await db.kysely.deleteFrom('partner_signatures').execute();
  });

  it('are purged by whole days: only days that ended before the window began go', async () => {
    const seen = {
      longAgo: NOW - 90 * DAY,
      lastMomentOfTheDayBefore: CUTOFF_DAY_START - 1,
      startOfTheCutoffDay: CUTOFF_DAY_START,
      atTheCutoff: CUTOFF,
      yesterday: NOW - DAY,
      now: NOW,
    };
    for (const [name, at] of Object.entries(seen)) {
      assert.equal(await rememberSignature(db.kysely, 'UA', name, at), true);
    }
    await forgetOldSignatures(db.kysely, NOW, WINDOW);
    const remembered: string[] = [];
    for (const name of Object.keys(seen)) {
      // Taken again means it had been forgotten.
      if (!(await rememberSignature(db.kysely, 'UA', name, NOW))) remembered.push(name);
    }
    assert.deepEqual(remembered, ['startOfTheCutoffDay', 'atTheCutoff', 'yesterday', 'now']);
  });
});
