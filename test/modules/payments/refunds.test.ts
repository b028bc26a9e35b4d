import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BOOKING_PURPOSE } from '../../../src/modules/leases/index.js';
import { balance, checkLedger } from '../../../src/modules/ledger/index.js';
import {
  openPayment,
  type PaymentRow,
  reconcileRefunds,
  refundableOf,
  requestJsapiPay,
  requestRefund,
} from '../../../src/modules/payments/index.js';
import { checkDeposits, depositAccount } from '../../../src/modules/tenants/index.js';
import { memorySmsProvider } from '../../../src/platform/sms/sms-provider.js';
import { DEMO_TENANT_DEPOSIT, DEMO_TENANT_MOBILE } from '../../../src/seed/demo-rental.js';
import { rejectedDomainError } from '../../helpers/domain-errors.js';
import { leaseForm } from '../../helpers/lease-form.js';
import { bearer, body, startTestApp, type TestApp } from '../../helpers/test-app.js';
import { testDialect } from '../../helpers/test-database.js';

const SUCCESS_REPLY =
  '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>';
// The demo's entrust 1: booking fee 500 元; 押一付三 at 2,500 元 a month, so the first installment
// (paid by /user_order/longPay) is three months' rent and one month's 押金 (its deposit_part).
const BOOKING_FEE = 50_000;
const MONTHLY = 250_000;
const LEASE_DEPOSIT = MONTHLY; // 押金
const FIRST_RENT = 3 * MONTHLY;
const FIRST_INSTALLMENT = FIRST_RENT + LEASE_DEPOSIT;
/** What a move-out gives back: the held booking fee and the lease's own 押金, never its rent. */
const RETURNED = BOOKING_FEE + LEASE_DEPOSIT;

