import assert from 'node:assert/strict';
import type { StaffMember } from '../../../src/modules/staff/index.js';
import { memorySmsProvider } from '../../../src/platform/sms/sms-provider.js';
import { leaseForm } from '../../helpers/lease-form.js';
import { bearer, body, startTestApp, type TestApp } from '../../helpers/test-app.js';
import { cardNumber, createRequest } from '../escrow/escrow-fixtures.js';

/*
 * A database whose money went through the real modules: an escrow order paid in through WeChat
 * Pay v3 (the sandbox's signed notify), a release (with the fee) and a refund to the buyer
 * approved maker-checker and paid out; a tenant's booking fee and first installment paid through
 * WeChat Pay v2, the lease moved out and both deposits refunded, the refunds settled by the
 * sandbox. What each figure is follows from the amounts below.
 */

export const ESCROW_DEPOSIT = 10_000_000;
export const SERVICE_FEE = 100_000;
export const RELEASED = 6_000_000;
export const REFUNDED_TO_BUYER = 1_000_000;
// The demo's entrust 1: 押一付三 at 2,500 元 a month, booking fee 500 元.
export const MONTHLY = 250_000;
export const FIRST_INSTALLMENT = 4 * MONTHLY;
export const BOOKING_FEE = 50_000;

const SUCCESS_REPLY =
  '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>';
const maker: StaffMember = { id: 901, username: 'maker', displayName: '甲', roles: ['escrow'] };
const checker: StaffMember = { id: 902, username: 'checker', displayName: '乙', roles: ['escrow'] };

export interface WechatBooks {
  t: TestApp;
  houseOrderNo: string;
  escrowTradeNo: string;
  releasePayoutNo: string;
  refundPayoutNo: string;
  tenantId: number;
  leaseId: string;
  bookingTradeNo: string;
  installmentTradeNo: string;
  refundNos: string[];
}

/** Builds the books on `t` (a demo app whose text messages `sms` carries), or on a new test app. */
export async function buildWechatBooks(given?: {
  t: TestApp;
  sms: ReturnType<typeof memorySmsProvider>;
}): Promise<WechatBooks> {
  const sms = given?.sms ?? memorySmsProvider();
  const t = given?.t ?? (await startTestApp({ demo: true, sms }));
  const { escrow, leases } = t.app.runtime.modules;
  const now = () => t.clock.now();

  // ---- escrow: pay in, release with the fee, refund to the buyer --------------------------------
  await escrow.isvs.create(
    { appKey: 'isv_recon', secret: 's'.repeat(32), methods: '*', storeIds: '*' },
    now(),
    't',
  );
  const isv = (await escrow.isvs.find('isv_recon'))!;
  const answer = await escrow.operate(isv, createRequest(71), now());
  let ip = 0;
  const accept = async (url: string) => {
    const token = url.slice(url.indexOf('/escrow/accept/') + '/escrow/accept/'.length);
    t.clock.advance(61_000);
    await escrow.acceptance.sendCode(token, `10.9.0.${++ip}`, now());
    const code = /验证码(\d{6})，/.exec(sms.sent.at(-1)!.text)![1]!;
    await escrow.acceptance.accept(token, { code, ip: '192.0.2.7' }, now());
    return token;
  };
  const buyer = await accept(answer.buyer_url);
  await accept(answer.landlord_url);
  const pay = await escrow.pay(buyer, { amountType: 'deposit_pay', openId: 'oReconBuyer' }, now());
  assert.equal(await t.app.runtime.sandboxV3()!.settle(pay.out_trade_no, 'SUCCESS'), 204);
  const release = await escrow.funds.request(
    maker,
    answer.house_order_no,
    { kind: 'release', amount: RELEASED, reason: '放款' },
    now(),
  );
  const released = await escrow.funds.approve(checker, release.id, now());
  const refund = await escrow.funds.request(
    maker,
    answer.house_order_no,
    {
      kind: 'refund',
      amount: REFUNDED_TO_BUYER,
      reason: '退还买方',
      payee_card_no: cardNumber('621700000000000'),
      payee_bank: '中国工商银行',
    },
    now(),
  );
  const refunded = await escrow.funds.approve(checker, refund.id, now());
  assert.equal(released.payout.state, 'paid');
  assert.equal(refunded.payout.state, 'paid');

  // ---- a tenant: booking fee and first installment through WeChat, moved out, refunded ---------
  const mobile = '13612340001';
  t.clock.advance(61_000);
  await t.app.inject({ method: 'POST', url: '/user_auth/send_code', payload: { mobile } });
  const code = /(\d{6})/.exec(sms.sent.filter((m) => m.phone === mobile).at(-1)!.text)![1];
  const token = body(
    await t.app.inject({ method: 'POST', url: '/user_auth/login', payload: { mobile, code } }),
  ).data.token as string;
  const post = (url: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url, headers: bearer(token), payload }).then(body);
  const payment = (id: number | string) =>
    t.db.kysely.selectFrom('payments').selectAll().where('id', '=', Number(id)).executeTakeFirstOrThrow();
  const lease = (await post('/user_contract/save', { ...leaseForm(), h_i_id: '1' })).data as {
    id: string;
    u_p_id: string;
  };
  const booking = await payment(
    (await post('/user_order/booking', { id: lease.id, is_d_deposit: 0, u_p_id: lease.u_p_id })).data.id,
  );
  assert.equal(await t.app.runtime.sandbox!.pay(booking.out_trade_no), SUCCESS_REPLY);
  const installment = await payment(
    (await post('/user_order/longPay', { id: lease.id, is_d_deposit: 0, u_p_id: lease.u_p_id })).data.id,
  );
  assert.equal(await t.app.runtime.sandbox!.pay(installment.out_trade_no), SUCCESS_REPLY);
  assert.deepEqual(await post('/user_order/retirement', { id: lease.id }), { code: 0 });
  const { refunds } = await leases.completeRetirement(Number(lease.id), 'staff:test', now());
  assert.deepEqual(
    refunds.map((r) => Number(r.amount)),
    [BOOKING_FEE, MONTHLY],
  );
  for (const r of refunds)
    assert.equal(await t.app.runtime.sandbox!.settleRefund(r.out_refund_no, 'SUCCESS'), SUCCESS_REPLY);

  const payouts = await t.db.kysely
    .selectFrom('escrow_payouts')
    .select(['release_id', 'payout_no'])
    .orderBy('id')
    .execute();
  return {
    t,
    houseOrderNo: answer.house_order_no,
    escrowTradeNo: pay.out_trade_no,
    releasePayoutNo: payouts.find((p) => Number(p.release_id) === release.id)!.payout_no,
    refundPayoutNo: payouts.find((p) => Number(p.release_id) === refund.id)!.payout_no,
    tenantId: Number(booking.payer.slice('tenant:'.length)),
    leaseId: lease.id,
    bookingTradeNo: booking.out_trade_no,
    installmentTradeNo: installment.out_trade_no,
    refundNos: refunds.map((r) => r.out_refund_no),
  };
}
