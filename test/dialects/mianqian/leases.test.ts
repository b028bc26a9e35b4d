import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkLedger } from '../../../src/modules/ledger/index.js';
import { checkDeposits } from '../../../src/modules/tenants/index.js';
import { memorySmsProvider } from '../../../src/platform/sms/sms-provider.js';
import { leaseForm } from '../../helpers/lease-form.js';
import { bearer, body, startTestApp, type TestApp } from '../../helpers/test-app.js';
import { testDialect } from '../../helpers/test-database.js';

const SUCCESS_REPLY =
  '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>';
const MONTHLY = 250_000; // the demo's entrust 1: 押一付三, booking fee 500 元
const BOOKING_FEE = 50_000;

describe(`back office: family 2's leases and their move-out (${testDialect()})`, () => {
  let t: TestApp;
  let admin: string;
  let kefu: string;
  const sms = memorySmsProvider();
  const mobiles = ['13500001111', '13500002222'];
  const tenants: Array<{ token: string; id: number }> = [];
  let retiring: string; // entrust 1, booked and first installment paid by WeChat, moving out
  let unpaid: string;
  let bookingPaymentId: number;
  let installmentPaymentId: number;

  const post = (url: string, token: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url, headers: bearer(token), payload }).then(body);
  const get = (url: string, token = admin) => t.app.inject({ url, headers: bearer(token) });
  const complete = (id: string, token = admin) =>
    t.app.inject({ method: 'POST', url: `/api/leases/${id}/complete-retirement`, headers: bearer(token) });
  const outTradeNo = async (id: number) =>
    (
      await t.db.kysely
        .selectFrom('payments')
        .select('out_trade_no')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).out_trade_no;

  before(async () => {
    t = await startTestApp({ demo: true, sms });
    admin = await t.tokenFor('admin');
    kefu = await t.tokenFor('kefu');
    for (const mobile of mobiles) {
      t.clock.advance(61_000);
      await t.app.inject({ method: 'POST', url: '/user_auth/send_code', payload: { mobile } });
      const code = /(\d{6})/.exec(sms.sent.filter((m) => m.phone === mobile).at(-1)!.text)![1];
      const token = body(
        await t.app.inject({ method: 'POST', url: '/user_auth/login', payload: { mobile, code } }),
      ).data.token as string;
      const row = await t.db.kysely
        .selectFrom('tenants')
        .select('id')
        .where('mobile_hash', '=', t.app.runtime.pii.blindIndex(mobile, 'mobile'))
        .executeTakeFirstOrThrow();
      tenants.push({ token, id: Number(row.id) });
    }
    const [a, b] = tenants as [{ token: string; id: number }, { token: string; id: number }];
    const lease = (await post('/user_contract/save', a.token, { ...leaseForm(), h_i_id: '1' })).data;
    retiring = lease.id;
    const booking = await post('/user_order/booking', a.token, {
      id: lease.id,
      is_d_deposit: 0,
      u_p_id: lease.u_p_id,
    });
    bookingPaymentId = booking.data.id;
    assert.equal(await t.app.runtime.sandbox!.pay(await outTradeNo(bookingPaymentId)), SUCCESS_REPLY);
    const pay = await post('/user_order/longPay', a.token, {
      id: lease.id,
      is_d_deposit: 0,
      u_p_id: lease.u_p_id,
    });
    installmentPaymentId = pay.data.id;
    assert.equal(await t.app.runtime.sandbox!.pay(await outTradeNo(installmentPaymentId)), SUCCESS_REPLY);
    assert.deepEqual(await post('/user_order/retirement', a.token, { id: lease.id }), { code: 0 });
    unpaid = (await post('/user_contract/save', b.token, leaseForm())).data.id;
  });
  after(() => t.close());

  it('lists leases newest first with totals, mobiles masked', async () => {
    const answer = await get('/api/leases');
    assert.equal(answer.statusCode, 200);
    const { code, msg, data } = body(answer);
    assert.deepEqual([code, msg], [1, '']);
    assert.equal(data.total, 2);
    assert.deepEqual([data.page, data.page_size, data.page_count], [1, 20, 1]);
    assert.deepEqual(data.totals, { rent_total: 6 * MONTHLY + 6, deposit_total: MONTHLY + 1 });
    assert.deepEqual(
      data.leases.map((l: { id: number }) => String(l.id)),
      [unpaid, retiring],
    );
    const [, first] = data.leases;
    assert.equal(first.tenant_mobile, '13500001***');
    assert.ok(!answer.body.includes('13500001111'), 'no full mobile anywhere in the answer');
    assert.deepEqual(
      [first.status, first.status_label, first.mode, first.mode_label, first.booked],
      [5, '退租申请中', 2, '长租整租', true],
    );
    assert.deepEqual(
      [first.monthly_rent, first.rent_total, first.deposit_total, first.months],
      [MONTHLY, 6 * MONTHLY, MONTHLY, 6],
    );
    assert.match(first.created_at, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('filters by state and by tenant mobile, and pages', async () => {
    const byStatus = body(await get('/api/leases?status=5')).data;
    assert.deepEqual(
      [byStatus.total, byStatus.leases.map((l: { id: number }) => String(l.id))],
      [1, [retiring]],
    );
    const byMobile = body(await get(`/api/leases?mobile=${mobiles[1]}`)).data;
    assert.deepEqual(
      [byMobile.total, byMobile.leases.map((l: { id: number }) => String(l.id))],
      [1, [unpaid]],
    );
    assert.deepEqual(byMobile.totals, { rent_total: 6, deposit_total: 1 });
    const none = body(await get('/api/leases?mobile=13900000000')).data;
    assert.deepEqual([none.total, none.leases, none.page_count], [0, [], 0]);
    const paged = body(await get('/api/leases?page=2&page_size=1')).data;
    assert.deepEqual(
      [paged.total, paged.page, paged.page_size, paged.page_count, paged.leases.length],
      [2, 2, 1, 2, 1],
    );
    assert.equal(String(paged.leases[0].id), retiring);
  });

  it('refuses a bad filter with every field named in Chinese', async () => {
    const answer = await get('/api/leases?status=7&mobile=123&page=0&page_size=500');
    assert.equal(answer.statusCode, 200);
    const refused = body(answer);
    assert.equal(refused.code, 0);
    assert.deepEqual(
      refused.errors.map((e: { field: string }) => e.field),
      ['status', 'mobile', 'page', 'page_size'],
    );
    for (const e of refused.errors) assert.match(e.error, /[\u4e00-\u9fa5]/);
    assert.match(refused.msg, /状态/);
  });

  it('is the admin\u2019s: another role is refused, no session is refused', async () => {
    for (const url of ['/api/leases', `/api/leases/${retiring}`]) {
      const other = await get(url, kefu);
      assert.equal(other.statusCode, 403);
      assert.deepEqual(body(other), { code: 0, errors: [], msg: '需要管理员权限' });
      const anonymous = await t.app.inject({ url });
      assert.equal(anonymous.statusCode, 401);
      assert.deepEqual(body(anonymous), { code: 0, errors: [], msg: '请先登录' });
    }
    const moved = await complete(retiring, kefu);
    assert.equal(moved.statusCode, 403);
    assert.deepEqual(body(moved), { code: 0, errors: [], msg: '需要管理员权限' });
  });

  it('shows a lease with its installments, payments and the deposit held', async () => {
    const answer = await get(`/api/leases/${retiring}`);
    assert.equal(answer.statusCode, 200);
    const lease = body(answer).data;
    assert.equal(String(lease.id), retiring);
    assert.equal(lease.tenant_mobile, '13500001***');
    assert.equal(lease.deposit_held, BOOKING_FEE);
    assert.deepEqual(
      lease.installments.map((i: Record<string, unknown>) => [
        i.seq,
        i.rent_part,
        i.deposit_part,
        i.amount,
        i.paid,
      ]),
      [
        [1, 3 * MONTHLY, MONTHLY, 4 * MONTHLY, true],
        [2, 3 * MONTHLY, 0, 3 * MONTHLY, false],
      ],
    );
    assert.deepEqual(
      lease.payments.map((p: Record<string, unknown>) => [p.id, p.purpose, p.amount, p.channel, p.status]),
      [
        [bookingPaymentId, 'lease_booking', BOOKING_FEE, 'wechat_app', 'paid'],
        [installmentPaymentId, 'lease_installment', 4 * MONTHLY, 'wechat_app', 'paid'],
      ],
    );
    assert.deepEqual(lease.refunds, []);
  });

  it('answers 404 for an unknown lease and refuses an id that is not one', async () => {
    const unknown = await get('/api/leases/999999');
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual(body(unknown), { code: 0, errors: [], msg: '订单不存在' });
    const moved = await complete('999999');
    assert.equal(moved.statusCode, 404);
    assert.deepEqual(body(moved), { code: 0, errors: [], msg: '订单不存在' });
    const bad = await get('/api/leases/abc');
    assert.equal(bad.statusCode, 200);
    assert.deepEqual(body(bad), {
      code: 0,
      errors: [{ field: 'id', error: '编号格式不正确' }],
      msg: '编号格式不正确',
    });
    assert.deepEqual(
      body(bad).errors.map((e: { field: string }) => e.field),
      ['id'],
    );
  });

  it('answers 409 for a lease not moving out', async () => {
    const answer = await complete(unpaid);
    assert.equal(answer.statusCode, 409);
    assert.deepEqual(body(answer), { code: 0, errors: [], msg: '只有退租申请中的订单才能完成退租' });
  });

  it('completes a move-out: state 6 and a refund per payment; a second completion is 409', async () => {
    const answer = await complete(retiring);
    assert.equal(answer.statusCode, 200);
    const done = body(answer);
    assert.deepEqual([done.code, done.msg], [1, '退租完成']);
    assert.deepEqual(
      {
        ...done.data,
        refunds: done.data.refunds.map((r: Record<string, unknown>) => ({ ...r, out_refund_no: '…' })),
      },
      {
        id: Number(retiring),
        status: 6,
        status_label: '退租完成',
        refunds: [
          { out_refund_no: '…', payment_id: bookingPaymentId, amount: BOOKING_FEE, state: 'requested' },
          { out_refund_no: '…', payment_id: installmentPaymentId, amount: MONTHLY, state: 'requested' },
        ],
      },
    );
    for (const r of done.data.refunds) assert.match(r.out_refund_no, /^R\d{12}\d{12}$/);

    const again = await complete(retiring);
    assert.equal(again.statusCode, 409);
    assert.deepEqual(body(again), { code: 0, errors: [], msg: '只有退租申请中的订单才能完成退租' });

    // WeChat refunds them; the detail shows the refunds settled and nothing held.
    for (const r of done.data.refunds)
      assert.equal(await t.app.runtime.sandbox!.settleRefund(r.out_refund_no, 'SUCCESS'), SUCCESS_REPLY);
    const lease = body(await get(`/api/leases/${retiring}`)).data;
    assert.deepEqual([lease.status, lease.status_label, lease.deposit_held], [6, '退租完成', 0]);
    assert.deepEqual(
      lease.refunds.map((r: Record<string, unknown>) => [
        r.out_refund_no,
        r.payment_id,
        r.amount,
        r.state,
        r.reason,
      ]),
      done.data.refunds.map((r: Record<string, unknown>) => [
        r.out_refund_no,
        r.payment_id,
        r.amount,
        'succeeded',
        `lease_retirement:${retiring}`,
      ]),
    );
    for (const r of lease.refunds) assert.ok(r.settled_at);
    assert.deepEqual((await checkLedger(t.db.kysely)).problems, []);
    assert.deepEqual(await checkDeposits(t.db.kysely), { ok: true, disagreements: [] });
  });
});
