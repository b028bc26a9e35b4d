import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { idCardCheckDigit } from '../../../src/core/id-card.js';
import { partnerSign } from '../../../src/core/signing.js';
import { platformMd5 } from '../../../src/modules/partner/index.js';
import { memorySmsProvider } from '../../../src/platform/sms/sms-provider.js';
import { FakePlatform } from '../../helpers/fake-platform.js';
import { bearer, body, startTestApp, type TestApp } from '../../helpers/test-app.js';
import { CUSTOMER_FORM } from '../mianqian/fixtures.js';

const UA = 'SH_XJ360_POA';
const KEY = 'marketplace-key-0123456789';
const ID = `11010519900101001${idCardCheckDigit('11010519900101001')}`;
const MOBILE = '13912345678';
const NAME = '刘先森';
const CARD = '6222020200000000006'; // ICBC debit BIN 622202, Luhn-valid
/** BindCard.applyBindCard for our borrower's own card and phone. */
const BIND_ARGS = {
  order_sn: '246964109149933',
  bank_code: 'ICBC',
  user_name: NAME,
  user_idcard: ID,
  card_number: CARD,
  card_phone: MOBILE,
  user_phone: MOBILE,
};

describe('the partner gateway: admission, card binding and callbacks to the platform', () => {
  let t: TestApp;
  const platform = new FakePlatform(KEY);
  const sms = memorySmsProvider();
  let admin: string;
  let sonOrderId: string;
  before(async () => {
    await platform.start();
    t = await startTestApp({ sms });
    await t.app.runtime.modules.partner.create(
      { ua: UA, signkey: KEY, calls: '*', callbackUrl: platform.url },
      t.clock.now(),
      'test',
    );
    admin = await t.tokenFor('admin');
    sonOrderId = await borrowerOrder();
  });
  after(async () => {
    await t.close();
    platform.close();
  });

  /** An order the platform brought, with our borrower saved at 面签. */
  async function borrowerOrder(): Promise<string> {
    const kefu = await t.tokenFor('kefu');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/loan-orders',
      headers: bearer(kefu),
      payload: {
        order_type: 1,
        city: '北京市',
        appointment_time: '2024-06-02 10:00',
        customer_name: NAME,
        partner_ua: UA,
        partner_order_id: '59841a25c768b00e27ba3226',
      },
    });
    const id = body(created).data.son_order_id as string;
    for (const role of ['kefu', 'mianshen'] as const) {
      await t.app.inject({
        method: 'POST',
        url: `/api/loan-orders/${id}/pass`,
        headers: bearer(await t.tokenFor(role)),
        payload: {},
      });
    }
    const saved = await t.app.inject({
      method: 'POST',
      url: '/order_mianqian/save_customer_info',
      headers: bearer(await t.tokenFor('mianqian')),
      payload: {
        ...CUSTOMER_FORM,
        son_order_id: id,
        name: NAME,
        mobile: MOBILE,
        id_card: ID,
        age: '',
        sex: '',
        marital_tatus: '0',
        marry_date: '',
        link_name: '',
        link_mobile: '',
        link_id_card: '',
        link_is_execute: '',
        link_unit_is_execute: '',
      },
    });
    assert.equal(body(saved).code, 1, saved.body);
    return id;
  }

  const gateway = async (call: string, args: Record<string, unknown>) => {
    const text = JSON.stringify(args);
    const res = await t.app.inject({
      method: 'POST',
      url: '/partner/gateway',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        ua: UA,
        call,
        args: text,
        sign: partnerSign(UA, KEY, call, text),
        timestamp: String(Math.floor(t.clock.now() / 1000)),
      }).toString(),
    });
    return res.json() as { status: number; message: string; response: Record<string, unknown> };
  };
  // The signature does not cover the timestamp, so a repeated identical call is a replay by
  // design; like the platform, each request here differs (a serial the check ignores).
  let serial = 0;
  const accept = (over: Record<string, string> = {}) =>
    gateway('User.isUserAccept', {
      serial: ++serial,
      user_name: NAME,
      user_phone: `${MOBILE.slice(0, 8)}***`,
      user_idcard: `${ID.slice(0, 14)}****`,
      md5: platformMd5(MOBILE, ID),
      ...over,
    }).then((r) => r.response);

  it('finds our borrower by the md5 and refuses while the loan is unfinished (401, with a date)', async () => {
    assert.deepEqual(await accept(), { result: 401, can_loan_time: '2024-07-01' });
  });

  it('treats near-misses as nobody: another name, other visible digits, no md5', async () => {
    const product = {
      result: 200,
      amount: 300_000_000,
      min_amount: 10_000_000,
      terms: [1, 2, 3, 4, 5, 6, 12],
      term_type: 2,
      loan_mode: 0,
    };
    assert.deepEqual(await accept({ user_name: '刘先生' }), product);
    assert.deepEqual(await accept({ user_phone: '13912340***' }), product);
    assert.deepEqual(
      await gateway('User.isUserAccept', {
        user_name: NAME,
        user_phone: `${MOBILE.slice(0, 8)}***`,
        user_idcard: `${ID.slice(0, 14)}****`,
      }).then((r) => r.response),
      product,
    );
  });

  it('refuses by age from the visible birth date (301)', async () => {
    assert.deepEqual(await accept({ user_idcard: '11010520100101****', md5: '0'.repeat(32) }), {
      result: 301,
      can_loan_time: '2032-01-01',
      remark: '用户年龄未满可借年龄',
    });
    assert.deepEqual(await accept({ user_idcard: '11010519400101****', md5: '0'.repeat(32) }), {
      result: 301,
      can_loan_time: '',
      remark: '用户年龄超过可借年龄',
    });
  });

  it('reports bad args of the check by field', async () => {
    const res = await gateway('User.isUserAccept', {
      user_name: NAME,
      user_phone: '13912345678',
      user_idcard: ID,
    });
    assert.equal(res.status, 1009);
    assert.equal(
      res.message,
      'args参数错误：用户手机号须为掩后3位的手机号；用户身份证号码须为掩后4位的身份证号',
    );
  });

  it('a bind whose SMS the provider cannot send answers 505 with the reason, not a wrong code, and binds nothing', async () => {
    const args = { ...BIND_ARGS, echo_data: 'sms-down' };
    sms.failWith({
      ok: false,
      kind: 'unavailable',
      code: 'TIMEOUT',
      message: '短信服务暂时不可用，请稍后再试',
    });
    assert.deepEqual((await gateway('BindCard.applyBindCard', args)).response, {
      bind_status: '505',
      remark: '短信服务暂时不可用，请稍后再试',
    });
    sms.failWith({
      ok: false,
      kind: 'refused',
      code: 'isv.DAY_LIMIT_CONTROL',
      message: '该号码今日接收短信已达上限，请明天再试',
    });
    // The outage counted nothing, so this send reaches the provider, which refuses it.
    assert.deepEqual(
      (await gateway('BindCard.applyBindCard', { ...args, echo_data: 'sms-refused' })).response,
      {
        bind_status: '505',
        remark: '该号码今日接收短信已达上限，请明天再试',
      },
    );
    const cards = await t.db.kysely.selectFrom('bank_cards').select('id').execute();
    assert.equal(cards.length, 0);
    // The refusal used up this phone's minute: the bind test below sends its code a minute later.
    t.clock.advance(60_000);
  });

  it('binds a card: the first request sends an SMS code (100), the repeat with the code binds (200)', async () => {
    const args = { ...BIND_ARGS, echo_data: '{pid: 123456}' };
    assert.deepEqual((await gateway('BindCard.applyBindCard', args)).response, {
      bind_status: '100',
      remark: '需短信验证码，请输入已发送的验证码重新绑卡',
    });
    const code = /(\d{6})/.exec(sms.sent.at(-1)!.text)![1]!;
    assert.equal(sms.sent.at(-1)!.phone, MOBILE);
    assert.deepEqual((await gateway('BindCard.applyBindCard', { ...args, verify_code: code })).response, {
      bind_status: '200',
      remark: 'success',
    });
    const card = await t.db.kysely.selectFrom('bank_cards').selectAll().executeTakeFirstOrThrow();
    assert.equal(card.card_masked, '622202*********0006');
    assert.ok(!card.card_enc.includes(CARD));
    assert.deepEqual(
      (await gateway('BindCard.applyBindCard', { ...args, echo_data: 'again' })).response,
      { bind_status: '200', remark: '已绑定622202*********0006' },
      'the same card again: bound at once',
    );
    const other = '6222080200000000003';
    assert.deepEqual((await gateway('BindCard.applyBindCard', { ...args, card_number: other })).response, {
      bind_status: '505',
      remark: '已绑定银行卡622202*********0006，不允许更换绑卡',
    });
    const callbacks = await t.db.kysely
      .selectFrom('partner_callbacks')
      .selectAll()
      .where('call', '=', 'PartnerGate.BindCard.bindFeedback')
      .execute();
    assert.ok(
      callbacks.some(
        (c) => JSON.parse(c.args).bind_status === '200' && JSON.parse(c.args).echo_data === '{pid: 123456}',
      ),
    );
  });

  it('refuses a card of another bank or a bad number (402) and an identity that does not match (401), then locks out after 5 failures (501) for 24 hours', async () => {
    const stranger = `11010519850505002${idCardCheckDigit('11010519850505002')}`;
    let n = 0;
    // echo_data differs per request, as the platform's does, so no request is a replay.
    const bind = async (over: Record<string, string>) =>
      (
        await gateway('BindCard.applyBindCard', {
          bank_code: 'ICBC',
          user_name: '张三',
          user_idcard: stranger,
          card_number: CARD,
          card_phone: MOBILE,
          user_phone: MOBILE,
          echo_data: `e${++n}`,
          ...over,
        })
      ).response;
    assert.equal((await bind({ bank_code: 'BOC' })).bind_status, '402', 'an ICBC BIN claimed as BOC');
    assert.equal((await bind({ card_number: '6222020200000000005' })).bind_status, '402', 'Luhn fails');
    assert.equal((await bind({})).bind_status, '401', 'nobody we know');
    assert.equal((await bind({})).bind_status, '401');
    assert.equal((await bind({})).bind_status, '401');
    assert.deepEqual(await bind({}), { bind_status: '501', remark: '绑卡失败次数超限，请24小时后重试！' });
    t.clock.advance(86_400_001);
    assert.equal((await bind({})).bind_status, '401', 'the window passed');
    t.clock.advance(-86_400_001);
  });

  it('calls the platform back when our workflow decides, once, retrying until it answers status 1', async () => {
    await t.db.kysely.deleteFrom('partner_callbacks').execute();
    platform.received = [];
    for (const role of ['mianqian', 'quanzheng', 'shencha']) {
      const token = await t.tokenFor(role as 'kefu');
      const url = role === 'mianqian' ? '/order_mianqian/order_pass' : `/api/loan-orders/${sonOrderId}/pass`;
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers: bearer(token),
        payload: { son_order_id: sonOrderId },
      });
      assert.equal(body(res).code, 1, res.body);
    }
    assert.equal(
      (await t.db.kysely.selectFrom('partner_callbacks').selectAll().execute()).length,
      0,
      'no decision yet',
    );
    // Two 终审 clerks at once: one decision, so one callback.
    const zhongshen = [await t.tokenFor('zhongshen'), await t.tokenFor('zhongshen')];
    await Promise.all(
      zhongshen.map((token) =>
        t.app.inject({
          method: 'POST',
          url: `/api/loan-orders/${sonOrderId}/pass`,
          headers: bearer(token),
          payload: { reason: '审核通过' },
        }),
      ),
    );
    const queued = await t.db.kysely.selectFrom('partner_callbacks').selectAll().execute();
    assert.equal(queued.length, 1);
    assert.deepEqual(JSON.parse(queued[0]!.args), {
      order_id: '59841a25c768b00e27ba3226',
      approve_result: 'OK',
      approve_message: '审核通过',
    });

    platform.answers = [0, 0];
    await t.app.runtime.jobs.tick();
    assert.equal(platform.received.length, 1);
    let row = await t.db.kysely.selectFrom('partner_callbacks').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual([row.status, row.attempts], ['pending', 1]);
    assert.match(row.last_error!, /status=0/);
    await t.app.runtime.jobs.tick();
    assert.equal(platform.received.length, 1, 'not before its backoff');
    t.clock.advance(15_000);
    await t.app.runtime.jobs.tick();
    t.clock.advance(60_000);
    await t.app.runtime.jobs.tick();
    row = await t.db.kysely.selectFrom('partner_callbacks').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual([row.status, row.attempts], ['delivered', 3]);
    assert.equal(platform.received.length, 3);
    assert.ok(platform.received.every((r) => r.signed && r.call === 'PartnerGate.Order.approveFeedback'));
    t.clock.advance(3_600_000);
    await t.app.runtime.jobs.tick();
    assert.equal(platform.received.length, 3, 'never sent again once delivered');
    const list = body(
      await t.app.inject({ url: '/api/partner-callbacks?status=delivered', headers: bearer(admin) }),
    ).data.callbacks;
    assert.equal(list[0].attempts, 3);
  });

  it('answers 505 after a recent refusal, 403 on our blacklist, 402 after a stop for cause — by admin rules', async () => {
    assert.equal((await accept()).result, 200, 'the approved loan is finished');
    const mianqian = await t.tokenFor('mianqian');
    const stop = (id: string, extra: Record<string, string> = {}) =>
      t.app.inject({
        method: 'POST',
        url: '/order_mianqian/order_stop',
        headers: bearer(mianqian),
        payload: { son_order_id: id, ...extra },
      });
    assert.equal(body(await stop(await borrowerOrder())).code, 1);
    assert.deepEqual(await accept(), {
      result: 505,
      can_loan_time: '2024-07-01',
      remark: '您之前的借款订单未通过审核，2024年07月01日可再次申请。',
    });
    const rules = body(await t.app.inject({ url: '/api/partner-rules', headers: bearer(admin) })).data;
    const invalid = await t.app.inject({
      method: 'PUT',
      url: '/api/partner-rules',
      headers: bearer(admin),
      payload: { ...rules, min_age: 40, max_age: 30 },
    });
    assert.deepEqual(body(invalid).errors, [{ field: 'max_age', error: '最大年龄不能小于最小年龄' }]);
    const shorter = await t.app.inject({
      method: 'PUT',
      url: '/api/partner-rules',
      headers: bearer(admin),
      payload: { ...rules, refuse_days: 0 },
    });
    assert.equal(body(shorter).data.refuse_days, 0);
    assert.equal((await accept()).result, 200, 'no cool-off any more');

    const kefu = await t.tokenFor('kefu');
    const notAdmin = await t.app.inject({
      method: 'POST',
      url: '/api/partner-blacklist',
      headers: bearer(kefu),
      payload: { id_card: ID, reason: 'x' },
    });
    assert.equal(notAdmin.statusCode, 403);
    const listed = await t.app.inject({
      method: 'POST',
      url: '/api/partner-blacklist',
      headers: bearer(admin),
      payload: { id_card: ID, mobile: MOBILE, reason: '征信黑名单' },
    });
    assert.equal(body(listed).code, 1);
    assert.deepEqual(await accept(), {
      result: 403,
      can_loan_time: '',
      remark: '该用户是征信系统黑名单用户',
    });

    assert.equal(body(await stop(await borrowerOrder(), { bad_record: '1' })).code, 1);
    assert.deepEqual(await accept(), { result: 402, can_loan_time: '', remark: '用户在机构有不良借款记录' });
  });
});
