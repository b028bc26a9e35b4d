import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import tencentSms from 'tencentcloud-sdk-nodejs-sms';
import { TENCENT_SMS_ERRORS } from '../../../src/platform/sms/sms-provider.js';
import { type SmsSandbox, startSmsSandbox } from '../../../src/platform/sms/sms-sandbox.js';
import { tencentSmsProvider } from '../../../src/platform/sms/tencent-provider.js';

const credentials = {
  aliyun: { accessKeyId: 'LTAI-sandbox', accessKeySecret: 'aliyun-secret' },
  tencent: { secretId: 'AKID-sandbox', secretKey: 'tencent-secret' },
};
const message = {
  phone: '13800138000',
  templateId: '1234567',
  params: { code: '123456', minutes: '5' },
  signName: '房通',
};

let sandbox: SmsSandbox;
before(async () => {
  sandbox = await startSmsSandbox({ credentials });
});
after(() => sandbox.close());

const provider = (overrides: { secretId?: string; secretKey?: string; timeoutMs?: number } = {}) =>
  tencentSmsProvider({
    ...credentials.tencent,
    smsSdkAppId: '1400000000',
    endpoint: sandbox.url,
    ...overrides,
  });

test('a message goes through the SDK as +86… with positional params and comes back with its SerialNo', async () => {
  const result = await provider().send(message);
  assert.equal(result.ok, true);
  const recorded = sandbox.messages.at(-1);
  assert.equal(recorded?.provider, 'tencent');
  assert.equal(recorded?.phone, '+8613800138000');
  assert.equal(recorded?.templateId, '1234567');
  assert.equal(recorded?.signName, '房通');
  assert.deepEqual(recorded?.params, { 1: '123456', 2: '5' });
  assert.ok(result.ok && result.providerId === recorded?.providerId && result.requestId !== '');
});

test('each mapped Tencent code comes back with its kind and user message', async () => {
  for (const [code, entry] of Object.entries(TENCENT_SMS_ERRORS)) {
    sandbox.failNext('tencent', code);
    const result = await provider().send(message);
    assert.deepEqual(
      { ...result, requestId: undefined },
      { ok: false, kind: entry.kind, code, message: entry.message, requestId: undefined },
      code,
    );
    assert.ok(!result.ok && typeof result.requestId === 'string', `${code} carries the request id`);
  }
});

test('the per-number limits are refusals the user can read', async () => {
  sandbox.failNext('tencent', 'LimitExceeded.PhoneNumberThirtySecondLimit');
  const r = await provider().send(message);
  assert.equal(!r.ok && r.kind, 'refused');
  assert.equal(!r.ok && r.message, '发送过于频繁，请稍后再试');
});

test('a wrong SecretKey fails the sandbox signature check: AuthFailure.SignatureFailure, unavailable', async () => {
  const count = sandbox.messages.length;
  const result = await provider({ secretKey: 'wrong-key' }).send(message);
  assert.equal(!result.ok && result.code, 'AuthFailure.SignatureFailure');
  assert.equal(!result.ok && result.kind, 'unavailable');
  assert.equal(sandbox.messages.length, count);
  assert.ok(!JSON.stringify(result).includes('wrong-key') && !JSON.stringify(result).includes('13800138000'));
});

test('an unknown SecretId is AuthFailure.SecretIdNotFound', async () => {
  const result = await provider({ secretId: 'AKID-nobody' }).send(message);
  assert.equal(!result.ok && result.code, 'AuthFailure.SecretIdNotFound');
  assert.equal(!result.ok && result.kind, 'unavailable');
});

test('a send slower than the timeout is unavailable TIMEOUT, within the bound', async () => {
  sandbox.delayNext('tencent', 1500);
  const started = Date.now();
  const result = await provider({ timeoutMs: 300 }).send(message);
  const took = Date.now() - started;
  assert.deepEqual(result, {
    ok: false,
    kind: 'unavailable',
    code: 'TIMEOUT',
    message: '短信服务暂时不可用，请稍后再试',
  });
  assert.ok(took < 1000, `took ${took} ms`);
});

test('PullSmsSendStatus reports SUCCESS, or FAIL with the receipt code set by failNext, once each', async () => {
  const client = new tencentSms.sms.v20210111.Client({
    credential: credentials.tencent,
    region: 'ap-guangzhou',
    profile: { httpProfile: { endpoint: new URL(sandbox.url).host, protocol: 'http://' } },
  });
  await client.PullSmsSendStatus({ SmsSdkAppId: '1400000000', Limit: 100 }); // drain earlier sends
  const ok = await provider().send(message);
  sandbox.failNext('tencent', 'MT_BLACKLIST', 1, 'delivery');
  const failed = await provider().send({ ...message, phone: '13900139000' });
  assert.ok(ok.ok && failed.ok);
  const pulled = await client.PullSmsSendStatus({ SmsSdkAppId: '1400000000', Limit: 100 });
  assert.deepEqual(
    pulled.PullSmsSendStatusSet?.map((s) => [s.SerialNo, s.PhoneNumber, s.ReportStatus]),
    [
      [ok.ok && ok.providerId, '+8613800138000', 'SUCCESS'],
      [failed.ok && failed.providerId, '+8613900139000', 'FAIL'],
    ],
  );
  assert.equal(pulled.PullSmsSendStatusSet?.[1]?.Description, 'MT_BLACKLIST');
  const again = await client.PullSmsSendStatus({ SmsSdkAppId: '1400000000', Limit: 100 });
  assert.deepEqual(again.PullSmsSendStatusSet, []);
});
