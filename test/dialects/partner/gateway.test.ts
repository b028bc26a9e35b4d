import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { partnerSign } from '../../../src/core/signing.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

const UA = 'SH_XJ360_POA';
const KEY = 'test-signkey-0123456789';

describe('the marketplace partner gateway (family 4): signed calls in', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await t.app.runtime.modules.partner.create(
      { ua: UA, signkey: KEY, calls: '*', callbackUrl: 'http://127.0.0.1:9/callback' },
      t.clock.now(),
      'test',
    );
    await t.app.runtime.modules.partner.create(
      { ua: 'LIMITED', signkey: KEY, calls: ['User.isUserAccept'] },
      t.clock.now(),
      'test',
    );
  });
  after(() => t.close());

  /** The fake platform: signs exactly as the protocol says and posts a form. */
  const call = (call: string, args: unknown, over: Record<string, string> = {}, ua = UA) => {
    const argsText = typeof args === 'string' ? args : JSON.stringify(args);
    const form = {
      ua,
      call,
      args: argsText,
      sign: partnerSign(ua, KEY, call, argsText),
      timestamp: String(Math.floor(t.clock.now() / 1000)),
      ...over,
    };
    return t.app.inject({
      method: 'POST',
      url: '/partner/gateway',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(form).toString(),
    });
  };

  it('signs as signKey = ua + key + ua; sign = md5(signKey + call + signKey + args + signKey), lowercase hex', () => {
    const signKey = `${UA}${KEY}${UA}`;
    const expected = createHash('md5')
      .update(`${signKey}BindCard.getValidBankList${signKey}{"card_type":"1"}${signKey}`)
      .digest('hex');
    assert.equal(partnerSign(UA, KEY, 'BindCard.getValidBankList', '{"card_type":"1"}'), expected);
    assert.match(expected, /^[0-9a-f]{32}$/);
  });

  it("answers the bank list: all 23 banks with the spec's codes, or those of one card type", async () => {
    const res = await call('BindCard.getValidBankList', {});
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.status, 1);
    assert.equal(body.message, 'success');
    assert.deepEqual(
      body.response.map((b: { bank_code: string }) => b.bank_code),
      [
        'ICBC',
        'ABC',
        'BOC',
        'CCB',
        'BCOM',
        'CMBC',
        'CMB',
        'POST',
        'PAB',
        'CITIC',
        'CEB',
        'CIB',
        'GDB',
        'HXB',
        'NJCB',
        'SPDB',
        'BOB',
        'HZB',
        'NBCB',
        'CZB',
        'HSB',
        'CBHB',
        'HKBANK',
      ],
    );
    assert.deepEqual(Object.keys(body.response[0]), ['bank_name', 'bank_code', 'bank_title', 'bank_icon']);
    assert.equal(body.response[0].bank_name, '工商银行');
    const credit = (await call('BindCard.getValidBankList', { card_type: '1' })).json().response;
    assert.ok(credit.length > 0 && credit.length < 23);
    assert.ok(
      !credit.some((b: { bank_code: string }) => b.bank_code === 'POST'),
      'POST issues no credit cards here',
    );
  });

  const failures: Array<
    [string, () => Promise<{ statusCode: number; json(): unknown }>, number, number, string]
  > = [
    [
      'a missing parameter',
      () => call('BindCard.getValidBankList', {}, { sign: '' }),
      400,
      1001,
      '缺少公共参数',
    ],
    [
      'an unknown ua',
      () => call('BindCard.getValidBankList', {}, {}, 'NOBODY'),
      401,
      1002,
      'ua不存在或已停用',
    ],
    [
      'a bad signature',
      () => call('BindCard.getValidBankList', {}, { sign: '0'.repeat(32) }),
      401,
      1003,
      '签名错误',
    ],
    [
      'args changed after signing',
      () => call('BindCard.getValidBankList', {}, { args: '{"card_type":"2"}' }),
      401,
      1003,
      '签名错误',
    ],
    [
      'a stale timestamp',
      () =>
        call(
          'BindCard.getValidBankList',
          { a: 1 },
          { timestamp: String(Math.floor(t.clock.now() / 1000) - 601) },
        ),
      401,
      1004,
      'timestamp缺失或与服务器时间相差超过10分钟',
    ],
    [
      'a missing timestamp',
      () => call('BindCard.getValidBankList', { a: 2 }, { timestamp: '' }),
      401,
      1004,
      'timestamp缺失或与服务器时间相差超过10分钟',
    ],
    ['an unknown call', () => call('Order.fly', {}), 404, 1006, '接口不存在'],
    // Names of Object.prototype's methods are no calls either (the fuzz found valueOf answering 500).
    ['a call named after an object method', () => call('valueOf', {}), 404, 1006, '接口不存在'],
    ['a call named __proto__', () => call('__proto__', {}), 404, 1006, '接口不存在'],
    [
      'a call the partner may not make',
      () => call('BindCard.getValidBankList', { b: 1 }, {}, 'LIMITED'),
      403,
      1007,
      '无权调用该接口',
    ],
    [
      'args that are not JSON',
      () => call('BindCard.getValidBankList', '{card_type:1'),
      400,
      1008,
      'args不是合法的JSON字符串',
    ],
    [
      'args that are a JSON array',
      () => call('BindCard.getValidBankList', '[1]'),
      400,
      1008,
      'args不是合法的JSON字符串',
    ],
    [
      'args failing their schema',
      () => call('BindCard.getValidBankList', { card_type: '3' }),
      200,
      1009,
      'args参数错误：银行卡类型不在可选范围内',
    ],
  ];
  for (const [what, request, http, status, message] of failures) {
    it(`refuses ${what} with status ${status}`, async () => {
      const res = await request();
      assert.equal(res.statusCode, http);
      assert.deepEqual(res.json(), { status, message, response: null });
    });
  }

  it('refuses the right signature in upper-case hex: the rule is lowercase', async () => {
    const args = '{"card_type": "1"}';
    const sign = partnerSign(UA, KEY, 'BindCard.getValidBankList', args);
    const upper = await call('BindCard.getValidBankList', args, { sign: sign.toUpperCase() });
    assert.equal(upper.statusCode, 401);
    assert.deepEqual(upper.json(), { status: 1003, message: '签名错误', response: null });
    const lower = await call('BindCard.getValidBankList', args, { sign });
    assert.equal(lower.json().status, 1, 'a refused signature is not remembered');
  });

  it('accepts a (ua, sign) pair once: the replay is refused', async () => {
    const args = JSON.stringify({ card_type: '2' });
    const form = { sign: partnerSign(UA, KEY, 'BindCard.getValidBankList', args) };
    assert.equal((await call('BindCard.getValidBankList', args, form)).json().status, 1);
    const replay = await call('BindCard.getValidBankList', args, form);
    assert.equal(replay.statusCode, 401);
    assert.deepEqual(replay.json(), { status: 1005, message: '重复的请求', response: null });
  });

  it('logs every call — who, which call, outcome, time — without its arguments', async () => {
    const rows = await t.db.kysely.selectFrom('partner_call_log').selectAll().orderBy('id').execute();
    assert.ok(rows.length >= failures.length + 3);
    assert.ok(rows.some((r) => r.ua === UA && r.call === 'BindCard.getValidBankList' && r.status === 1));
    assert.ok(rows.some((r) => r.ua === 'NOBODY' && r.status === 1002));
    assert.ok(rows.every((r) => r.created_at === t.clock.now()));
    const columns = Object.keys(rows[0]!);
    assert.deepEqual(columns.sort(), ['call', 'created_at', 'id', 'message', 'result', 'status', 'ua']);
  });

  it('stores the signing key encrypted', async () => {
    const row = await t.db.kysely
      .selectFrom('partners')
      .selectAll()
      .where('ua', '=', UA)
      .executeTakeFirstOrThrow();
    assert.ok(!row.signkey_enc.includes(KEY));
    assert.ok(row.signkey_enc.startsWith('v1.'));
  });
});
