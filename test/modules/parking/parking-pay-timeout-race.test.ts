import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { closeOverdueOrders, type ParkingOrdersModule } from '../../../src/modules/parking/index.js';
import type { V3Gateway } from '../../../src/platform/wechat-pay/v3-gateway.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { testDialect } from '../../helpers/test-database.js';
import { PNG } from '../../platform/storage/fixtures.js';
import { type ParkingWorld, plainRenewalParts, seedParkingWorld } from './parking-orders-fixtures.js';

const PAY_PERIOD_MS = 300_000;

/** A promise and the function that settles it: the tests' hand on who goes first. */
function latch(): { done: Promise<void>; open: () => void } {
  let open!: () => void;
  const done = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { done, open };
}

/**
 * The timeout job against a pay of the same order at the last moment: the payer must never be
 * handed a WeChat order for an order the job closed (nor the job close a payment here alone that
 * WeChat can still take money for). Found by a review that raced them on PostgreSQL: the job
 * decided on the payment it had read before taking the order's lock.
 */
describe('parking: the timeout job racing a pay of the same order', () => {
  let t: TestApp;
  let orders: ParkingOrdersModule;
  let phone = 13900000100;

  before(async () => {
    t = await startTestApp();
    orders = t.app.runtime.modules.parkingOrders;
  });
  after(() => t.close());

  const db = () => t.db.kysely;
  const sandbox = () => t.app.runtime.sandboxV3()!;
  const jobDeps = () =>
    ({ db: t.db.kysely, payments: t.app.runtime.payments }) as Parameters<typeof closeOverdueOrders>[0];
  const order = (id: string) =>
    db().selectFrom('parking_orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const paymentsOf = (id: string) =>
    db().selectFrom('payments').selectAll().where('subject_id', '=', id).orderBy('id').execute();
  const atWechat = (outTradeNo: string) =>
    sandbox()
      .listOrders()
      .find((o) => o.outTradeNo === outTradeNo)?.state;

  /** A renewal placed now, with the clock then 1 ms before its pay period ends. */
  async function renewalAboutToLapse(): Promise<{ world: ParkingWorld; orderId: string; lapsesAt: number }> {
    phone += 1;
    const world = await seedParkingWorld(db(), t.app.runtime.pii, t.clock.now(), { phone: String(phone) });
    const placed = await orders.place(world.openId, plainRenewalParts(world, PNG), t.clock.now());
    const lapsesAt = t.clock.now() + PAY_PERIOD_MS;
    t.clock.advance(PAY_PERIOD_MS - 1);
    return { world, orderId: placed.omPrOrderId, lapsesAt };
  }

  /** Holds the order's row in a transaction of its own until `release` opens; `ended` when it has. */
  async function holdOrder(orderId: string, release: Promise<void>): Promise<{ ended: Promise<void> }> {
    const held = latch();
    const holder = db()
      .transaction()
      .execute(async (trx) => {
        await trx.selectFrom('parking_orders').select('id').where('id', '=', orderId).forUpdate().execute();
        held.open();
        await release;
      });
    await held.done;
    // Wrapped: an async function returning the promise itself would wait for it.
    return { ended: holder };
  }

  /**
   * Until `count` statements of this database wait on a lock. On PostgreSQL they are watched
   * (a fixed sleep let a stalled pay reach the order's lock after the job); on SQLite the one
   * connection queues them in the order they were called, and what comes before the first
   * statement is work on this thread, done before any timer fires.
   */
  async function waitingOnLocks(count: number): Promise<void> {
    if (testDialect() !== 'postgres') {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return;
    }
    for (const deadline = Date.now() + 15_000; ; ) {
      const { rows } = await sql<{ waiting: string }>`
        select count(*) as waiting from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`.execute(db());
      if (Number(rows[0]!.waiting) >= count) return;
      if (Date.now() > deadline) throw new Error(`fewer than ${count} statements wait on a lock`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Nothing WeChat could still be paid for hangs off a closed order or a closed payment. */
  async function assertNothingPayableIsHidden(orderId: string) {
    const state = (await order(orderId)).state;
    for (const payment of await paymentsOf(orderId)) {
      const wechat = atWechat(payment.out_trade_no);
      if (wechat !== 'NOTPAY') continue;
      assert.equal(payment.status, 'created', `payment ${payment.out_trade_no} is payable at WeChat`);
      assert.equal(state, '01', `order ${orderId} is ${state} with a payable WeChat order`);
    }
  }

  it('a pay that opened its payment while the job looked keeps the order open; the payer pays it', async () => {
    const { world, orderId, lapsesAt } = await renewalAboutToLapse();
    // The pay queues on the order's lock; the job, seeing no payment yet, queues behind it.
    const release = latch();
    const holder = await holdOrder(orderId, release.done);
    const paying = orders.pay(world.openId, { omPrOrderId: orderId, openId: world.openId }, t.clock.now());
    await waitingOnLocks(1);
    const job = closeOverdueOrders(jobDeps(), lapsesAt);
    await waitingOnLocks(2);
    release.open();
    await holder.ended;
    const [paid, closed] = await Promise.all([paying, job]);
    assert.equal(closed, 0, 'the job leaves an order whose payment a payer holds');
    assert.equal((await order(orderId)).state, '01');
    assert.equal(atWechat(paid.prPayId), 'NOTPAY');
    await assertNothingPayableIsHidden(orderId);
    // The payer pays it: the order is paid, nothing is refunded.
    assert.equal(await sandbox().settle(paid.prPayId, 'SUCCESS'), 204);
    assert.equal((await order(orderId)).state, '03');
    const refunds = await db()
      .selectFrom('refunds')
      .select('id')
      .where('reason', '=', `parking_late:${orderId}`)
      .execute();
    assert.deepEqual(refunds, []);
  });

  it('the next run closes such a payment at WeChat first, then the order', async () => {
    const { world, orderId, lapsesAt } = await renewalAboutToLapse();
    const paid = await orders.pay(
      world.openId,
      { omPrOrderId: orderId, openId: world.openId },
      t.clock.now(),
    );
    t.clock.advance(1);
    assert.equal(await closeOverdueOrders(jobDeps(), lapsesAt), 1);
    assert.equal((await order(orderId)).state, '81');
    assert.equal(atWechat(paid.prPayId), 'CLOSED');
    assert.deepEqual(
      (await paymentsOf(orderId)).map((p) => p.status),
      ['closed'],
    );
  });

  it('a prepay_id stored after the job read the payment sends the close to WeChat, never here alone', async () => {
    const { world, orderId, lapsesAt } = await renewalAboutToLapse();
    // The pay's call to WeChat is held after its payment row is committed.
    const payments = t.app.runtime.payments;
    const real = payments.wechatV3;
    const atGate = latch();
    const gate = latch();
    payments.wechatV3 = () => {
      const v3 = real();
      return {
        ...v3,
        async jsapiOrder(input) {
          atGate.open();
          await gate.done;
          return v3.jsapiOrder(input);
        },
      } satisfies V3Gateway;
    };
    try {
      const paying = orders
        .pay(world.openId, { omPrOrderId: orderId, openId: world.openId }, t.clock.now())
        .then(
          (answer) => ({ answer }),
          (error: Error) => ({ error }),
        );
      await atGate.done;
      // The job reads the payment without a prepay_id and waits on the order; then WeChat answers the pay.
      const release = latch();
      const holder = await holdOrder(orderId, release.done);
      const job = closeOverdueOrders(jobDeps(), lapsesAt);
      await waitingOnLocks(1);
      gate.open();
      // On PostgreSQL the pay stores its prepay_id meanwhile (that takes no lock of the order's);
      // SQLite's one writer makes it wait for the holder, and the job then goes first.
      await new Promise((resolve) => setTimeout(resolve, 200));
      release.open();
      await holder.ended;
      const outcome = await paying;
      await job;
      await assertNothingPayableIsHidden(orderId);
      const [payment] = await paymentsOf(orderId);
      if ('answer' in outcome) {
        // The prepay_id was kept: the close went to WeChat, so the page's order cannot be paid.
        assert.notEqual(atWechat(outcome.answer.prPayId), 'NOTPAY');
      } else {
        // The job closed it first: the fresh WeChat order was closed and the payer told to pay again.
        assert.match(outcome.error.message, /支付已变更|订单已超时/);
      }
      assert.equal(payment?.status, 'closed');
      assert.equal((await order(orderId)).state, '81');
    } finally {
      payments.wechatV3 = real;
    }
  });
});
