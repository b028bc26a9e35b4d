import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { closeOverdueOrders } from '../../../src/modules/parking/index.js';
import { body, startTestApp, type TestApp } from '../../helpers/test-app.js';
import { testDialect } from '../../helpers/test-database.js';
import { PNG } from '../../platform/storage/fixtures.js';
import { orderParts, type ParkingWorld, renewalFields, seedParkingWorld } from './parking-orders-fixtures.js';

/**
 * Two transactions that take the same rows in opposite orders, which PostgreSQL breaks by failing
 * one (40P01). A trigger that sleeps on each row written widens the window so the deadlock comes
 * every time; it changes only the timing. Found by a review racing the money paths: the plates
 * answered 500, the timeout job gave up its run.
 */
describe('parking: deadlocks PostgreSQL breaks are started over, never a 500', {
  skip: testDialect() !== 'postgres' && 'needs TEST_DATABASE_URL (SQLite runs one transaction at a time)',
}, () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await sql`create function slow_row() returns trigger language plpgsql as $$ begin perform pg_sleep(0.3); return new; end $$`.execute(
      t.db.kysely,
    );
  });
  after(() => t.close());

  async function slowly<T>(trigger: string, run: () => Promise<T>): Promise<T> {
    await sql.raw(trigger).execute(t.db.kysely);
    try {
      return await run();
    } finally {
      await sql`drop trigger slow on ${sql.raw(trigger.split(' on ')[1]!.split(' ')[0]!)}`.execute(
        t.db.kysely,
      );
    }
  }

  it('two users adding the same two plates in opposite order: one holds both, the other is told so', async () => {
    // One after the other: they share the park the first one makes.
    const worlds: ParkingWorld[] = [];
    const tokens: string[] = [];
    for (const phone of ['13900000201', '13900000202']) {
      const w = await seedParkingWorld(t.db.kysely, t.app.runtime.pii, t.clock.now(), { phone });
      worlds.push(w);
      tokens.push((await t.app.runtime.modules.parking.sessions.open(w.openId, t.clock.now())).token);
    }
    const add = (i: number, plates: string) =>
      t.app.inject({
        method: 'POST',
        url: '/parking/api/car-nums/add',
        headers: { authorization: `Bearer ${tokens[i]!}` },
        payload: { addCarNums: plates, userInfoId: worlds[i]!.userId },
      });
    const answers = await slowly(
      'create trigger slow before insert on parking_plates for each row execute function slow_row()',
      () => Promise.all([add(0, '京N30001,京N30002'), add(1, '京N30002,京N30001')]),
    );
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [200, 200],
    );
    const bodies = answers.map((a) => body(a));
    const won = bodies.find((b) => b.isSuccess === '0');
    const lost = bodies.find((b) => b !== won);
    assert.deepEqual([won!.isSuccess, won!.msg, lost!.isSuccess], ['0', '提交成功', '1']);
    // The loser names both plates, in the order it sent them.
    assert.match(lost!.msg, /^车牌号(京N30001，京N30002|京N30002，京N30001)已被其他用户绑定$/);
    const owners = await t.db.kysely
      .selectFrom('parking_plates')
      .select(['car_num', 'user_id'])
      .where('car_num', 'in', ['京N30001', '京N30002'])
      .execute();
    assert.equal(owners.length, 2);
    assert.equal(new Set(owners.map((o) => o.user_id)).size, 1, 'both plates with one user');
  });

  it('the timeout job closing a first purchase while its driver places another: both done, one open order', async () => {
    const w = await seedParkingWorld(t.db.kysely, t.app.runtime.pii, t.clock.now(), { phone: '13900000203' });
    const orders = t.app.runtime.modules.parkingOrders;
    const fields = () =>
      renewalFields(w, {
        omPrCardId: w.newCardId,
        pmSetrentId: w.plainProductId,
        productVId: w.plainVersionId,
      });
    const first = await orders.place(
      w.openId,
      orderParts(fields(), [{ filename: 'a.png', bytes: PNG }, null]),
      t.clock.now(),
    );
    const lapsed = t.clock.now() + 300_000;
    // The placement first, slow to write its order, so the job is the one that waits and is failed.
    const [closed, placed] = await slowly(
      'create trigger slow before insert on parking_orders for each row execute function slow_row()',
      async () => {
        const place = orders
          .place(w.openId, orderParts(fields(), [{ filename: 'a.png', bytes: PNG }, null]), lapsed)
          .then(
            (order) => order.omPrOrderId,
            (error: Error) => error.message,
          );
        await new Promise((resolve) => setTimeout(resolve, 150));
        const job = closeOverdueOrders(
          { db: t.db.kysely, payments: t.app.runtime.payments } as never,
          lapsed,
        );
        return Promise.all([job, place]);
      },
    );
    assert.equal(closed, 1, 'the job closed the lapsed order in this run');
    const rows = await t.db.kysely
      .selectFrom('parking_orders')
      .select(['id', 'state'])
      .where('card_id', '=', w.newCardId)
      .orderBy('created_at')
      .execute();
    assert.equal(rows.find((r) => r.id === first.omPrOrderId)?.state, '81');
    // The placement went after the close (a new open order), or was refused as it found the card
    // then: its old order still open, or the card changed under it. The driver places it again.
    const open = rows.filter((r) => r.state === '01');
    assert.ok(open.length <= 1);
    if (open.length) assert.equal(open[0]!.id, placed);
    else assert.match(placed, /^(存在未完成的订单|卡信息已变更，请刷新后重新下单)$/);
  });
});
