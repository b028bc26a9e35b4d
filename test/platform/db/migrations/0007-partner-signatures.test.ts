import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { type Db, openDatabase } from '../../../../src/database.js';
import { MIGRATIONS } from '../../../../src/migrations.js';
import { rememberSignature } from '../../../../src/modules/partner/index.js';
import * as m0007 from '../../../../src/modules/partner/migrations/0007-partner-signatures.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/test-database.js';

const DAY = 86_400_000;
const SEEN_AT = Date.parse('2024-06-01T02:00:00Z');

describe('migration 0007: partner signatures kept as digests by day', () => {
  let database: TestDatabase;
  let db: Db;
  before(async () => {
    database = await createTestDatabase();
    db = openDatabase(database.url);
    // The schema as it stood just before step 0007: every part of the steps before it.
    for (const { name, parts } of MIGRATIONS) {
      if (name >= '0007') break;
      for (const part of parts) await part.up(db.kysely as Kysely<unknown>, db.dialect);
    }
  });
  after(async () => {
    await db.close();
    await database.drop();
  });

  it('carries every signature the old table remembered over, more than one page of them', async () => {
    const old = db.kysely as unknown as Kysely<{
      partner_seen_signs: { ua: string; sign: string; seen_at: number };
    }>;
    const rows = Array.from({ length: 2500 }, (_, i) => ({
      ua: `UA${i % 3}`,
      sign: i.toString(16).padStart(32, '0'),
      seen_at: SEEN_AT + (i % 2) * DAY,
    }));
    await old.insertInto('partner_seen_signs').values(rows).execute();

    await m0007.up(db.kysely as Kysely<unknown>, db.dialect);

    const days = await db.kysely
      .selectFrom('partner_signatures')
      .select(['seen_day', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('seen_day')
      .orderBy('seen_day')
      .execute();
    const firstDay = Math.floor(SEEN_AT / DAY);
    assert.deepEqual(
      days.map((d) => [d.seen_day, Number(d.n)]),
      [
        [firstDay, 1250],
        [firstDay + 1, 1250],
      ],
    );
    for (const i of [0, 1234, 2499]) {
      const { ua, sign } = rows[i]!;
      assert.equal(await rememberSignature(db.kysely, ua, sign, SEEN_AT), false, `${ua} ${sign}`);
    }
    await assert.rejects(old.selectFrom('partner_seen_signs').selectAll().execute(), 'the old table is gone');
  });
});
