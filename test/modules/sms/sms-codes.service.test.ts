import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SMS_CODE_TTL_MS, sendSmsCode, verifySmsCode } from '../../../src/modules/sms/sms-codes.service.js';
import { recordSmsReceipt } from '../../../src/modules/sms/sms-message.repository.js';
import { fixedClock } from '../../../src/platform/clock.js';
import { createPii } from '../../../src/platform/pii.js';
import { maskedPhone, memorySmsProvider } from '../../../src/platform/sms/sms-provider.js';
import { rejectedDomainError } from '../../helpers/domain-errors.js';
import { openMigratedTestDatabase } from '../../helpers/test-database.js';

/** The migrated test database, typed as the helper opens it. */
type TestDb = Awaited<ReturnType<typeof openMigratedTestDatabase>>['db'];

const NOW = Date.parse('2024-06-01T10:00:00+08:00');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const pii = createPii(Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex'));

describe('SMS verification codes', () => {
  let db: TestDb;
  let close: () => Promise<void>;
  const sms = memorySmsProvider();
  let phoneCounter = 0;
  let ipCounter = 0;
  /** A phone and an address no other test has used, so each test starts with empty windows. */
  const freshPhone = () => `1380000${String(++phoneCounter).padStart(4, '0')}`;
  const freshIp = () => `10.0.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

  before(async () => {
    ({ db, close } = await openMigratedTestDatabase());
  });
  after(() => close());

  const templates = { login: 'SMS_1001', bind_card: 'SMS_1002', escrow: 'SMS_1003', parking: 'SMS_1004' };
  const deps = () => ({ db: db.kysely, pii, sms: { provider: sms, signName: '房通', templates } });
  const send = (phone: string, at: number, ip = freshIp(), purpose = 'tenant_login') =>
    sendSmsCode(deps(), { phone, purpose, ip }, at);
  const verify = (phone: string, code: string, at: number, purpose = 'tenant_login') =>
    verifySmsCode({ db: db.kysely, pii }, { phone, purpose, code }, at);
  /** The code in the last message sent to `phone`. */
  const lastCode = (phone: string) => {
    const message = sms.sent.filter((m) => m.phone === phone).at(-1);
    assert.ok(message, `no message to ${phone}`);
    return /您的验证码是(\d{6})，/.exec(message.text)![1]!;
  };
  const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  const rateLimit = async (run: () => Promise<unknown>) => {
    const error = await rejectedDomainError(run);
    assert.equal(error.code, 'rate_limited');
    return error.message;
  };

  it('texts a 6-digit code valid 5 minutes, and stores neither the code nor the phone in clear', async () => {
    const phone = freshPhone();
    assert.equal(await send(phone, NOW, '192.0.2.1'), undefined);
    const message = sms.sent.at(-1)!;
    assert.equal(message.phone, phone);
    assert.match(message.text, /^您的验证码是\d{6}，5分钟内有效，请勿告诉他人。$/);
    const code = lastCode(phone);
    const row = await db.kysely
      .selectFrom('sms_codes')
      .selectAll()
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(SMS_CODE_TTL_MS, 5 * MINUTE);
    assert.equal(Number(row.expires_at), NOW + 5 * MINUTE);
    assert.equal(Number(row.created_at), NOW);
    assert.equal(row.used_at, null);
    assert.equal(Number(row.attempts), 0);
    assert.equal(row.ip, '192.0.2.1');
    assert.equal(row.purpose, 'tenant_login');
    assert.notEqual(row.phone_hash, phone);
    assert.ok(!row.phone_hash.includes(phone.slice(3)));
    // A digest, not the code (whose six digits may occur in 32 hex characters by chance).
    assert.match(row.code_hash, /^[0-9a-f]{32,}$/);
    assert.notEqual(row.code_hash, code);
  });

  it('answers a phone nobody has the same as any other: nothing, and a code is sent', async () => {
    const never = '13999999999';
    assert.equal(await send(never, NOW), undefined);
    assert.match(sms.sent.at(-1)!.text, /^您的验证码是\d{6}，5分钟内有效，请勿告诉他人。$/);
    assert.equal(sms.sent.at(-1)!.phone, never);
  });

  it('sends one code a minute per phone: refused at 59.999 s, allowed at 60 s', async () => {
    const phone = freshPhone();
    await send(phone, NOW);
    const before = sms.sent.length;
    assert.equal(await rateLimit(() => send(phone, NOW + MINUTE - 1)), '验证码发送过于频繁，请1分钟后再试');
    assert.equal(sms.sent.length, before, 'a refused send texts nothing');
    await send(phone, NOW + MINUTE);
    assert.equal(sms.sent.length, before + 1);
  });

  it('counts the minute per phone, not per purpose or address', async () => {
    const phone = freshPhone();
    await send(phone, NOW, freshIp(), 'tenant_login');
    assert.equal(
      await rateLimit(() => send(phone, NOW + 1, freshIp(), 'bind_card')),
      '验证码发送过于频繁，请1分钟后再试',
    );
  });

  it('sends five codes an hour per phone: the sixth waits until the first is an hour old', async () => {
    const phone = freshPhone();
    for (let i = 0; i < 5; i++) await send(phone, NOW + i * 10 * MINUTE);
    assert.equal(await rateLimit(() => send(phone, NOW + HOUR - 1)), '验证码发送次数过多，请1小时后再试');
    await send(phone, NOW + HOUR);
  });

  it('sends ten codes a day per phone: the eleventh waits until the first is a day old', async () => {
    const phone = freshPhone();
    for (let i = 0; i < 10; i++) await send(phone, NOW + i * HOUR);
    assert.equal(await rateLimit(() => send(phone, NOW + 10 * HOUR)), '今日验证码发送次数已达上限');
    assert.equal(await rateLimit(() => send(phone, NOW + DAY - 1)), '今日验证码发送次数已达上限');
    await send(phone, NOW + DAY);
  });

  it('sends ten codes a minute from one address, to any phones; the eleventh is refused', async () => {
    const ip = freshIp();
    for (let i = 0; i < 10; i++) await send(freshPhone(), NOW + i, ip);
    const phone = freshPhone();
    assert.equal(await rateLimit(() => send(phone, NOW + MINUTE - 1, ip)), '请求过于频繁，请稍后再试');
    await send(phone, NOW + MINUTE - 1, freshIp());
    await send(freshPhone(), NOW + MINUTE + 9, ip);
  });

  it('lets only one of concurrent sends to one phone through', async () => {
    const phone = freshPhone();
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => send(phone, NOW)));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) {
      if (r.status === 'rejected')
        assert.equal((r.reason as Error).message, '验证码发送过于频繁，请1分钟后再试');
    }
  });

  it('accepts the right code once: a second use is refused', async () => {
    const phone = freshPhone();
    await send(phone, NOW);
    const code = lastCode(phone);
    assert.equal(await verify(phone, code, NOW + 1000), true);
    assert.equal(await verify(phone, code, NOW + 2000), false);
  });

  it('accepts the code until 5 minutes have passed: 299.999 s yes, 300 s no', async () => {
    const early = freshPhone();
    await send(early, NOW);
    assert.equal(await verify(early, lastCode(early), NOW + 5 * MINUTE - 1), true);
    const late = freshPhone();
    await send(late, NOW);
    assert.equal(await verify(late, lastCode(late), NOW + 5 * MINUTE), false);
  });

  it('voids the code after five wrong tries: after four the right one still works, after five it does not', async () => {
    const four = freshPhone();
    await send(four, NOW);
    const code4 = lastCode(four);
    for (let i = 0; i < 4; i++) assert.equal(await verify(four, wrong(code4), NOW + 1), false);
    assert.equal(await verify(four, code4, NOW + 2), true);

    const five = freshPhone();
    await send(five, NOW);
    const code5 = lastCode(five);
    for (let i = 0; i < 5; i++) assert.equal(await verify(five, wrong(code5), NOW + 1), false);
    assert.equal(await verify(five, code5, NOW + 2), false);
  });

  it('compares at most five of many concurrent guesses, so the code is void after them', async () => {
    const phone = freshPhone();
    await send(phone, NOW);
    const code = lastCode(phone);
    const guesses = await Promise.all(Array.from({ length: 12 }, () => verify(phone, wrong(code), NOW + 1)));
    assert.deepEqual(guesses, Array(12).fill(false));
    const row = await db.kysely
      .selectFrom('sms_codes')
      .select('attempts')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(Number(row.attempts), 5);
    assert.equal(await verify(phone, code, NOW + 2), false);
  });

  it('binds the code to its phone and purpose, and a try for another purpose costs this one nothing', async () => {
    const phone = freshPhone();
    await send(phone, NOW, freshIp(), 'tenant_login');
    const code = lastCode(phone);
    for (let i = 0; i < 6; i++) assert.equal(await verify(phone, code, NOW + 1, 'bind_card'), false);
    assert.equal(await verify(freshPhone(), code, NOW + 1), false);
    assert.equal(await verify(phone, code, NOW + 2, 'tenant_login'), true);
  });

  it('only the newest code counts once a new one is sent', async () => {
    const phone = freshPhone();
    await send(phone, NOW);
    const first = lastCode(phone);
    await send(phone, NOW + MINUTE);
    const second = lastCode(phone);
    if (first !== second) assert.equal(await verify(phone, first, NOW + MINUTE + 1), false);
    assert.equal(await verify(phone, second, NOW + MINUTE + 2), true);
  });

  it('runs on a fixed clock like the app: the same code expires when the clock moves past 5 minutes', async () => {
    const clock = fixedClock(NOW);
    const phone = freshPhone();
    await send(phone, clock.now());
    clock.advance(5 * MINUTE);
    assert.equal(await verify(phone, lastCode(phone), clock.now()), false);
  });

  const messageRows = (phone: string) =>
    db.kysely
      .selectFrom('sms_messages')
      .selectAll()
      .where('phone_hash', '=', pii.blindIndex(phone, 'mobile'))
      .orderBy('id')
      .execute();

  it("records each message it hands to the provider, masked, under the purpose's template", async () => {
    const phone = freshPhone();
    await send(phone, NOW);
    const sent = sms.sent.at(-1)!;
    assert.equal(sent.templateId, 'SMS_1001');
    assert.equal(sent.signName, '房通');
    assert.deepEqual(Object.keys(sent.params), ['code']);
    const [row] = await messageRows(phone);
    assert.equal(row?.status, 'sent');
    assert.equal(row?.purpose, 'tenant_login');
    assert.equal(row?.template_id, 'SMS_1001');
    assert.match(row?.provider_id ?? '', /^memory-\d+$/);
    assert.equal(row?.phone_masked, maskedPhone(phone));
  });

  it('an outage answers unavailable, keeps no code and counts against no limit', async () => {
    const phone = freshPhone();
    const ip = freshIp();
    sms.failWith({
      ok: false,
      kind: 'unavailable',
      code: 'TIMEOUT',
      message: '短信服务暂时不可用，请稍后再试',
    });
    const error = await rejectedDomainError(() => send(phone, NOW, ip));
    assert.deepEqual([error.code, error.message], ['unavailable', '短信服务暂时不可用，请稍后再试']);
    const codes = await db.kysely.selectFrom('sms_codes').select('id').where('ip', '=', ip).execute();
    assert.equal(codes.length, 0, 'no code stays behind a message that never left');
    const [failed] = await messageRows(phone);
    assert.deepEqual([failed?.status, failed?.error_code], ['failed', 'TIMEOUT']);
    // The same minute: the failed send did not use up the phone's one message.
    await send(phone, NOW + 1, ip);
    assert.equal(await verify(phone, lastCode(phone), NOW + 2), true);
  });

  it("a refusal answers refused with the provider's reason, voids the code and still counts", async () => {
    const phone = freshPhone();
    sms.failWith({
      ok: false,
      kind: 'refused',
      code: 'isv.MOBILE_NUMBER_ILLEGAL',
      message: '手机号码格式不正确',
    });
    const error = await rejectedDomainError(() => send(phone, NOW));
    assert.deepEqual([error.code, error.message], ['refused', '手机号码格式不正确']);
    assert.equal(await rateLimit(() => send(phone, NOW + 1)), '验证码发送过于频繁，请1分钟后再试');
    const codes = await db.kysely
      .selectFrom('sms_codes')
      .select('used_at')
      .where('phone_hash', '=', pii.blindIndex(phone, 'mobile'))
      .execute();
    assert.deepEqual(codes, [{ used_at: NOW }], 'the refused code can never be spent');
    const [failed] = await messageRows(phone);
    assert.deepEqual([failed?.status, failed?.error_code], ['failed', 'isv.MOBILE_NUMBER_ILLEGAL']);
  });

  it('a purpose without an approved template texts nothing and counts nothing', async () => {
    const phone = freshPhone();
    const before = sms.sent.length;
    const error = await rejectedDomainError(() =>
      sendSmsCode(
        { ...deps(), sms: { provider: sms, signName: '房通', templates: {} } },
        { phone, purpose: 'tenant_login', ip: freshIp() },
        NOW,
      ),
    );
    assert.equal(error.code, 'unavailable');
    assert.equal(sms.sent.length, before);
    await send(phone, NOW + 1);
  });

  it('a delivery receipt updates the message it names, once', async () => {
    const phone = freshPhone();
    await send(phone, NOW);
    const [row] = await messageRows(phone);
    const receipt = {
      provider: 'log',
      providerId: row!.provider_id!,
      delivered: false,
      code: 'MK:0001',
      message: '空号',
    };
    assert.equal(await recordSmsReceipt(db.kysely, receipt, NOW + 5), true);
    assert.equal(await recordSmsReceipt(db.kysely, { ...receipt, delivered: true }, NOW + 6), false);
    assert.equal(await recordSmsReceipt(db.kysely, { ...receipt, providerId: 'nobody' }, NOW + 6), false);
    const [after] = await messageRows(phone);
    assert.deepEqual(
      [after?.status, after?.error_code, after?.updated_at],
      ['undelivered', 'MK:0001', NOW + 5],
    );
  });
});
