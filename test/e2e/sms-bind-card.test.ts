import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { idCardCheckDigit } from '../../src/core/id-card.js';
import { partnerSign } from '../../src/core/signing.js';
import { type Db, openDatabase } from '../../src/database.js';
import { createStaff } from '../../src/modules/staff/index.js';
import {
  SANDBOX_SMS_CREDENTIALS,
  type SmsSandbox,
  startSmsSandbox,
} from '../../src/platform/sms/sms-sandbox.js';
import { CUSTOMER_FORM } from '../dialects/mianqian/fixtures.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { createTestDatabase, type TestDatabase, testDialect } from '../helpers/test-database.js';

type Provider = 'aliyun' | 'tencent';

const UA = 'SH_XJ360_POA';
const KEY = 'marketplace-key-0123456789';
const SIGN_NAME = '房通';
const BIND_TEMPLATE = 'SMS_1002';
const BUSY = '短信服务暂时不可用，请稍后再试';
const COMMON = {
  FANGTONG_JOBS: 'off',
  SMS_SIGN_NAME: SIGN_NAME,
  SMS_TEMPLATE_LOGIN: 'SMS_1001',
  SMS_TEMPLATE_BIND_CARD: BIND_TEMPLATE,
  SMS_TIMEOUT_SECONDS: '2',
};

/** One borrower per provider, so neither test's SMS minute or bound card touches the other's. */
const BORROWERS: Record<
  Provider,
  { name: string; mobile: string; id: string; card: string; masked: string; outage: string }
> = {
  tencent: {
    name: '刘先森',
    mobile: '13912345678',
    id: `11010519900101001${idCardCheckDigit('11010519900101001')}`,
    card: '6222020200000000006', // ICBC debit BIN 622202, Luhn-valid
    masked: '622202*********0006',
    outage: 'FailedOperation.InsufficientBalanceInSmsPackage',
  },
  aliyun: {
    name: '陈女士',
    mobile: '13987654321',
    id: `11010519880202002${idCardCheckDigit('11010519880202002')}`,
    card: '6222080200000000003', // ICBC BIN 622208, Luhn-valid
    masked: '622208*********0003',
    outage: 'isv.AMOUNT_NOT_ENOUGH',
  },
};

/**
 * Family 4's bank-card bind step over HTTP against the real `fangtong serve` process: the SMS
 * code goes out through each cloud provider's official SDK to the local provider sandbox (which
 * checks the SDK's signature as the cloud would), under the bind-card template and the sign name;
 * the partner binds with that code; a provider outage answers 505 with its reason and uses up no
 * limit, so the next attempt at once texts a code.
 */
