import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allocateSonOrderId, sonOrderMinute } from '../../../src/modules/loan-orders/son-order-id.js';
import { rejectedDomainError } from '../../helpers/domain-errors.js';
import { openMigratedTestDatabase } from '../../helpers/test-database.js';

/** The migrated test database, typed as the helper opens it. */
type TestDb = Awaited<ReturnType<typeof openMigratedTestDatabase>>['db'];

/** 2024-06-01 10:00:00 Beijing time. */
const NOW = Date.parse('2024-06-01T10:00:00+08:00');

describe('sonOrderMinute', () => {
  it('is yyMMddHHmm of the Beijing time', () => {
    assert.equal(sonOrderMinute(NOW), '2406011000');
    assert.equal(sonOrderMinute(NOW + 59_999), '2406011000');
    assert.equal(sonOrderMinute(NOW + 60_000), '2406011001');
    // 2023-12-31 16:00 UTC is already 2024-01-01 00:00 in Beijing.
    assert.equal(sonOrderMinute(Date.parse('2023-12-31T16:00:00Z')), '2401010000');
    assert.equal(sonOrderMinute(Date.parse('2023-12-31T15:59:59Z')), '2312312359');
  });
});

describe('allocateSonOrderId', () => {
  let db: TestDb;
  let close: () => Promise<void>;
  before(async () => {
    ({ db, close } = await openMigratedTestDatabase());
  });
  after(() => close());

  it('numbers a minute’s orders 001, 002 … and starts again at 001 the next minute', async () => {
    assert.equal(await allocateSonOrderId(db.kysely, NOW), '2406011000001');
    assert.equal(await allocateSonOrderId(db.kysely, NOW + 30_000), '2406011000002');
    assert.equal(await allocateSonOrderId(db.kysely, NOW + 60_000), '2406011001001');
    assert.equal(await allocateSonOrderId(db.kysely, NOW + 59_999), '2406011000003');
  });

  it('hands out distinct numbers to concurrent callers', async () => {
    const minute = NOW + 10 * 60_000;
    const ids = await Promise.all(Array.from({ length: 20 }, () => allocateSonOrderId(db.kysely, minute)));
    assert.equal(new Set(ids).size, 20);
    assert.deepEqual(
      [...ids].sort(),
      Array.from({ length: 20 }, (_, i) => `2406011010${String(i + 1).padStart(3, '0')}`),
    );
  });

  it('answers 999 as the last number of a minute and refuses the 1000th', async () => {
    const minute = NOW + 20 * 60_000;
    await db.kysely
      .insertInto('son_order_id_sequences')
      .values({ minute: '2406011020', last: 998 })
      .execute();
    assert.equal(await allocateSonOrderId(db.kysely, minute), '2406011020999');
    const error = await rejectedDomainError(() => allocateSonOrderId(db.kysely, minute));
    assert.equal(error.code, 'rate_limited');
    assert.equal(error.message, '本分钟订单号已用完，请稍后再试');
    assert.equal(await allocateSonOrderId(db.kysely, minute + 60_000), '2406011021001');
  });
});