describe(`the deposit refunded when a retirement completes (${testDialect()})`, () => {
  let t: TestApp;
  const sms = memorySmsProvider();
  let phone = 13_700_000_000;
  before(async () => {
    t = await startTestApp({ demo: true, sms });
  });
  after(() => t.close());

  async function login(mobile = String(++phone)): Promise<{ token: string; tenantId: number }> {
    t.clock.advance(61_000); // the send limit per client address is 10 a minute
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
  const sandbox = () => t.app.runtime.sandbox!;
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
  const refundsOf = (leaseId: string) =>
    t.db.kysely
      .selectFrom('refunds')
      .selectAll()
      .where('reason', '=', `lease_retirement:${leaseId}`)
      .orderBy('id')
      .execute();
  const refundRow = (no: string) =>
    t.db.kysely.selectFrom('refunds').selectAll().where('out_refund_no', '=', no).executeTakeFirstOrThrow();
  const transfersKeyed = (key: string) =>
    t.db.kysely.selectFrom('ledger_transfers').selectAll().where('key', '=', key).execute();
  const accountCode = async (id: number) =>
    (
      await t.db.kysely
        .selectFrom('ledger_accounts')
        .select('code')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).code;
  /** The refunds completing `leaseId` made, as [payment id, amount, status], in refund order. */
  const refundsByPayment = async (leaseId: string) =>
    (await refundsOf(leaseId)).map((r) => [Number(r.payment_id), Number(r.amount), r.status]);
  const countTransfers = async () =>
    Number(
      (
        await t.db.kysely
          .selectFrom('ledger_transfers')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  async function assertBooksAgree(): Promise<void> {
    const ledger = await checkLedger(t.db.kysely);
    assert.deepEqual(ledger.problems, []);
    assert.equal(ledger.ok, true);
    assert.deepEqual(await checkDeposits(t.db.kysely), { ok: true, disagreements: [] });
  }
  const v2Notify = (xml: string) =>
    t.app.inject({
      method: 'POST',
      url: '/payments/wechat/notify',
      headers: { 'content-type': 'text/xml' },
      payload: xml,
    });
  const v3Notify = (n: { headers: Record<string, string>; body: string }) =>
    t.app.inject({
      method: 'POST',
      url: '/payments/wechat/v3/notify',
      headers: { ...n.headers, 'content-type': 'application/json' },
      payload: n.body,
    });

  /** A lease of entrust 1 whose booking fee WeChat collected: v2 (APP) or v3 (JSAPI). */
  async function bookedLease(token: string, tenantId: number, api: 'v2' | 'v3') {
    const lease = (await post('/user_contract/save', token, { ...leaseForm(), h_i_id: '1' })).data as {
      id: string;
      u_p_id: string;
    };
    if (api === 'v2') {
      const booking = await post('/user_order/booking', token, {
        id: lease.id,
        is_d_deposit: 0,
        u_p_id: lease.u_p_id,
      });
      assert.equal(await sandbox().pay((await payment(booking.data.id)).out_trade_no), SUCCESS_REPLY);
    } else {
      const deps = t.app.runtime.payments;
      const opened = await t.db.kysely.transaction().execute((trx) =>
        openPayment(trx, {
          purpose: BOOKING_PURPOSE,
          subjectId: lease.id,
          payer: `tenant:${tenantId}`,
          amount: BOOKING_FEE,
          channel: 'wechat_jsapi',
          now: t.clock.now(),
        }),
      );
      await requestJsapiPay(deps, opened, { description: '房屋订金', openId: 'oTenant0000000000000000000' });
      assert.equal(await t.app.runtime.sandboxV3()!.settle(opened.out_trade_no, 'SUCCESS'), 204);
    }
    const paid = await t.db.kysely
      .selectFrom('payments')
      .selectAll()
      .where('purpose', '=', BOOKING_PURPOSE)
      .where('subject_id', '=', lease.id)
      .where('status', '=', 'paid')
      .executeTakeFirstOrThrow();
    assert.equal(Number(paid.amount), BOOKING_FEE);
    return { ...lease, booking: paid };
  }

  /**
   * A tenant holding the booking fee(s) as deposit, with `leaseId` moving out (state 5): its first
   * installment (rent and 押金) paid by WeChat v2 (APP), whatever API paid the booking fee.
   * `bookings` are the paid booking payments, newest first — the order they are refunded in.
   */
  async function retiringTenant(api: 'v2' | 'v3', extraBookings = 0, mobile?: string) {
    const { token, tenantId } = await login(mobile);
    const opening = await held(tenantId);
    const bookings: PaymentRow[] = [];
    for (let i = 0; i < extraBookings; i++) {
      const other = await bookedLease(token, tenantId, api);
      // Expired unpaid: it no longer keeps the deposit.
      await t.db.kysely.updateTable('leases').set({ status: 9 }).where('id', '=', Number(other.id)).execute();
      bookings.unshift(other.booking);
    }
    const lease = await bookedLease(token, tenantId, api);
    bookings.unshift(lease.booking);
    const pay = await post('/user_order/longPay', token, {
      id: lease.id,
      is_d_deposit: 0,
      u_p_id: lease.u_p_id,
    });
    assert.equal(await sandbox().pay((await payment(pay.data.id)).out_trade_no), SUCCESS_REPLY);
    const installment = await payment(pay.data.id);
    assert.equal(installment.status, 'paid');
    assert.equal(installment.channel, 'wechat_app');
    assert.equal(Number(installment.amount), FIRST_INSTALLMENT);
    const first = await t.db.kysely
      .selectFrom('lease_installments')
      .selectAll()
      .where('id', '=', Number(installment.subject_id))
      .executeTakeFirstOrThrow();
    assert.equal(Number(first.lease_id), Number(lease.id));
    assert.equal(Number(first.seq), 1);
    assert.equal(Number(first.rent_part), FIRST_RENT);
    assert.equal(Number(first.deposit_part), LEASE_DEPOSIT);
    assert.deepEqual(await post('/user_order/retirement', token, { id: lease.id }), { code: 0 });
    // While the lease runs its 押金 is the landlord's guarantee, not deposit held for the tenant.
    assert.equal(await held(tenantId), opening + BOOKING_FEE * (1 + extraBookings));
    assert.deepEqual(await transfersKeyed(`lease.deposit:${lease.id}`), []);
    return { token, tenantId, leaseId: lease.id, bookings, installment };
  }

  /**
   * The lease's 押金 came back into the deposit held for the tenant once, from WeChat's clearing
   * (WeChat collected all of it with the first installment; the held deposit paid none of it).
   */
  async function assertLeaseDepositReturned(tenantId: number, leaseId: string, installment: PaymentRow) {
    const returned = await transfersKeyed(`lease.deposit:${leaseId}`);
    assert.equal(returned.length, 1);
    const [moved] = returned;
    assert.equal(moved!.kind, 'posted');
    assert.equal(Number(moved!.amount), LEASE_DEPOSIT);
    assert.equal(moved!.ledger, 'lease.deposit');
    assert.equal(moved!.subject, `lease_installment:${installment.subject_id}`);
    assert.equal(await accountCode(Number(moved!.debit_account_id)), 'wechat:clearing');
    assert.equal(await accountCode(Number(moved!.credit_account_id)), depositAccount(tenantId));
    assert.deepEqual(JSON.parse(moved!.metadata!), { out_trade_no: installment.out_trade_no });
    assert.deepEqual(await transfersKeyed(`lease.deposit.applied:${leaseId}`), []);
  }

  /** Each refund holds its amount of the deposit (pending, deposit → wechat:refunds) until WeChat settles it. */
  async function assertRefundHolds(tenantId: number, refunds: readonly { out_refund_no: string }[]) {
    for (const { out_refund_no: no } of refunds) {
      const row = await refundRow(no);
      const paid = await payment(row.payment_id);
      const holds = await transfersKeyed(`refund:${no}`);
      assert.equal(holds.length, 1);
      const [hold] = holds;
      assert.equal(hold!.kind, 'pending');
      assert.equal(Number(hold!.amount), Number(row.amount));
      assert.equal(hold!.ledger, 'refund');
      assert.equal(hold!.subject, row.reason);
      assert.equal(await accountCode(Number(hold!.debit_account_id)), depositAccount(tenantId));
      assert.equal(await accountCode(Number(hold!.credit_account_id)), 'wechat:refunds');
      assert.deepEqual(JSON.parse(hold!.metadata!), { out_trade_no: paid.out_trade_no });
    }
  }

  /** The rent in the first installment's payment was never refunded, whatever was asked. */
  async function assertRentKept(installment: PaymentRow, refundedOfIt: number) {
    assert.ok(refundedOfIt <= LEASE_DEPOSIT);
    assert.equal(
      await refundableOf(t.db.kysely, await payment(installment.id)),
      FIRST_INSTALLMENT - refundedOfIt,
    );
    assert.equal(sandbox().refundedTotal(installment.out_trade_no), refundedOfIt);
  }

  /** WeChat settles a refund of a booking fee (paid by `api`) or of a first installment (v2). */
  async function settle(
    api: 'v2' | 'v3',
    no: string,
    succeeded: boolean,
    options: { notify?: boolean } = {},
  ) {
    const paid = await payment((await refundRow(no)).payment_id);
    if (paid.channel === 'wechat_jsapi') {
      assert.equal(api, 'v3');
      const answer = await t.app.runtime
        .sandboxV3()!
        .settleRefund(no, succeeded ? 'SUCCESS' : 'ABNORMAL', options);
      if (options.notify !== false) assert.equal(answer, 204);
    } else {
      const answer = await sandbox().settleRefund(no, succeeded ? 'SUCCESS' : 'CHANGE', options);
      if (options.notify !== false) assert.equal(answer, SUCCESS_REPLY);
    }
  }
  const complete = (leaseId: string) =>
    t.app.runtime.modules.leases.completeRetirement(Number(leaseId), 'staff:test', t.clock.now());

  /** The deposit account: what it holds (posted), what may still leave, what refunds hold. */
  async function assertAccount(tenantId: number, net: number, available: number, pending: number) {
    const account = await balance(t.db.kysely, depositAccount(tenantId));
    assert.deepEqual([account.net, account.available, account.debitsPending], [net, available, pending]);
    assert.equal(await held(tenantId), available, 'deposit_held is what may still leave');
  }

  for (const api of ['v2', 'v3'] as const) {
    it(`${api}: completing the retirement refunds the booking fee and the 押金, each against its payment, never the rent; the notify settles each once`, async () => {
      const { tenantId, leaseId, bookings, installment } = await retiringTenant(api);
      const { refunds } = await complete(leaseId);
      // The held booking fee against the booking payment, then the lease's 押金 against the first
      // installment's payment — 250,000 of its 1,000,000, the 750,000 rent stays.
      assert.deepEqual(
        refunds.map((r) => [Number(r.payment_id), Number(r.amount), r.reason]),
        [
          [Number(bookings[0]!.id), BOOKING_FEE, `lease_retirement:${leaseId}`],
          [Number(installment.id), LEASE_DEPOSIT, `lease_retirement:${leaseId}`],
        ],
      );
      for (const refund of refunds) {
        const row = await refundRow(refund.out_refund_no);
        assert.equal(row.status, 'requested');
        assert.ok(row.sent_at, 'WeChat accepted the request after the commit');
      }
      assert.equal(
        api === 'v2'
          ? sandbox().refundedTotal(bookings[0]!.out_trade_no)
          : t.app.runtime.sandboxV3()!.refundedTotal(bookings[0]!.out_trade_no),
        BOOKING_FEE,
      );
      const lease = await t.db.kysely
        .selectFrom('leases')
        .select('status')
        .where('id', '=', Number(leaseId))
        .executeTakeFirstOrThrow();
      assert.equal(lease.status, 6);
      await assertLeaseDepositReturned(tenantId, leaseId, installment);
      // Requested: the deposit is held for the refunds, no longer the tenant's to spend.
      await assertRefundHolds(tenantId, refunds);
      await assertAccount(tenantId, RETURNED, 0, RETURNED);
      await assertRentKept(installment, LEASE_DEPOSIT);
      await assertBooksAgree();

      for (const refund of refunds) await settle(api, refund.out_refund_no, true);
      const settled = [];
      for (const refund of refunds) {
        const no = refund.out_refund_no;
        const row = await refundRow(no);
        assert.equal(row.status, 'succeeded');
        assert.ok(row.refund_id);
        assert.equal((await transfersKeyed(`refund.post:${no}`)).length, 1);
        assert.deepEqual(await transfersKeyed(`refund.void:${no}`), []);
        settled.push(row);
      }
      assert.deepEqual(await refundsByPayment(leaseId), [
        [Number(bookings[0]!.id), BOOKING_FEE, 'succeeded'],
        [Number(installment.id), LEASE_DEPOSIT, 'succeeded'],
      ]);
      await assertAccount(tenantId, 0, 0, 0);
      await assertRentKept(installment, LEASE_DEPOSIT);
      await assertBooksAgree();

      // A replayed notify changes nothing.
      const before = await countTransfers();
      for (const refund of refunds) {
        const no = refund.out_refund_no;
        if ((await payment(refund.payment_id)).channel === 'wechat_jsapi') {
          const n = t.app.runtime.sandboxV3()!.refundNotify(no);
          for (const reply of await Promise.all([1, 2, 3].map(() => v3Notify(n))))
            assert.equal(reply.statusCode, 204);
        } else {
          const xml = sandbox().refundNotifyXml(no);
          for (const reply of await Promise.all([1, 2, 3].map(() => v2Notify(xml)))) {
            assert.equal(reply.body, SUCCESS_REPLY);
          }
        }
      }
      assert.equal(await countTransfers(), before);
      for (const row of settled) assert.deepEqual(await refundRow(row.out_refund_no), row);
      await assertAccount(tenantId, 0, 0, 0);
      await assertBooksAgree();
    });

    it(`${api}: WeChat refuses an over-refund, and so does the refunds table`, async () => {
      const { leaseId, bookings, installment } = await retiringTenant(api);
      const { refunds } = await complete(leaseId);
      assert.deepEqual(
        refunds.map((r) => Number(r.payment_id)),
        [Number(bookings[0]!.id), Number(installment.id)],
      );
      const paid = await payment(refunds[0]!.payment_id);
      const deps = t.app.runtime.payments;
      const answer =
        api === 'v2'
          ? await deps.wechat.refund({
              outTradeNo: paid.out_trade_no,
              outRefundNo: 'RTESTOVER0001',
              totalFee: BOOKING_FEE,
              refundFee: 1,
            })
          : await deps.wechatV3().refund({
              outTradeNo: paid.out_trade_no,
              outRefundNo: 'RTESTOVER0001',
              total: BOOKING_FEE,
              refund: 1,
            });
      assert.equal(answer.accepted, false);
      if (!answer.accepted) assert.equal(answer.code, api === 'v2' ? 'ERROR' : 'INVALID_REQUEST');
      // Refunding more than the order collected at once is refused too.
      const tooMuch =
        api === 'v2'
          ? await deps.wechat.refund({
              outTradeNo: paid.out_trade_no,
              outRefundNo: 'RTESTOVER0002',
              totalFee: BOOKING_FEE,
              refundFee: BOOKING_FEE,
            })
          : await deps.wechatV3().refund({
              outTradeNo: paid.out_trade_no,
              outRefundNo: 'RTESTOVER0002',
              total: BOOKING_FEE,
              refund: BOOKING_FEE,
            });
      assert.equal(tooMuch.accepted, false);
      const refunded =
        api === 'v2'
          ? sandbox().refundedTotal(paid.out_trade_no)
          : t.app.runtime.sandboxV3()!.refundedTotal(paid.out_trade_no);
      assert.equal(refunded, BOOKING_FEE);
      // Our side: the conditional insert under the payment's lock admits no fen more.
      const more = await t.db.kysely
        .transaction()
        .execute((trx) =>
          requestRefund(trx, { paymentId: Number(paid.id), amount: 1, reason: 'test', now: t.clock.now() }),
        );
      assert.equal(more, undefined);

      // The first installment's payment (v2): beyond its 1,000,000 less the 押金 refunded, WeChat
      // and the table refuse alike (the retirement itself asked for the 押金 only).
      for (const [no, refundFee] of [
        ['RTESTOVER0003', FIRST_RENT + 1],
        ['RTESTOVER0004', FIRST_INSTALLMENT],
      ] as const) {
        const over = await deps.wechat.refund({
          outTradeNo: installment.out_trade_no,
          outRefundNo: no,
          totalFee: FIRST_INSTALLMENT,
          refundFee,
        });
        assert.equal(over.accepted, false);
        if (!over.accepted) assert.equal(over.code, 'ERROR');
        const ours = await t.db.kysely.transaction().execute((trx) =>
          requestRefund(trx, {
            paymentId: Number(installment.id),
            amount: refundFee,
            reason: 'test',
            now: t.clock.now(),
          }),
        );
        assert.equal(ours, undefined);
      }
      await assertRentKept(installment, LEASE_DEPOSIT);
      assert.equal((await refundsByPayment(leaseId)).length, 2);
      await assertBooksAgree();
    });

    it(`${api}: a failed refund gives the deposit back`, async () => {
      const { tenantId, leaseId, bookings, installment } = await retiringTenant(api);
      const { refunds } = await complete(leaseId);
      const [booking, deposit] = refunds.map((r) => r.out_refund_no);
      assert.equal((await refundRow(booking!)).payment_id, Number(bookings[0]!.id));
      assert.equal((await refundRow(deposit!)).payment_id, Number(installment.id));
      await assertAccount(tenantId, RETURNED, 0, RETURNED);

      // The booking fee's refund fails: those 50,000 are held again; the 押金's refund still holds its own.
      await settle(api, booking!, false);
      assert.equal((await refundRow(booking!)).status, 'failed');
      assert.equal((await transfersKeyed(`refund.void:${booking}`)).length, 1);
      assert.deepEqual(await transfersKeyed(`refund.post:${booking}`), []);
      assert.equal((await refundRow(deposit!)).status, 'requested');
      await assertAccount(tenantId, RETURNED, BOOKING_FEE, LEASE_DEPOSIT);
      await assertBooksAgree();

      // The 押金's refund fails too: all of it is held for the tenant again, nothing went back.
      await settle(api, deposit!, false);
      assert.equal((await refundRow(deposit!)).status, 'failed');
      assert.equal((await transfersKeyed(`refund.void:${deposit}`)).length, 1);
      assert.deepEqual(await transfersKeyed(`refund.post:${deposit}`), []);
      await assertAccount(tenantId, RETURNED, RETURNED, 0);
      assert.equal(sandbox().refundedTotal(installment.out_trade_no), 0);
      await assertLeaseDepositReturned(tenantId, leaseId, installment);
      await assertBooksAgree();
    });

    it(`${api}: the reconciliation settles refunds whose notify was lost`, async () => {
      const { tenantId, leaseId, bookings, installment } = await retiringTenant(api);
      const { refunds } = await complete(leaseId);
      for (const r of refunds) await settle(api, r.out_refund_no, true, { notify: false });
      assert.deepEqual(await refundsByPayment(leaseId), [
        [Number(bookings[0]!.id), BOOKING_FEE, 'requested'],
        [Number(installment.id), LEASE_DEPOSIT, 'requested'],
      ]);
      const deps = t.app.runtime.payments;
      assert.equal(
        await reconcileRefunds(deps, t.clock.now()),
        0,
        'within the grace period nothing is asked',
      );
      assert.equal(await reconcileRefunds(deps, t.clock.now() + 10 * 60_000), 2);
      assert.deepEqual(await refundsByPayment(leaseId), [
        [Number(bookings[0]!.id), BOOKING_FEE, 'succeeded'],
        [Number(installment.id), LEASE_DEPOSIT, 'succeeded'],
      ]);
      assert.equal(await reconcileRefunds(deps, t.clock.now() + 20 * 60_000), 0);
      await assertAccount(tenantId, 0, 0, 0);
      await assertRentKept(installment, LEASE_DEPOSIT);
      await assertBooksAgree();
    });
  }

  it('a deposit brought in by several payments is refunded against each', async () => {
    const { tenantId, leaseId, bookings, installment } = await retiringTenant('v2', 1);
    assert.equal(bookings.length, 2);
    const { refunds } = await complete(leaseId);
    // Both booking fees, newest first, then the 押金 against the first installment's payment.
    assert.deepEqual(
      refunds.map((r) => [Number(r.payment_id), Number(r.amount)]),
      [
        [Number(bookings[0]!.id), BOOKING_FEE],
        [Number(bookings[1]!.id), BOOKING_FEE],
        [Number(installment.id), LEASE_DEPOSIT],
      ],
    );
    assert.equal(new Set(refunds.map((r) => Number(r.payment_id))).size, 3);
    await assertLeaseDepositReturned(tenantId, leaseId, installment);
    await assertRefundHolds(tenantId, refunds);
    await assertAccount(tenantId, 2 * BOOKING_FEE + LEASE_DEPOSIT, 0, 2 * BOOKING_FEE + LEASE_DEPOSIT);
    for (const r of refunds) await sandbox().settleRefund(r.out_refund_no, 'SUCCESS');
    assert.deepEqual(
      (await refundsOf(leaseId)).map((r) => r.status),
      ['succeeded', 'succeeded', 'succeeded'],
    );
    await assertAccount(tenantId, 0, 0, 0);
    await assertRentKept(installment, LEASE_DEPOSIT);
    await assertBooksAgree();
  });

  it('the rent is never refunded, even when more is held than WeChat payments brought in', async () => {
    // The demo tenant also holds an opening balance (500 元) no WeChat payment brought in: the
    // first installment's payment could still refund 1,000,000, yet only its 押金 goes back.
    const { tenantId, leaseId, bookings, installment } = await retiringTenant('v2', 0, DEMO_TENANT_MOBILE);
    const { refunds } = await complete(leaseId);
    assert.deepEqual(
      refunds.map((r) => [Number(r.payment_id), Number(r.amount)]),
      [
        [Number(bookings[0]!.id), BOOKING_FEE],
        [Number(installment.id), LEASE_DEPOSIT],
      ],
    );
    await assertLeaseDepositReturned(tenantId, leaseId, installment);
    await assertRefundHolds(tenantId, refunds);
    // What cannot go back through WeChat stays held.
    await assertAccount(tenantId, DEMO_TENANT_DEPOSIT + RETURNED, DEMO_TENANT_DEPOSIT, RETURNED);
    await assertRentKept(installment, LEASE_DEPOSIT);
    await assertBooksAgree();
    for (const r of refunds) await settle('v2', r.out_refund_no, true);
    await assertAccount(tenantId, DEMO_TENANT_DEPOSIT, DEMO_TENANT_DEPOSIT, 0);
    await assertRentKept(installment, LEASE_DEPOSIT);
    await assertBooksAgree();
  });

  it('concurrent completions of one retirement refund once', async () => {
    const { tenantId, leaseId, bookings, installment } = await retiringTenant('v2');
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map(() => complete(leaseId)));
    const done = results.filter((r) => r.status === 'fulfilled');
    assert.equal(done.length, 1);
    for (const r of results) {
      if (r.status === 'rejected') assert.match(String(r.reason), /只有退租申请中的订单才能完成退租/);
    }
    const once = [
      [Number(bookings[0]!.id), BOOKING_FEE, 'requested'],
      [Number(installment.id), LEASE_DEPOSIT, 'requested'],
    ];
    assert.deepEqual(await refundsByPayment(leaseId), once);
    await assertLeaseDepositReturned(tenantId, leaseId, installment);
    await assertAccount(tenantId, RETURNED, 0, RETURNED);
    await assertRentKept(installment, LEASE_DEPOSIT);
    await assertBooksAgree();
    const before = await countTransfers();
    const error = await rejectedDomainError(() => complete(leaseId));
    assert.equal(error.code, 'illegal_transition');
    assert.deepEqual(await refundsByPayment(leaseId), once);
    assert.equal(await countTransfers(), before);
  });

  it('a tenant with another running lease keeps the deposit, the 押金 included', async () => {
    const { token, tenantId, leaseId, installment } = await retiringTenant('v2');
    await post('/user_contract/save', token, leaseForm());
    const { refunds } = await complete(leaseId);
    assert.deepEqual(refunds, []);
    assert.deepEqual(await refundsOf(leaseId), []);
    // The 押金 came back into the deposit, where the running lease may still use it.
    await assertLeaseDepositReturned(tenantId, leaseId, installment);
    await assertAccount(tenantId, RETURNED, RETURNED, 0);
    await assertRentKept(installment, 0);
    await assertBooksAgree();
  });
});