describe(`bank-card binding texts its code through the provider SDKs, real server process (${testDialect()})`, {
  timeout: 180_000,
}, () => {
  let database: TestDatabase;
  let db: Db;
  let sandbox: SmsSandbox;
  const servers: Record<Provider, ServerProcess | undefined> = { aliyun: undefined, tencent: undefined };
  const tokens: Record<'admin' | 'kefu' | 'mianshen' | 'mianqian', string> = {
    admin: '',
    kefu: '',
    mianshen: '',
    mianqian: '',
  };

  before(async () => {
    database = await createTestDatabase();
    sandbox = await startSmsSandbox({ credentials: SANDBOX_SMS_CREDENTIALS });
    const keys = SANDBOX_SMS_CREDENTIALS;
    servers.tencent = await startServerProcess({
      ...COMMON,
      DATABASE_URL: database.url,
      SMS_PROVIDER: 'tencent',
      TENCENT_SMS_ENDPOINT: sandbox.url,
      TENCENT_SECRET_ID: keys.tencent.secretId,
      TENCENT_SECRET_KEY: keys.tencent.secretKey,
      TENCENT_SMS_SDK_APP_ID: '1400000000',
    });
    servers.aliyun = await startServerProcess({
      ...COMMON,
      DATABASE_URL: database.url,
      SMS_PROVIDER: 'aliyun',
      ALIYUN_SMS_ENDPOINT: sandbox.url,
      ALIYUN_ACCESS_KEY_ID: keys.aliyun.accessKeyId,
      ALIYUN_ACCESS_KEY_SECRET: keys.aliyun.accessKeySecret,
    });
    db = openDatabase(database.url);
    for (const role of Object.keys(tokens) as (keyof typeof tokens)[]) {
      const username = `e2e-${role}`;
      await createStaff(db.kysely, { username, password: 'secret-pass', roles: [role] }, Date.now(), 'test');
      const login = await api('tencent', '/api/auth/login', { username, password: 'secret-pass' });
      assert.equal(login.code, 1, JSON.stringify(login));
      tokens[role] = login.data.token;
    }
    const partner = await api('tencent', '/api/partners', { ua: UA, signkey: KEY, calls: '*' }, tokens.admin);
    assert.equal(partner.code, 1, JSON.stringify(partner));
    assert.equal(partner.data.ua, UA);
  });
  after(async () => {
    for (const server of Object.values(servers)) await server?.stop();
    await db?.close();
    await sandbox?.close();
    await database?.drop();
  });

  // biome-ignore lint/suspicious/noExplicitAny: answers read by the assertions
  async function api(provider: Provider, url: string, payload: unknown, token?: string): Promise<any> {
    const response = await fetch(servers[provider]!.url + url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(10_000),
    });
    assert.equal(response.status, 200, `${url} answered ${response.status}`);
    return response.json();
  }

  /** An order the partner brought, passed at 客服 and 面审, with the borrower saved at 面签. */
  async function borrowerOrder(provider: Provider): Promise<string> {
    const who = BORROWERS[provider];
    const created = await api(
      provider,
      '/api/loan-orders',
      {
        order_type: 1,
        city: '北京市',
        appointment_time: '2030-06-02 10:00',
        customer_name: who.name,
        partner_ua: UA,
        partner_order_id: `po-${provider}-59841a25c768b00e`,
      },
      tokens.kefu,
    );
    assert.equal(created.code, 1, JSON.stringify(created));
    const id = created.data.son_order_id as string;
    for (const role of ['kefu', 'mianshen'] as const) {
      const passed = await api(provider, `/api/loan-orders/${id}/pass`, {}, tokens[role]);
      assert.equal(passed.code, 1, JSON.stringify(passed));
    }
    const saved = await api(
      provider,
      '/order_mianqian/save_customer_info',
      {
        ...CUSTOMER_FORM,
        son_order_id: id,
        name: who.name,
        mobile: who.mobile,
        id_card: who.id,
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
      tokens.mianqian,
    );
    assert.equal(saved.code, 1, JSON.stringify(saved));
    return id;
  }

  /** BindCard.applyBindCard through the gateway, signed as the platform signs, stamped by the real clock. */
  async function bind(
    provider: Provider,
    args: Record<string, unknown>,
  ): Promise<{ status: number; message: string; response: Record<string, unknown> }> {
    const call = 'BindCard.applyBindCard';
    const text = JSON.stringify(args);
    const response = await fetch(`${servers[provider]!.url}/partner/gateway`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        ua: UA,
        call,
        args: text,
        sign: partnerSign(UA, KEY, call, text),
        timestamp: String(Math.floor(Date.now() / 1000)),
      }).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    assert.equal(response.status, 200);
    return (await response.json()) as { status: number; message: string; response: Record<string, unknown> };
  }

  for (const provider of ['tencent', 'aliyun'] as const) {
    it(`${provider}: an outage answers 505 and counts nothing; the code then arrives under the bind-card template and binds the card`, async () => {
      const who = BORROWERS[provider];
      const orderSn = await borrowerOrder(provider);
      const args = {
        order_sn: orderSn,
        bank_code: 'ICBC',
        user_name: who.name,
        user_idcard: who.id,
        card_number: who.card,
        card_phone: who.mobile,
        user_phone: who.mobile,
      };
      const toThisPhone = () => sandbox.messages.filter((m) => m.phone.endsWith(who.mobile));

      sandbox.failNext(provider, who.outage);
      const down = await bind(provider, { ...args, echo_data: `${provider}-down` });
      assert.equal(down.status, 1, JSON.stringify(down));
      assert.deepEqual(down.response, { bind_status: '505', remark: BUSY });
      assert.equal(toThisPhone().length, 0, 'the refused send left no message');

      // At once: the outage used up no minute, so this attempt texts a code.
      const asked = await bind(provider, { ...args, echo_data: `${provider}-ask` });
      assert.deepEqual(asked.response, {
        bind_status: '100',
        remark: '需短信验证码，请输入已发送的验证码重新绑卡',
      });
      const sent = toThisPhone();
      assert.equal(sent.length, 1);
      const message = sent[0]!;
      assert.equal(message.provider, provider);
      assert.equal(message.phone, provider === 'tencent' ? `+86${who.mobile}` : who.mobile);
      assert.equal(message.templateId, BIND_TEMPLATE);
      assert.equal(message.signName, SIGN_NAME);
      const params = Object.values(message.params);
      assert.equal(params.length, 1);
      const code = params[0]!;
      assert.match(code, /^\d{6}$/);

      const wrong = code === '000000' ? '111111' : '000000';
      assert.deepEqual(
        (await bind(provider, { ...args, echo_data: `${provider}-wrong`, verify_code: wrong })).response,
        { bind_status: '505', remark: '验证码错误或已失效' },
      );
      // A new echo_data makes a new signature: an identical call would be refused as a replay.
      const bound = await bind(provider, { ...args, echo_data: `${provider}-bind`, verify_code: code });
      assert.deepEqual(bound.response, { bind_status: '200', remark: 'success' });
      assert.deepEqual((await bind(provider, { ...args, echo_data: `${provider}-again` })).response, {
        bind_status: '200',
        remark: `已绑定${who.masked}`,
      });
      assert.equal(toThisPhone().length, 1, 'binding with the code texted nothing more');

      const card = await db.kysely
        .selectFrom('bank_cards')
        .selectAll()
        .where('card_masked', '=', who.masked)
        .executeTakeFirstOrThrow();
      assert.equal(card.bank_code, 'ICBC');
      assert.equal(card.order_sn, orderSn);
      assert.ok(!card.card_enc.includes(who.card), 'the card number is stored encrypted');
      // The delivery record: the outage's send and the code's send, masked phone, provider's ids.
      const records = await db.kysely
        .selectFrom('sms_messages')
        .select(['purpose', 'provider', 'template_id', 'provider_id', 'status', 'error_code'])
        .where('phone_masked', '=', `${who.mobile.slice(0, 8)}***`)
        .orderBy('id')
        .execute();
      const record = { purpose: 'bind_card', provider, template_id: BIND_TEMPLATE };
      assert.deepEqual(records, [
        { ...record, provider_id: null, status: 'failed', error_code: who.outage },
        { ...record, provider_id: message.providerId, status: 'sent', error_code: null },
      ]);
    });
  }
});
