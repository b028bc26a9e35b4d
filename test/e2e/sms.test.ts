import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  SANDBOX_SMS_CREDENTIALS,
  type SmsSandbox,
  startSmsSandbox,
} from '../../src/platform/sms/sms-sandbox.js';
import { DEMO_TENANT_MOBILE } from '../../src/seed/demo-rental.js';
import { eventually, type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { createTestDatabase, type TestDatabase, testDialect } from '../helpers/test-database.js';

const RECEIPT_TOKEN = 'receipt-token-for-tests';
const COMMON = {
  FANGTONG_DEMO: '1',
  FANGTONG_JOBS: 'off',
  SMS_SIGN_NAME: '房通',
  SMS_TEMPLATE_LOGIN: 'SMS_1001',
  SMS_TEMPLATE_BIND_CARD: 'SMS_1002',
  // Long enough that a loaded machine's first send through an SDK is not cut off; the slow
  // provider below is held well past it.
  SMS_TIMEOUT_SECONDS: '3',
  SMS_RECEIPT_TOKEN: RECEIPT_TOKEN,
};

/**
 * The tenant's SMS login through each cloud provider's official SDK, from the real server
 * process to the local provider sandbox, which checks every request's signature as the cloud
 * would: codes arrive under the approved template, a refusal and an outage each answer in the
 * family's envelope with their own reason, an outage counts against no limit, a slow provider
 * is cut off by the timeout, and the provider's receipt reaches the delivery record.
 */
describe(`SMS through the provider SDKs, real server process (${testDialect()})`, {
  timeout: 180_000,
}, () => {
  let database: TestDatabase;
  let sandbox: SmsSandbox;
  const servers: Record<'aliyun' | 'tencent', ServerProcess | undefined> = {
    aliyun: undefined,
    tencent: undefined,
  };

  before(async () => {
    database = await createTestDatabase();
    sandbox = await startSmsSandbox({ credentials: SANDBOX_SMS_CREDENTIALS });
    const keys = SANDBOX_SMS_CREDENTIALS;
    servers.aliyun = await startServerProcess({
      ...COMMON,
      DATABASE_URL: database.url,
      SMS_PROVIDER: 'aliyun',
      ALIYUN_SMS_ENDPOINT: sandbox.url,
      ALIYUN_ACCESS_KEY_ID: keys.aliyun.accessKeyId,
      ALIYUN_ACCESS_KEY_SECRET: keys.aliyun.accessKeySecret,
    });
    servers.tencent = await startServerProcess({
      ...COMMON,
      DATABASE_URL: database.url,
      SMS_PROVIDER: 'tencent',
      TENCENT_SMS_ENDPOINT: sandbox.url,
      TENCENT_SECRET_ID: keys.tencent.secretId,
      TENCENT_SECRET_KEY: keys.tencent.secretKey,
      TENCENT_SMS_SDK_APP_ID: '1400000000',
    });
  });
  after(async () => {
    for (const server of Object.values(servers)) await server?.stop();
    await sandbox?.close();
    await database?.drop();
  });

  async function call(
    provider: 'aliyun' | 'tencent',
    url: string,
    payload: unknown,
  ): Promise<{ status: number; body: { code: number; msg?: string; data?: { token: string } } }> {
    const response = await fetch(servers[provider]!.url + url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(10_000),
    });
    return {
      status: response.status,
      body: (await response.json()) as { code: number; msg?: string; data?: { token: string } },
    };
  }

  const lastMessageTo = (phone: string) => sandbox.messages.filter((m) => m.phone.endsWith(phone)).at(-1);

  for (const provider of ['aliyun', 'tencent'] as const) {
    it(`${provider}: the login code arrives under the login template and logs the tenant in`, async () => {
      const mobile = provider === 'aliyun' ? DEMO_TENANT_MOBILE : '13700000001';
      assert.deepEqual(await call(provider, '/user_auth/send_code', { mobile }), {
        status: 200,
        body: { code: 0 },
      });
      const message = lastMessageTo(mobile)!;
      assert.equal(message.provider, provider);
      assert.equal(message.phone, provider === 'tencent' ? `+86${mobile}` : mobile);
      assert.equal(message.signName, '房通');
      assert.equal(message.templateId, 'SMS_1001');
      const code = Object.values(message.params)[0]!;
      assert.match(code, /^\d{6}$/);
      const login = await call(provider, '/user_auth/login', { mobile, code });
      assert.equal(login.body.code, 0);
      const token = login.body.data?.token ?? '';
      // 32 random bytes in base64url: may begin with '-' or '_'.
      assert.match(token, /^[\w-]{43}$/);
      const readAs = async (authorization: string) => {
        const response = await fetch(`${servers[provider]!.url}/user_order/read?id=1`, {
          headers: { authorization },
          signal: AbortSignal.timeout(10_000),
        });
        return ((await response.json()) as { msg?: string }).msg;
      };
      assert.equal(await readAs('Bearer not-a-token'), '请先登录');
      assert.notEqual(await readAs(`Bearer ${token}`), '请先登录');
    });
  }

  it("a refusal answers the provider's reason in the rental envelope and still counts", async () => {
    const mobile = '13700000002';
    sandbox.failNext('aliyun', 'isv.MOBILE_NUMBER_ILLEGAL');
    assert.deepEqual(await call('aliyun', '/user_auth/send_code', { mobile }), {
      status: 200,
      body: { code: -1, msg: '手机号码格式不正确' },
    });
    assert.deepEqual((await call('aliyun', '/user_auth/send_code', { mobile })).body, {
      code: -1,
      msg: '验证码发送过于频繁，请1分钟后再试',
    });
  });

  it('an outage answers 503 and does not use up the minute; the next send goes through', async () => {
    const mobile = '13700000003';
    sandbox.failNext('tencent', 'FailedOperation.InsufficientBalanceInSmsPackage');
    assert.deepEqual(await call('tencent', '/user_auth/send_code', { mobile }), {
      status: 503,
      body: { code: -1, msg: '短信服务暂时不可用，请稍后再试' },
    });
    assert.deepEqual((await call('tencent', '/user_auth/send_code', { mobile })).body, { code: 0 });
    assert.equal(lastMessageTo(mobile)?.provider, 'tencent');
  });

  it('a provider slower than SMS_TIMEOUT_SECONDS is cut off as unavailable', async () => {
    const mobile = '13700000004';
    sandbox.delayNext('aliyun', 9000);
    const started = Date.now();
    const answer = await call('aliyun', '/user_auth/send_code', { mobile });
    assert.deepEqual(answer, { status: 503, body: { code: -1, msg: '短信服务暂时不可用，请稍后再试' } });
    assert.ok(Date.now() - started < 6000, `answered after ${Date.now() - started} ms`);
  });

  it('pushed receipts update the delivery record: Aliyun by BizId, Tencent by SerialNo', async () => {
    const aliyun = sandbox.messages.find((m) => m.provider === 'aliyun')!;
    const tencent = sandbox.messages.find((m) => m.provider === 'tencent')!;
    const push = async (provider: string, token: string, body: unknown) => {
      const response = await fetch(`${servers.aliyun!.url}/sms/receipts/${provider}/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    };
    assert.deepEqual(
      await push('aliyun', RECEIPT_TOKEN, [
        { biz_id: aliyun.providerId, success: true, err_code: 'DELIVERED', err_msg: '用户接收成功' },
      ]),
      { status: 200, body: { code: 0, msg: '成功' } },
    );
    assert.deepEqual(
      await push('tencent', RECEIPT_TOKEN, [
        { sid: tencent.providerId, report_status: 'FAIL', errmsg: 'MK:0001', description: '空号' },
      ]),
      { status: 200, body: { result: 0, errmsg: 'OK' } },
    );
    assert.equal((await push('aliyun', 'wrong-token', [])).status, 404);
    const { openDatabase } = await import('../../src/database.js');
    const db = openDatabase(database.url);
    try {
      const rows = await eventually(async () => {
        const found = await db.kysely
          .selectFrom('sms_messages')
          .select(['provider', 'provider_id', 'status', 'error_code'])
          .where('provider_id', 'in', [aliyun.providerId, tencent.providerId])
          .orderBy('provider')
          .execute();
        return found.length === 2 ? found : undefined;
      });
      assert.deepEqual(rows, [
        { provider: 'aliyun', provider_id: aliyun.providerId, status: 'delivered', error_code: null },
        {
          provider: 'tencent',
          provider_id: tencent.providerId,
          status: 'undelivered',
          error_code: 'MK:0001',
        },
      ]);
      const phones = await db.kysely.selectFrom('sms_messages').select('phone_masked').execute();
      assert.ok(
        phones.every((p) => /^\d{8}\*{3}$/.test(p.phone_masked)),
        'no whole phone is stored',
      );
    } finally {
      await db.close();
    }
  });
});
