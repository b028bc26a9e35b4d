import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addParkingUnits,
  closeOverdueOrders,
  type ParkingOrdersModule,
} from '../../../src/modules/parking/index.js';
import { reconcileRefunds } from '../../../src/modules/payments/index.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { PNG } from '../../platform/storage/fixtures.js';
import {
  cardRow,
  orderParts,
  type ParkingWorld,
  plainRenewalParts,
  renewalFields,
  seedParkingWorld,
} from './parking-orders-fixtures.js';

const staff = { id: 1, username: 'reviewer', roles: ['parking'] as const };
const MINUTE = 60_000;

describe('addParkingUnits (the Shanghai calendar)', () => {
  const at = (text: string) => Date.parse(`${text}+08:00`);
  it('adds hours, days and weeks as fixed lengths, months and years by the calendar', () => {
    const cases: Array<[string, '1' | '2' | '3' | '4' | '5', number, string]> = [
      ['2024-06-01T10:00:00', '1', 5, '2024-06-01T15:00:00'],
      ['2024-06-30T23:30:00', '2', 1, '2024-07-01T23:30:00'],
      ['2024-06-01T10:00:00', '3', 2, '2024-06-15T10:00:00'],
      ['2024-01-31T08:00:00', '4', 1, '2024-02-29T08:00:00'],
      ['2023-01-31T08:00:00', '4', 1, '2023-02-28T08:00:00'],
      ['2024-03-31T00:00:00', '4', 1, '2024-04-30T00:00:00'],
      ['2024-11-30T12:00:00', '4', 3, '2025-02-28T12:00:00'],
      ['2024-12-31T23:59:59', '4', 1, '2025-01-31T23:59:59'],
      // The Shanghai day, not the UTC one: 00:30 on the 31st is still the 30th in UTC.
      ['2024-01-31T00:30:00', '4', 1, '2024-02-29T00:30:00'],
      ['2024-02-29T09:00:00', '5', 1, '2025-02-28T09:00:00'],
      ['2024-06-01T10:00:00', '5', 2, '2026-06-01T10:00:00'],
    ];
    for (const [start, unit, count, end] of cases)
      assert.equal(addParkingUnits(at(start), unit, count), at(end), `${start} + ${count} × ${unit}`);
  });
});

