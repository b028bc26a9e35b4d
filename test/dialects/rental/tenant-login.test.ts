import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { memorySmsProvider } from '../../../src/platform/sms/sms-provider.js';
import { bearer, body, startTestApp, type TestApp } from '../../helpers/test-app.js';

describe('tenant login by mobile + SMS code', () => {
  let t: TestApp;
  const sms = memorySmsProvider();
  before(async () => {
    t = await startTestApp({ sms });
  });
  after(() => t.close());

  const send = (mobile: string, ip = '10.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/user_auth/send_code', payload: { mobile }, remoteAddress: ip });
  const login = (mobile: string, code: string) =>
    t.app.inject({ method: 'POST', url: '/user_auth/login', payload: { mobile, code } });
  const lastCode = (mobile: string) => {
    const message = sms.sent.filter((m) => m.phone === mobile).at(-1)!;
    return /(\d{6})/.exec(message.text)![1]!;
  };

  it('sends a 6-digit code, logs in with it once, and the token opens the app', async () => {
    assert.deepEqual(body(await send('13900000001')), { code: 0 });
    const code = lastCode('13900000001');
    assert.match(code, /^\d{6}$/);
    const stored = await t.db.kysely.selectFrom('sms_codes').selectAll().execute();
    // Digests, not the code (whose six digits may occur in 32 hex characters by chance).
    assert.ok(
      stored.every((s) => /^[0-9a-f]{32,}$/.test(s.code_hash)),
      'codes are stored hashed',
    );
    const res = body(await login('13900000001', code));
    assert.equal(res.code, 0);
    assert.match(res.data.token, /^[\w-]{43}$/);
    const read = await t.app.inject({ url: '/user_order/read?id=1', headers: bearer(res.data.token) });
    assert.equal(read.statusCode, 200, 'authenticated (the payment simply does not exist)');
    assert.equal(body(await login('13900000001', code)).msg, '验证码错误或已失效', 'single use');
  });

  it('refuses the app without a token, in the family envelope', async () => {
    const res = await t.app.inject({ url: '/user_contract/read?id=3' });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(body(res), { code: -1, msg: '请先登录' });
  });

  it('limits sends per phone: one a minute, five an hour, ten a day', async () => {
    const phone = '13900000002';
    assert.equal(body(await send(phone)).code, 0);
    const again = await send(phone);
    assert.equal(again.statusCode, 429);
    assert.deepEqual(body(again), { code: -1, msg: '验证码发送过于频繁，请1分钟后再试' });
    for (let i = 0; i < 4; i++) {
      t.clock.advance(61_000);
      assert.equal(body(await send(phone)).code, 0);
    }
    t.clock.advance(61_000);
    assert.equal(body(await send(phone)).msg, '验证码发送次数过多，请1小时后再试');
    for (let i = 0; i < 5; i++) {
      t.clock.advance(3_600_000);
      assert.equal(body(await send(phone)).code, 0, `send ${i + 6}`);
    }
    t.clock.advance(3_600_000);
    assert.equal(body(await send(phone)).msg, '今日验证码发送次数已达上限');
  });

  it('limits sends per client IP to ten a minute', async () => {
    t.clock.advance(86_400_000);
    for (let i = 0; i < 10; i++) assert.equal(body(await send(`1370000000${i}`, '10.9.9.9')).code, 0);
    assert.equal(body(await send('13711111111', '10.9.9.9')).msg, '请求过于频繁，请稍后再试');
  });

  it('expires a code after 5 minutes', async () => {
    t.clock.advance(86_400_000);
    await send('13900000003');
    const code = lastCode('13900000003');
    t.clock.advance(5 * 60_000 + 1);
    assert.equal(body(await login('13900000003', code)).code, -1);
  });

  it('voids a code after 5 wrong tries, even for the right code after', async () => {
    t.clock.advance(86_400_000);
    await send('13900000004');
    const code = lastCode('13900000004');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) assert.equal(body(await login('13900000004', wrong)).code, -1);
    const res = await login('13900000004', code);
    assert.equal(res.statusCode, 401);
    assert.deepEqual(body(res), { code: -1, msg: '验证码错误或已失效' });
  });

  it('names bad input in the envelope', async () => {
    assert.deepEqual(body(await send('12345')), {
      code: -1,
      msg: '手机号不是有效的手机号码',
      errors: [{ field: 'mobile', error: '手机号不是有效的手机号码' }],
    });
    const res = body(await login('', 'abc'));
    assert.equal(res.msg, '手机号不能为空；验证码为6位数字');
  });
});
