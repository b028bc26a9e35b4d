import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkLedger } from '../../../src/modules/ledger/index.js';
import { refundableOf } from '../../../src/modules/payments/index.js';
import { checkDeposits } from '../../../src/modules/tenants/index.js';
import { memorySmsProvider } from '../../../src/platform/sms/sms-provider.js';
import { DEMO_TENANT_DEPOSIT, DEMO_TENANT_MOBILE } from '../../../src/seed/demo-rental.js';
import { leaseForm } from '../../helpers/lease-form.js';
import { bearer, body, startTestApp, type TestApp } from '../../helpers/test-app.js';
import { testDialect } from '../../helpers/test-database.js';

const SUCCESS_REPLY =
  '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>';
// The demo's entrust 1: 押一付三 at 2,500 元 a month, booking fee 500 元.
const MONTHLY = 250_000;
const FIRST_INSTALLMENT = 4 * MONTHLY; // three months' rent and one month's 押金
const BOOKING_FEE = 50_000;

/**
 * A lease's own 押金 (its first installment's deposit_part) goes back at move-out: it becomes
 * deposit held for the tenant when the retirement completes, and is refunded through WeChat
 * against the installment's payment — at most the 押金, never the rent.
 */
describe(`a lease's 押金 is refunded when its retirement completes (${testDialect()})`, () => {
  let t: TestApp;
  const sms = memorySmsProvider();
  let phone = 13_600_000_000;
  before(async () => {
    t = await startTestApp({ demo: true, sms });
  });
  after(() => t.close());

  async function login(mobile = String(++phone)): Promise<{ token: string; tenantId: number }> {
    t.clock.advance(61_000);
    await t.app.inject({ method: 'POST', url: '/user_auth/send_code', payload: { mobile } });
    const code = /(\d{6})/.exec(sms.sent.filter((m) => m.phone === mobile).at(-1)!.text)![1];
    const token = body(
      await t.app.inject({ method: 'POST', url: '/user_auth/login', payload: { mobile, code } }),
    ).data.token;
    const row = await t.db.kysely
      .selectFrom('tenants')
      .select('id')
      .where('mobile_hash', '=', t.app.runtime.pii.blindIndex(mobile, 'mobile'))
      .executeTakeFirstOrThrow();
    return { token, tenantId: Number(row.id) };
  }
  const post = (url: string, token: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url, headers: bearer(token), payload }).then(body);
  const payment = (id: number | string) =>
    t.db.kysely.selectFrom('payments').selectAll().where('id', '=', Number(id)).executeTakeFirstOrThrow();
  const held = async (tenantId: number) =>
    Number(
      (
        await t.db.kysely
          .selectFrom('tenants')
          .select('deposit_held')
          .where('id', '=', tenantId)
          .executeTakeFirstOrThrow()
      ).deposit_held,
    );
  const transfer = (key: string) =>
    t.db.kysely.selectFrom('ledger_transfers').selectAll().where('key', '=', key).executeTakeFirst();
  const complete = (leaseId: string) =>
    t.app.runtime.modules.leases.completeRetirement(Number(leaseId), 'staff:test', t.clock.now());
  async function assertBooksAgree() {
    const ledger = await checkLedger(t.db.kysely);
    assert.deepEqual(ledger.problems, []);
    assert.deepEqual(await checkDeposits(t.db.kysely), { ok: true, disagreements: [] });
  }

  /** A lease of `form`, its first installment paid (WeChat for what the deposit does not cover), moving out. */
  async function retiring(token: string, form: Record<string, string>, useDeposit = 0) {
    const lease = (await post('/user_contract/save', token, form)).data as { id: string; u_p_id: string };
    const pay = await post('/user_order/longPay', token, {
      id: lease.id,
      is_d_deposit: useDeposit,
      u_p_id: lease.u_p_id,
    });
    assert.equal(pay.code, 0, JSON.stringify(pay));
    const paid = await payment(pay.data.id);
    if (paid.status !== 'paid')
      assert.equal(await t.app.runtime.sandbox!.pay(paid.out_trade_no), SUCCESS_REPLY);
    assert.deepEqual(await post('/user_order/retirement', token, { id: lease.id }), { code: 0 });
    return { leaseId: lease.id, payment: await payment(pay.data.id) };
  }

  it('the 押金 WeChat collected with the first installment is refunded against that payment, rent never', async () => {
    const { token, tenantId } = await login();
    const { leaseId, payment: paid } = await retiring(token, { ...leaseForm(), h_i_id: '1' });
    assert.equal(Number(paid.amount), FIRST_INSTALLMENT);
    assert.equal(await held(tenantId), 0, 'nothing held while the lease runs');

    const { refunds } = await complete(leaseId);
    assert.deepEqual(
      refunds.map((r) => [Number(r.payment_id), Number(r.amount), r.reason]),
      [[Number(paid.id), MONTHLY, `lease_retirement:${leaseId}`]],
    );
    const returned = await transfer(`lease.deposit:${leaseId}`);
    assert.equal(Number(returned?.amount), MONTHLY);
    assert.equal(returned?.ledger, 'lease.deposit');
    assert.equal(await transfer(`lease.deposit.applied:${leaseId}`), undefined, 'none paid from the deposit');
    assert.equal(await held(tenantId), 0, 'the 押金 is held for its refund');
    // The rest of the payment was rent: nothing more of it may be refunded for the deposit.
    assert.equal(await refundableOf(t.db.kysely, paid), FIRST_INSTALLMENT - MONTHLY);
    await assertBooksAgree();

    assert.equal(
      await t.app.runtime.sandbox!.settleRefund(refunds[0]!.out_refund_no, 'SUCCESS'),
      SUCCESS_REPLY,
    );
    const row = await t.db.kysely
      .selectFrom('refunds')
      .selectAll()
      .where('out_refund_no', '=', refunds[0]!.out_refund_no)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'succeeded');
    assert.equal(await held(tenantId), 0);
    await assertBooksAgree();
  });

  it('a booking fee and the 押金 go back, each against its own payment', async () => {
    const { token, tenantId } = await login();
    const lease = (await post('/user_contract/save', token, { ...leaseForm(), h_i_id: '1' })).data as {
      id: string;
      u_p_id: string;
    };
    const booking = await post('/user_order/booking', token, {
      id: lease.id,
      is_d_deposit: 0,
      u_p_id: lease.u_p_id,
    });
    const bookingPayment = await payment(booking.data.id);
    await t.app.runtime.sandbox!.pay(bookingPayment.out_trade_no);
    const pay = await post('/user_order/longPay', token, {
      id: lease.id,
      is_d_deposit: 0,
      u_p_id: lease.u_p_id,
    });
    const installmentPayment = await payment(pay.data.id);
    await t.app.runtime.sandbox!.pay(installmentPayment.out_trade_no);
    await post('/user_order/retirement', token, { id: lease.id });
    assert.equal(await held(tenantId), BOOKING_FEE);

    const { refunds } = await complete(lease.id);
    assert.deepEqual(
      refunds.map((r) => [Number(r.payment_id), Number(r.amount)]),
      [
        [Number(bookingPayment.id), BOOKING_FEE],
        [Number(installmentPayment.id), MONTHLY],
      ],
    );
    assert.equal(await held(tenantId), 0);
    await assertBooksAgree();
  });

  it('a 押金 the held deposit paid comes back to it; an opening balance cannot go through WeChat and stays', async () => {
    // The demo tenant holds 500 元 as an opening balance; entrust 3's first installment (6 rent,
    // 1 押金, in fen) is paid from it in full.
    const { token, tenantId } = await login(DEMO_TENANT_MOBILE);
    const before = await held(tenantId);
    assert.ok(before <= DEMO_TENANT_DEPOSIT);
    const { leaseId, payment: paid } = await retiring(token, leaseForm(), 1);
    assert.equal(paid.channel, 'deposit');
    assert.equal(await held(tenantId), before - 7);
    const { refunds } = await complete(leaseId);
    assert.deepEqual(refunds, [], 'nothing of it came through WeChat');
    assert.equal(Number((await transfer(`lease.deposit.applied:${leaseId}`))?.amount), 1);
    assert.equal(await transfer(`lease.deposit:${leaseId}`), undefined);
    assert.equal(await held(tenantId), before - 6, 'the 押金 is held for the tenant again');
    await assertBooksAgree();
  });

  it('with another lease running the 押金 stays held; the last completion refunds it against its payment', async () => {
    const { token, tenantId } = await login();
    const first = await retiring(token, { ...leaseForm(), h_i_id: '1' });
    const second = await retiring(token, { ...leaseForm(), h_i_id: '1' });
    const early = await complete(first.leaseId);
    assert.deepEqual(early.refunds, [], 'the second lease still runs');
    assert.equal(await held(tenantId), MONTHLY);
    await assertBooksAgree();

    const last = await complete(second.leaseId);
    assert.deepEqual(
      last.refunds.map((r) => [Number(r.payment_id), Number(r.amount)]).sort((a, b) => a[0]! - b[0]!),
      [
        [Number(first.payment.id), MONTHLY],
        [Number(second.payment.id), MONTHLY],
      ],
    );
    assert.equal(await held(tenantId), 0);
    await assertBooksAgree();
    // Completing again moves nothing and refunds nothing.
    await assert.rejects(complete(second.leaseId), /只有退租申请中的订单才能完成退租/);
    assert.equal(
      (
        await t.db.kysely
          .selectFrom('ledger_transfers')
          .select('key')
          .where('key', 'like', `lease.deposit%:${second.leaseId}`)
          .execute()
      ).length,
      1,
    );
  });
});