describe('parking orders: late money, failed refunds, racing jobs', () => {
  let t: TestApp;
  let orders: ParkingOrdersModule;
  let world: ParkingWorld;

  before(async () => {
    t = await startTestApp();
    orders = t.app.runtime.modules.parkingOrders;
    world = await seedParkingWorld(t.db.kysely, t.app.runtime.pii, t.clock.now());
  });
  after(() => t.close());

  const order = (id: string) =>
    t.db.kysely.selectFrom('parking_orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const card = (id: string) => cardRow(t.db.kysely, id);
  const audits = (id: string, action: string) =>
    t.db.kysely
      .selectFrom('audit_log')
      .select('id')
      .where('entity_id', '=', id)
      .where('action', '=', action)
      .execute();

  async function placeFirstPurchase() {
    return orders.place(
      world.openId,
      orderParts(
        renewalFields(world, {
          omPrCardId: world.newCardId,
          pmSetrentId: world.plainProductId,
          productVId: world.plainVersionId,
        }),
        [{ filename: 'a.png', bytes: PNG }, null],
      ),
      t.clock.now(),
    );
  }

  it('money for an order that closed meanwhile is refunded in full; the order and card stay put', async () => {
    const placed = await placeFirstPurchase();
    const pay = await orders.pay(
      world.openId,
      { omPrOrderId: placed.omPrOrderId, openId: world.openId },
      t.clock.now(),
    );
    // The order closes while the payer is still on WeChat's page (as a refusal or the job would).
    await t.db.kysely
      .updateTable('parking_orders')
      .set({ state: '81' })
      .where('id', '=', placed.omPrOrderId)
      .execute();
    const sandbox = t.app.runtime.sandboxV3()!;
    assert.equal(await sandbox.settle(pay.prPayId, 'SUCCESS'), 204);
    assert.equal((await order(placed.omPrOrderId)).state, '81');
    assert.equal((await card(world.newCardId)).state, 0);
    const refund = await t.db.kysely
      .selectFrom('refunds')
      .selectAll()
      .where('reason', '=', `parking_late:${placed.omPrOrderId}`)
      .executeTakeFirstOrThrow();
    assert.equal(Number(refund.amount), 48000);
    assert.equal(refund.status, 'requested');
    assert.equal((await audits(placed.omPrOrderId, 'late_payment_refunded')).length, 1);
    // The payments reconciliation sends it to WeChat; WeChat's notify settles it.
    t.clock.advance(6 * MINUTE);
    await reconcileRefunds(t.app.runtime.payments, t.clock.now());
    assert.equal(sandbox.refundedTotal(pay.prPayId), 48000);
    assert.equal(await sandbox.settleRefund(refund.out_refund_no, 'SUCCESS'), 204);
    const settled = await t.db.kysely
      .selectFrom('refunds')
      .select('status')
      .where('out_refund_no', '=', refund.out_refund_no)
      .executeTakeFirstOrThrow();
    assert.equal(settled.status, 'succeeded');
    assert.equal((await order(placed.omPrOrderId)).state, '81');
  });

  it('a refund WeChat refuses puts the order back to paid and leaves the card', async () => {
    const placed = await placeFirstPurchase();
    const pay = await orders.pay(
      world.openId,
      { omPrOrderId: placed.omPrOrderId, openId: world.openId },
      t.clock.now(),
    );
    const sandbox = t.app.runtime.sandboxV3()!;
    assert.equal(await sandbox.settle(pay.prPayId, 'SUCCESS'), 204);
    const paid = await card(world.newCardId);
    assert.equal(paid.state, 1, 'a first purchase: 0 → 1');
    assert.equal(Number(paid.start_dt), t.clock.now());
    assert.equal(Number(paid.end_dt), addParkingUnits(t.clock.now(), '5', 1));
    const refunded = await orders.staff.refund(staff, placed.omPrOrderId, '测试', t.clock.now());
    assert.equal(refunded.state, '21');
    assert.equal(await sandbox.settleRefund(refunded.refund.out_refund_no, 'CLOSED'), 204);
    assert.equal((await order(placed.omPrOrderId)).state, '03');
    assert.equal((await audits(placed.omPrOrderId, 'refund_failed')).length, 1);
    assert.equal(Number((await card(world.newCardId)).end_dt), Number(paid.end_dt));
    // Refunded again, this time it goes through: a first purchase's card ends at the refund.
    const again = await orders.staff.refund(staff, placed.omPrOrderId, '再次退款', t.clock.now());
    assert.equal(await sandbox.settleRefund(again.refund.out_refund_no, 'SUCCESS'), 204);
    assert.equal((await order(placed.omPrOrderId)).state, '22');
    assert.equal(Number((await card(world.newCardId)).end_dt), t.clock.now());
  });

  const DAY = 86_400_000;
  let phone = 13900000300;
  /** A driver of their own whose valid card ends at `validEnd`. */
  const worldEnding = (validEnd: number) => {
    phone += 1;
    return seedParkingWorld(t.db.kysely, t.app.runtime.pii, t.clock.now(), {
      phone: String(phone),
      validEnd,
    });
  };
  /** A renewal of the world's card placed, approved and a WeChat order opened for it (not yet paid). */
  const paidRenewal = async (w: ParkingWorld) => {
    const placed = await orders.place(
      w.openId,
      orderParts(renewalFields(w), [{ filename: 'a.png', bytes: PNG }, null]),
      t.clock.now(),
    );
    await orders.staff.approve(staff, placed.omPrOrderId, t.clock.now());
    const pay = await orders.pay(
      w.openId,
      { omPrOrderId: placed.omPrOrderId, openId: w.openId },
      t.clock.now(),
    );
    return { orderId: placed.omPrOrderId, prPayId: pay.prPayId };
  };
  const refund = async (orderId: string) => {
    const requested = await orders.staff.refund(staff, orderId, '测试', t.clock.now());
    assert.equal(
      await t.app.runtime.sandboxV3()!.settleRefund(requested.refund.out_refund_no, 'SUCCESS'),
      204,
    );
    assert.equal((await order(orderId)).state, '22');
  };

  it('a refunded term is taken back as if never paid: a later order that began at its own payment keeps its term', async () => {
    // Taking the refunded month off the card's end took it from an order that had not run on from it.
    const sandbox = t.app.runtime.sandboxV3()!;
    const w = await worldEnding(t.clock.now() + DAY);
    const first = await paidRenewal(w);
    assert.equal(await sandbox.settle(first.prPayId, 'SUCCESS'), 204);
    // The card lapses; the next renewal starts when it is paid.
    t.clock.advance(40 * DAY);
    const second = await paidRenewal(w);
    assert.equal(await sandbox.settle(second.prPayId, 'SUCCESS'), 204);
    const paidEnd = Number((await card(w.cardId)).end_dt);
    assert.equal(paidEnd, addParkingUnits(t.clock.now(), '4', 1));
    await refund(first.orderId);
    const after = await card(w.cardId);
    assert.deepEqual([Number(after.end_dt), Number(after.renew_end_dt)], [paidEnd, paidEnd]);
  });

  it('a refunded term is taken back by the calendar: a month-end clamped once is not clamped again', async () => {
    // 31 Dec + 1 month = 31 Jan, + 1 month = 28 Feb; taking a month back off 28 Feb gave 28 Jan.
    const sandbox = t.app.runtime.sandboxV3()!;
    const newYearsEve = Date.parse('2024-12-31T10:00:00+08:00');
    assert.ok(newYearsEve > t.clock.now());
    const w = await worldEnding(newYearsEve);
    const december = await paidRenewal(w);
    assert.equal(await sandbox.settle(december.prPayId, 'SUCCESS'), 204);
    const january = await paidRenewal(w);
    assert.equal(await sandbox.settle(january.prPayId, 'SUCCESS'), 204);
    assert.equal(Number((await card(w.cardId)).end_dt), Date.parse('2025-02-28T10:00:00+08:00'));
    await refund(december.orderId);
    assert.equal(Number((await card(w.cardId)).end_dt), Date.parse('2025-01-31T10:00:00+08:00'));
  });

  it('two refunds of one card settling at once leave it where it was before either order was paid', async () => {
    // On PostgreSQL the two notifies run side by side; each recomputes the end under the card's lock.
    const sandbox = t.app.runtime.sandboxV3()!;
    const validEnd = t.clock.now() + 10 * DAY;
    const w = await worldEnding(validEnd);
    const first = await paidRenewal(w);
    assert.equal(await sandbox.settle(first.prPayId, 'SUCCESS'), 204);
    const second = await paidRenewal(w);
    assert.equal(await sandbox.settle(second.prPayId, 'SUCCESS'), 204);
    assert.equal(Number((await card(w.cardId)).end_dt), addParkingUnits(validEnd, '4', 2));
    const asked = [];
    for (const { orderId } of [first, second])
      asked.push((await orders.staff.refund(staff, orderId, '测试', t.clock.now())).refund.out_refund_no);
    assert.deepEqual(await Promise.all(asked.map((no) => sandbox.settleRefund(no, 'SUCCESS'))), [204, 204]);
    assert.deepEqual([(await order(first.orderId)).state, (await order(second.orderId)).state], ['22', '22']);
    const after = await card(w.cardId);
    assert.deepEqual([Number(after.end_dt), Number(after.renew_end_dt)], [validEnd, validEnd]);
  });

  it('a refund and a later renewal paid come to the same end in either order, by the calendar', async () => {
    // Found by a review racing them: the refund took its month off in milliseconds, so a June
    // bought and refunded after July was paid left a day that refunding first did not.
    const sandbox = t.app.runtime.sandboxV3()!;
    const validEnd = t.clock.now() + 10 * DAY; // 11 June, Shanghai: June has 30 days, July 31
    // A product of one month, and one of three: an order buys unit_count × count units.
    for (const months of [1, 3]) {
      const ends: Record<string, number> = {};
      for (const refundFirst of [false, true]) {
        const w = await worldEnding(validEnd);
        await t.db.kysely
          .updateTable('parking_products')
          .set({ unit_count: months })
          .where('id', '=', w.productId)
          .execute();
        const june = await paidRenewal(w);
        assert.equal(await sandbox.settle(june.prPayId, 'SUCCESS'), 204);
        assert.equal(Number((await card(w.cardId)).end_dt), addParkingUnits(validEnd, '4', months));
        const july = await paidRenewal(w);
        if (refundFirst) {
          await refund(june.orderId);
          const open = await card(w.cardId);
          assert.deepEqual(
            [open.state, Number(open.end_dt), Number(open.renew_end_dt)],
            [2, validEnd, addParkingUnits(validEnd, '4', months)],
            'the renewal still open shows the end it now leads to',
          );
          assert.equal(await sandbox.settle(july.prPayId, 'SUCCESS'), 204);
        } else {
          assert.equal(await sandbox.settle(july.prPayId, 'SUCCESS'), 204);
          await refund(june.orderId);
        }
        const after = await card(w.cardId);
        ends[refundFirst ? 'refund first' : 'pay first'] = Number(after.end_dt);
        assert.equal(Number(after.renew_end_dt), Number(after.end_dt));
      }
      // What one order of the product buys from 11 June, whichever came first.
      assert.deepEqual(
        ends,
        {
          'pay first': addParkingUnits(validEnd, '4', months),
          'refund first': addParkingUnits(validEnd, '4', months),
        },
        `${months} month(s)`,
      );
    }
  });

  it('two servers running the timeout job at once close an overdue renewal once', async () => {
    const placed = await orders.place(world.openId, plainRenewalParts(world, PNG), t.clock.now());
    assert.equal((await card(world.cardId)).state, 2);
    await orders.pay(world.openId, { omPrOrderId: placed.omPrOrderId, openId: world.openId }, t.clock.now());
    t.clock.advance(301_000);
    const deps = { db: t.db.kysely, payments: t.app.runtime.payments } as Parameters<
      typeof closeOverdueOrders
    >[0];
    const results = await Promise.all([
      closeOverdueOrders(deps, t.clock.now()),
      closeOverdueOrders(deps, t.clock.now()),
    ]);
    assert.equal(results[0]! + results[1]!, 1);
    assert.equal((await order(placed.omPrOrderId)).state, '81');
    assert.equal((await audits(placed.omPrOrderId, 'timed_out')).length, 1);
    const reopened = await card(world.cardId);
    assert.equal(reopened.state, 1);
    assert.equal(reopened.renew_end_dt, null);
  });
});
