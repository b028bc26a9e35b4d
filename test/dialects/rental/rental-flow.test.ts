import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { balance, checkLedger } from '../../../src/modules/ledger/index.js';
import { checkDeposits, depositAccount } from '../../../src/modules/tenants/index.js';
import { memorySmsProvider } from '../../../src/platform/sms/sms-provider.js';
import { signV2 } from '../../../src/platform/wechat-pay/v2-sign.js';
import { DEMO_ENTRUST_ID, DEMO_TENANT_DEPOSIT, DEMO_TENANT_MOBILE } from '../../../src/seed/demo-rental.js';
import { leaseForm } from '../../helpers/lease-form.js';
import { bearer, body, startTestApp, type TestApp } from '../../helpers/test-app.js';

describe('the rental app: contract, lease order, pay, booking, move-out', () => {
  let t: TestApp;
  const sms = memorySmsProvider();
  let demoTenant: string;
  let otherTenant: string;
  before(async () => {
    t = await startTestApp({ demo: true, sms });
    demoTenant = await tenantToken(DEMO_TENANT_MOBILE);
    otherTenant = await tenantToken('13900009999');
  });
  after(() => t.close());

  async function tenantToken(mobile: string): Promise<string> {
    await t.app.inject({ method: 'POST', url: '/user_auth/send_code', payload: { mobile } });
    const code = /(\d{6})/.exec(sms.sent.filter((m) => m.phone === mobile).at(-1)!.text)![1];
    return body(await t.app.inject({ method: 'POST', url: '/user_auth/login', payload: { mobile, code } }))
      .data.token;
  }
  const get = (url: string, token: string) => t.app.inject({ url, headers: bearer(token) }).then(body);
  const post = (url: string, token: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url, headers: bearer(token), payload }).then(body);
  const save = (token: string, change: Record<string, string> = {}) =>
    post('/user_contract/save', token, { ...leaseForm(), ...change });
  /** Pays an order's first installment through WeChat, the sandbox paying it at once. */
  const payFirstInstallment = async (token: string, order: { id: string; u_p_id: string }) => {
    const pay = await post('/user_order/longPay', token, {
      id: order.id,
      is_d_deposit: 0,
      u_p_id: order.u_p_id,
    });
    const payment = await t.db.kysely
      .selectFrom('payments')
      .selectAll()
      .where('id', '=', pay.data.id)
      .executeTakeFirstOrThrow();
    await t.app.runtime.sandbox!.pay(payment.out_trade_no);
  };
  /** The deposit the platform holds for the demo tenant, in fen. */
  const held = async () => {
    const hash = t.app.runtime.pii.blindIndex(DEMO_TENANT_MOBILE, 'mobile');
    const row = await t.db.kysely
      .selectFrom('tenants')
      .select('deposit_held')
      .where('mobile_hash', '=', hash)
      .executeTakeFirstOrThrow();
    return Number(row.deposit_held);
  };

  it("reads the spec's example contract (entrust 3, 树海)", async () => {
    const res = await get(`/user_contract/read?id=${DEMO_ENTRUST_ID}`, demoTenant);
    assert.equal(res.code, 0);
    assert.deepEqual(res.data.entrust, {
      id: 3,
      h_address: '树海',
      is_settle: 0,
      water: '100',
      electric: '200',
      gas: '90',
      s_phone: '13725554033',
      facility: res.data.entrust.facility,
      other: '',
    });
    assert.equal(res.data.entrust.facility.deduct, 50000);
    assert.deepEqual(
      res.data.entrust.facility.cost.map((c: { name: string }) => c.name),
      ['水', '电', '气'],
    );
    assert.deepEqual(res.data.sale, {
      name: '测试账号袁',
      phone: '13725554033',
      title: '内光华门店',
      store_name: '王大锤',
      store_phone: '15181474781',
    });
    assert.deepEqual(res.data.house, { h_l_rent: 1, is_all_pay: 0, name: '全付(押一)', rent: 0, bet: 1 });
    assert.deepEqual(await get('/user_contract/read?id=999', demoTenant), { code: -1, msg: '房源不存在' });
  });

  it('saves the lease order with rent, deposit, months and total as the spec shows', async () => {
    const res = await save(demoTenant);
    assert.equal(res.code, 0, JSON.stringify(res));
    assert.deepEqual(
      { ...res.data, id: 'x', u_p_id: 'y' },
      {
        id: 'x',
        u_p_id: 'y',
        community: '光华中心',
        h_floor: '9楼/9层',
        unit: '9栋9单元9号',
        rent: 6,
        deposit: 1,
        month: 6,
        total: 7,
      },
    );
    assert.match(res.data.id, /^\d+$/);
    const lease = await t.db.kysely
      .selectFrom('leases')
      .selectAll()
      .where('id', '=', Number(res.data.id))
      .executeTakeFirstOrThrow();
    assert.equal(lease.status, 0);
    assert.ok(
      !lease.t_id_card_enc.includes('11010519491231002X') && !lease.t_phone_enc.includes('13812345678'),
    );
  });

  it('splits a 押一付三 lease into installments', async () => {
    const res = await save(demoTenant, { h_i_id: '1', r_e_time: '2025-04-09' });
    assert.deepEqual(
      [res.data.rent, res.data.deposit, res.data.month, res.data.total],
      [2_500_000, 250_000, 10, 2_750_000],
    );
    const parts = await t.db.kysely
      .selectFrom('lease_installments')
      .select(['seq', 'amount', 'due_date'])
      .where('lease_id', '=', Number(res.data.id))
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      parts.map((p) => [p.seq, Number(p.amount), p.due_date]),
      [
        [1, 1_000_000, '2024-06-10'],
        [2, 750_000, '2024-09-10'],
        [3, 750_000, '2024-12-10'],
        [4, 250_000, '2025-03-10'],
      ],
    );
  });

  it('reports every bad field of the form at once', async () => {
    const res = await save(demoTenant, {
      t_name: '张',
      t_phone: '123',
      t_id_card: '110105194912310021',
      r_s_time: '2024-06-10',
      r_e_time: '2024-06-01',
      p_time: '{oops',
      mode: '7',
      m_store: '店',
      h_address: '',
    });
    assert.equal(res.code, -1);
    assert.deepEqual(
      res.errors.map((e: { field: string }) => e.field),
      ['t_name', 't_phone', 't_id_card', 'h_address', 'r_e_time', 'p_time', 'mode', 'm_store'],
    );
    assert.equal(
      res.msg,
      '租户姓名不能少于2个字符；租户手机号不是有效的手机号码；租户身份证号码校验位不正确；房源详细地址不能为空；到期时间必须晚于入住时间；付款时间段不是有效的JSON；租住方式不在可选范围内；经办人门店名不能少于2个字符',
    );
    assert.deepEqual((await save(demoTenant, { h_i_id: '999' })).msg, '房源不存在');
    assert.deepEqual((await save(demoTenant, { h_i_id: '1', r_id: '1' })).msg, '房间不属于该房源');
  });

  const rules: Array<[string, Record<string, string>, string]> = [
    ['a missing name', { t_name: '' }, '租户姓名不能为空'],
    ['a 17-character name', { t_name: '张'.repeat(17) }, '租户姓名不能超过16个字符'],
    ['a landline as tenant phone', { t_phone: '02812345678' }, '租户手机号不是有效的手机号码'],
    ['an ID with an impossible date', { t_id_card: '110105194902300012' }, '租户身份证号码出生日期不正确'],
    ['a one-character address', { h_address: '树' }, '房源详细地址不能少于2个字符'],
    ['a 161-character address', { h_address: '路'.repeat(161) }, '房源详细地址不能超过160个字符'],
    ['a move-in date that is not a date', { r_s_time: '2024-13-01' }, '入住时间不是有效日期(YYYY-MM-DD)'],
    ['a move-in date in the past', { r_s_time: '2024-05-01' }, '入住时间不能早于今天'],
    ['an end date equal to the start', { r_e_time: '2024-06-10' }, '到期时间必须晚于入住时间'],
    ['a lease over 60 months', { r_e_time: '2030-06-10' }, '租期不能超过60个月'],
    ['life that is not JSON', { life: 'water=1' }, '生活数据不是有效的JSON'],
    ['facility that is a bare string', { facility: '"洗衣机"' }, '房间设施不是有效的JSON'],
    ['is_pay outside 0/1', { is_pay: '2' }, '是否代付不在可选范围内'],
    ['is_settle missing', { is_settle: '' }, '是否结清不能为空'],
    ['a bad supervision phone', { s_phone: '123' }, '监督电话不是有效的手机号码'],
    ['a house id that is not a number', { h_i_id: 'abc' }, '房源id必须是整数'],
    ['a bad agent name', { m_name: '袁' }, '经办人姓名不能少于2个字符'],
    ['a bad agent phone', { m_phone: '1372555403' }, '经办人手机号不是有效的手机号码'],
    ['a bad store phone', { m_s_phone: 'x' }, '经办人门店电话不是有效的手机号码'],
    ['a 256-character note', { other: '注'.repeat(256) }, '其他说明不能超过255个字符'],
    ['zero people', { people_num: '0' }, '入住人数不能小于1'],
  ];
  for (const [what, change, message] of rules) {
    it(`save refuses ${what}`, async () => {
      const before = await t.db.kysely
        .selectFrom('leases')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.deepEqual(await save(demoTenant, change), {
        code: -1,
        msg: message,
        errors: [{ field: Object.keys(change)[0], error: message }],
      });
      const after = await t.db.kysely
        .selectFrom('leases')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(after.n), Number(before.n), 'nothing written');
    });
  }

  it('pays without the deposit through WeChat; the sandbox pays; read shows 1; then retirement', async () => {
    const order = (await save(otherTenant)).data;
    const pay = await post('/user_order/longPay', otherTenant, {
      id: order.id,
      is_d_deposit: 0,
      u_p_id: order.u_p_id,
    });
    assert.equal(pay.code, 0);
    assert.deepEqual(Object.keys(pay.data).sort(), [
      'appid',
      'id',
      'noncestr',
      'package',
      'partnerid',
      'prepayid',
      'sign',
      'timestamp',
    ]);
    assert.equal(typeof pay.data.id, 'number');
    const { id: _id, sign, ...six } = pay.data;
    assert.equal(sign, signV2(six, t.app.runtime.payments.wechat.merchant.apiKey, 'MD5'));
    assert.deepEqual(await get(`/user_order/read?id=${pay.data.id}`, otherTenant), {
      code: 0,
      data: { total: 7, status: 0 },
    });
    const payment = await t.db.kysely
      .selectFrom('payments')
      .selectAll()
      .where('id', '=', pay.data.id)
      .executeTakeFirstOrThrow();
    await t.app.runtime.sandbox!.pay(payment.out_trade_no);
    assert.deepEqual(await get(`/user_order/read?id=${pay.data.id}`, otherTenant), {
      code: 0,
      data: { total: 7, status: 1 },
    });
    const lease = await t.db.kysely
      .selectFrom('leases')
      .select('status')
      .where('id', '=', Number(order.id))
      .executeTakeFirstOrThrow();
    assert.equal(lease.status, 1);
    assert.equal(
      (
        await post('/user_order/longPay', otherTenant, {
          id: order.id,
          is_d_deposit: 0,
          u_p_id: order.u_p_id,
        })
      ).msg,
      '该期已支付',
    );
    assert.deepEqual(await get(`/user_order/getMonth?id=${order.id}`, otherTenant), {
      code: 0,
      data: [
        { month: 3, rent: 3 },
        { month: 6, rent: 6 },
        { month: 12, rent: 12 },
      ],
    });
    assert.deepEqual(await post('/user_order/retirement', otherTenant, { id: order.id }), { code: 0 });
    assert.equal(
      (await post('/user_order/retirement', otherTenant, { id: order.id })).msg,
      '只有已支付、已入住、已续租或已逾期的订单才能申请退租',
    );
  });

  it("refuses another tenant's order and payment as if they did not exist", async () => {
    const order = (await save(otherTenant)).data;
    assert.deepEqual(
      await post('/user_order/longPay', demoTenant, { id: order.id, is_d_deposit: 0, u_p_id: order.u_p_id }),
      { code: -1, msg: '订单不存在' },
    );
    assert.deepEqual(await post('/user_order/retirement', demoTenant, { id: order.id }), {
      code: -1,
      msg: '订单不存在',
    });
    assert.deepEqual(await get(`/user_order/getMonth?id=${order.id}`, demoTenant), {
      code: -1,
      msg: '订单不存在',
    });
    const pay = await post('/user_order/longPay', otherTenant, {
      id: order.id,
      is_d_deposit: 0,
      u_p_id: order.u_p_id,
    });
    assert.deepEqual(await get(`/user_order/read?id=${pay.data.id}`, demoTenant), {
      code: -1,
      msg: '支付记录不存在',
    });
  });

  it('pays with the held deposit when it covers the amount: no WeChat, just the id', async () => {
    const before = await held();
    assert.equal(before, DEMO_TENANT_DEPOSIT);
    const order = (await save(demoTenant)).data;
    const pay = await post('/user_order/longPay', demoTenant, {
      id: order.id,
      is_d_deposit: 1,
      u_p_id: order.u_p_id,
    });
    assert.deepEqual(pay, { code: 0, data: { id: pay.data.id } });
    assert.equal(typeof pay.data.id, 'string');
    assert.deepEqual(await get(`/user_order/read?id=${pay.data.id}`, demoTenant), {
      code: 0,
      data: { total: 7, status: 1 },
    });
    assert.equal(await held(), before - 7);
  });

  it('deducts what the deposit holds and asks WeChat for the rest; a failed payment gives the deposit back', async () => {
    const before = await held();
    const order = (await save(demoTenant, { h_i_id: '1' })).data;
    const first = await t.db.kysely
      .selectFrom('lease_installments')
      .select('amount')
      .where('id', '=', Number(order.u_p_id))
      .executeTakeFirstOrThrow();
    const pay = await post('/user_order/longPay', demoTenant, {
      id: order.id,
      is_d_deposit: 1,
      u_p_id: order.u_p_id,
    });
    assert.ok(pay.data.prepayid);
    assert.equal(await held(), 0);
    const payment = await t.db.kysely
      .selectFrom('payments')
      .selectAll()
      .where('id', '=', pay.data.id)
      .executeTakeFirstOrThrow();
    assert.equal(
      Number(payment.amount),
      Number(first.amount) - before,
      'WeChat collects only the difference',
    );
    await t.app.runtime.sandbox!.fail(payment.out_trade_no);
    assert.deepEqual(await get(`/user_order/read?id=${pay.data.id}`, demoTenant), {
      code: 0,
      data: { total: Number(payment.amount), status: 2 },
    });
    assert.equal(await held(), before, 'the deposit set aside came back');
  });

  it('opens one payment for concurrent pays of one installment', async () => {
    const order = (await save(otherTenant)).data;
    const results = await Promise.all(
      [0, 1, 2].map(() =>
        post('/user_order/longPay', otherTenant, { id: order.id, is_d_deposit: 0, u_p_id: order.u_p_id }),
      ),
    );
    assert.ok(
      results.every((r) => r.code === 0),
      JSON.stringify(results),
    );
    assert.equal(new Set(results.map((r) => r.data.id)).size, 1);
    const open = await t.db.kysely
      .selectFrom('payments')
      .select('id')
      .where('subject_id', '=', order.u_p_id)
      .where('purpose', '=', 'lease_installment')
      .execute();
    assert.equal(open.length, 1);
  });

  it('books an unpaid order: the fee paid through WeChat becomes deposit held for the tenant', async () => {
    const before = await held();
    const order = (await save(demoTenant, { h_i_id: '1' })).data;
    const booking = await post('/user_order/booking', demoTenant, {
      id: order.id,
      is_d_deposit: 0,
      u_p_id: order.u_p_id,
    });
    assert.equal(booking.code, 0);
    assert.ok(booking.data.prepayid);
    const payment = await t.db.kysely
      .selectFrom('payments')
      .selectAll()
      .where('id', '=', booking.data.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(payment.amount), 50_000);
    await t.app.runtime.sandbox!.pay(payment.out_trade_no);
    assert.equal(await held(), before + 50_000);
    assert.equal(
      (await post('/user_order/booking', demoTenant, { id: order.id, is_d_deposit: 1, u_p_id: order.u_p_id }))
        .msg,
      '该订单已预订',
    );
    // With the deposit covering the fee, booking answers just {code: 0}.
    const second = (await save(demoTenant, { h_i_id: '1' })).data;
    assert.deepEqual(
      await post('/user_order/booking', demoTenant, {
        id: second.id,
        is_d_deposit: 1,
        u_p_id: second.u_p_id,
      }),
      { code: 0 },
    );
  });

  it('allows retirement only for 长租 modes and paid states', async () => {
    const shortTerm = (await save(otherTenant, { mode: '1' })).data;
    await payFirstInstallment(otherTenant, shortTerm);
    assert.equal(
      (await post('/user_order/retirement', otherTenant, { id: shortTerm.id })).msg,
      '只有长租整租和长租合租的订单才能申请退租',
    );
    const unpaid = (await save(otherTenant)).data;
    assert.equal(
      (await post('/user_order/retirement', otherTenant, { id: unpaid.id })).msg,
      '只有已支付、已入住、已续租或已逾期的订单才能申请退租',
    );
  });

  it('jobs: unpaid orders expire after a day; leases past their end become overdue', async () => {
    const unpaid = (await save(otherTenant)).data;
    const paid = (await save(otherTenant)).data;
    await payFirstInstallment(otherTenant, paid);
    t.clock.advance(200 * 86_400_000);
    await t.app.runtime.jobs.tick();
    const status = async (id: string) =>
      (
        await t.db.kysely
          .selectFrom('leases')
          .select('status')
          .where('id', '=', Number(id))
          .executeTakeFirstOrThrow()
      ).status;
    assert.equal(await status(unpaid.id), 9);
    assert.equal(await status(paid.id), 4);
  });

  it('after the whole flow the ledger adds up and every deposit_held equals its ledger account', async () => {
    const report = await checkLedger(t.db.kysely);
    assert.deepEqual(report.problems, []);
    assert.ok(report.transfers > 0, 'deposits moved through the ledger');
    assert.deepEqual(await checkDeposits(t.db.kysely), { ok: true, disagreements: [] });
    const hash = t.app.runtime.pii.blindIndex(DEMO_TENANT_MOBILE, 'mobile');
    const tenant = await t.db.kysely
      .selectFrom('tenants')
      .select('id')
      .where('mobile_hash', '=', hash)
      .executeTakeFirstOrThrow();
    assert.equal((await balance(t.db.kysely, depositAccount(Number(tenant.id)))).net, await held());
  });
});
