import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BOOKING_PURPOSE } from '../../../src/modules/leases/index.js';
import { balance, checkLedger } from '../../../src/modules/ledger/index.js';
import {
  openPayment,
  reconcileRefunds,
  requestJsapiPay,
  requestRefund,
} from '../../../src/modules/payments/index.js';
import { checkDeposits, depositAccount } from '../../../src/modules/tenants/index.js';
import { memorySmsProvider } from '../../../src/platform/sms/sms-provider.js';
import { rejectedDomainError } from '../../helpers/domain-errors.js';
import { leaseForm } from '../../helpers/lease-form.js';
import { bearer, body, startTestApp, type TestApp } from '../../helpers/test-app.js';
import { testDialect } from '../../helpers/test-database.js';

const SUCCESS_REPLY =
  '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>';
const BOOKING_FEE = 50_000; // the demo's entrust 1

describe(`the deposit refunded when a retirement completes (${testDialect()})`, () => {
  let t: TestApp;
  const sms = memorySmsProvider();
  let phone = 13_700_000_000;
  before(async () => {
    t = await startTestApp({ demo: true, sms });
  });
  after(() => t.close());

  async function login(): Promise<{ token: string; tenantId: number }> {
    phone += 1;
    const mobile = String(phone);
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
    return lease;
  }

  /** A tenant holding the booking fee(s) as deposit, with `leaseId` moving out (state 5). */
  async function retiringTenant(api: 'v2' | 'v3', extraBookings = 0) {
    const { token, tenantId } = await login();
    for (let i = 0; i < extraBookings; i++) {
      const other = await bookedLease(token, tenantId, api);
      // Expired unpaid: it no longer keeps the deposit.
      await t.db.kysely.updateTable('leases').set({ status: 9 }).where('id', '=', Number(other.id)).execute();
    }
    const lease = await bookedLease(token, tenantId, api);
    const pay = await post('/user_order/longPay', token, {
      id: lease.id,
      is_d_deposit: 0,
      u_p_id: lease.u_p_id,
    });
    assert.equal(await sandbox().pay((await payment(pay.data.id)).out_trade_no), SUCCESS_REPLY);
    assert.deepEqual(await post('/user_order/retirement', token, { id: lease.id }), { code: 0 });
    assert.equal(await held(tenantId), BOOKING_FEE * (1 + extraBookings));
    return { token, tenantId, leaseId: lease.id };
  }
  const complete = (leaseId: string) =>
    t.app.runtime.modules.leases.completeRetirement(Number(leaseId), 'staff:test', t.clock.now());

  for (const api of ['v2', 'v3'] as const) {
    it(`${api}: completing the retirement refunds the held deposit; the notify settles it once`, async () => {
      const { tenantId, leaseId } = await retiringTenant(api);
      const { refunds } = await complete(leaseId);
      assert.equal(refunds.length, 1);
      const no = refunds[0]!.out_refund_no;
      const row = await refundRow(no);
      assert.equal(row.status, 'requested');
      assert.equal(Number(row.amount), BOOKING_FEE);
      assert.ok(row.sent_at, 'WeChat accepted the request after the commit');
      const lease = await t.db.kysely
        .selectFrom('leases')
        .select('status')
        .where('id', '=', Number(leaseId))
        .executeTakeFirstOrThrow();
      assert.equal(lease.status, 6);
      // Requested: the deposit is held for the refund, no longer the tenant's to spend.
      const [hold] = await transfersKeyed(`refund:${no}`);
      assert.equal(hold!.kind, 'pending');
      assert.equal(Number(hold!.amount), BOOKING_FEE);
      assert.equal(await held(tenantId), 0);
      await assertBooksAgree();

      if (api === 'v2') assert.equal(await sandbox().settleRefund(no, 'SUCCESS'), SUCCESS_REPLY);
      else assert.equal(await t.app.runtime.sandboxV3()!.settleRefund(no, 'SUCCESS'), 204);
      const settled = await refundRow(no);
      assert.equal(settled.status, 'succeeded');
      assert.ok(settled.refund_id);
      assert.equal((await transfersKeyed(`refund.post:${no}`)).length, 1);
      assert.equal(await held(tenantId), 0);
      assert.equal((await balance(t.db.kysely, depositAccount(tenantId))).net, 0);
      await assertBooksAgree();

      // A replayed notify changes nothing.
      const before = await countTransfers();
      if (api === 'v2') {
        const xml = sandbox().refundNotifyXml(no);
        for (const reply of await Promise.all([1, 2, 3].map(() => v2Notify(xml)))) {
          assert.equal(reply.body, SUCCESS_REPLY);
        }
      } else {
        const n = t.app.runtime.sandboxV3()!.refundNotify(no);
        for (const reply of await Promise.all([1, 2, 3].map(() => v3Notify(n))))
          assert.equal(reply.statusCode, 204);
      }
      assert.equal(await countTransfers(), before);
      assert.deepEqual(await refundRow(no), settled);
      assert.equal(await held(tenantId), 0);
      await assertBooksAgree();
    });

    it(`${api}: WeChat refuses an over-refund, and so does the refunds table`, async () => {
      const { leaseId } = await retiringTenant(api);
      const { refunds } = await complete(leaseId);
      const refund = refunds[0]!;
      const paid = await payment(refund.payment_id);
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
      await assertBooksAgree();
    });

    it(`${api}: a failed refund gives the deposit back`, async () => {
      const { tenantId, leaseId } = await retiringTenant(api);
      const { refunds } = await complete(leaseId);
      const no = refunds[0]!.out_refund_no;
      assert.equal(await held(tenantId), 0);
      if (api === 'v2') assert.equal(await sandbox().settleRefund(no, 'CHANGE'), SUCCESS_REPLY);
      else assert.equal(await t.app.runtime.sandboxV3()!.settleRefund(no, 'ABNORMAL'), 204);
      assert.equal((await refundRow(no)).status, 'failed');
      assert.equal((await transfersKeyed(`refund.void:${no}`)).length, 1);
      assert.equal(await held(tenantId), BOOKING_FEE);
      assert.equal((await balance(t.db.kysely, depositAccount(tenantId))).net, BOOKING_FEE);
      await assertBooksAgree();
    });

    it(`${api}: the reconciliation settles a refund whose notify was lost`, async () => {
      const { tenantId, leaseId } = await retiringTenant(api);
      const { refunds } = await complete(leaseId);
      const no = refunds[0]!.out_refund_no;
      if (api === 'v2') await sandbox().settleRefund(no, 'SUCCESS', { notify: false });
      else await t.app.runtime.sandboxV3()!.settleRefund(no, 'SUCCESS', { notify: false });
      assert.equal((await refundRow(no)).status, 'requested');
      const deps = t.app.runtime.payments;
      assert.equal(
        await reconcileRefunds(deps, t.clock.now()),
        0,
        'within the grace period nothing is asked',
      );
      assert.equal(await reconcileRefunds(deps, t.clock.now() + 10 * 60_000), 1);
      assert.equal((await refundRow(no)).status, 'succeeded');
      assert.equal(await reconcileRefunds(deps, t.clock.now() + 20 * 60_000), 0);
      assert.equal(await held(tenantId), 0);
      await assertBooksAgree();
    });
  }

  it('a deposit brought in by several payments is refunded against each', async () => {
    const { tenantId, leaseId } = await retiringTenant('v2', 1);
    const { refunds } = await complete(leaseId);
    assert.equal(refunds.length, 2);
    assert.notEqual(refunds[0]!.payment_id, refunds[1]!.payment_id);
    assert.deepEqual(
      refunds.map((r) => Number(r.amount)),
      [BOOKING_FEE, BOOKING_FEE],
    );
    assert.equal(await held(tenantId), 0);
    for (const r of refunds) await sandbox().settleRefund(r.out_refund_no, 'SUCCESS');
    assert.deepEqual(
      (await refundsOf(leaseId)).map((r) => r.status),
      ['succeeded', 'succeeded'],
    );
    await assertBooksAgree();
  });

  it('concurrent completions of one retirement refund once', async () => {
    const { tenantId, leaseId } = await retiringTenant('v2');
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map(() => complete(leaseId)));
    const done = results.filter((r) => r.status === 'fulfilled');
    assert.equal(done.length, 1);
    for (const r of results) {
      if (r.status === 'rejected') assert.match(String(r.reason), /只有退租申请中的订单才能完成退租/);
    }
    assert.equal((await refundsOf(leaseId)).length, 1);
    assert.equal(await held(tenantId), 0);
    await assertBooksAgree();
    const error = await rejectedDomainError(() => complete(leaseId));
    assert.equal(error.code, 'illegal_transition');
  });

  it('a tenant with another running lease keeps the deposit', async () => {
    const { token, tenantId, leaseId } = await retiringTenant('v2');
    await post('/user_contract/save', token, leaseForm());
    const { refunds } = await complete(leaseId);
    assert.deepEqual(refunds, []);
    assert.equal(await held(tenantId), BOOKING_FEE);
    await assertBooksAgree();
  });
});
