import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { aliyunSmsProvider } from '../../../src/platform/sms/aliyun-provider.js';
import { aliyunRpcSignature } from '../../../src/platform/sms/aliyun-signature.js';
import { ALIYUN_SMS_ERRORS } from '../../../src/platform/sms/sms-provider.js';
import { type SmsSandbox, startSmsSandbox } from '../../../src/platform/sms/sms-sandbox.js';

const credentials = {
  aliyun: { accessKeyId: 'LTAI-sandbox', accessKeySecret: 'aliyun-secret' },
  tencent: { secretId: 'AKID-sandbox', secretKey: 'tencent-secret' },
};
const message = {
  phone: '13800138000',
  templateId: 'SMS_154950909',
  params: { code: '123456' },
  signName: '房通',
};

let sandbox: SmsSandbox;
before(async () => {
  sandbox = await startSmsSandbox({ credentials });
});
after(() => sandbox.close());

const provider = (overrides: { accessKeySecret?: string; timeoutMs?: number } = {}) =>
  aliyunSmsProvider({ ...credentials.aliyun, endpoint: sandbox.url, ...overrides });

test('a message goes through the SDK to the sandbox and comes back with its BizId', async () => {
  const result = await provider().send(message);
  assert.equal(result.ok, true);
  assert.ok(result.ok && /\^0$/.test(result.providerId) && result.requestId !== '');
  const recorded = sandbox.messages.at(-1);
  assert.equal(recorded?.provider, 'aliyun');
  assert.equal(recorded?.phone, '13800138000');
  assert.equal(recorded?.templateId, 'SMS_154950909');
  assert.equal(recorded?.signName, '房通');
  assert.deepEqual(recorded?.params, { code: '123456' });
  assert.equal(result.ok && recorded?.providerId, result.ok && result.providerId);
});

test('each mapped Aliyun code comes back with its kind and user message', async () => {
  for (const [code, entry] of Object.entries(ALIYUN_SMS_ERRORS)) {
    sandbox.failNext('aliyun', code);
    const result = await provider().send(message);
    assert.deepEqual(
      { ...result, requestId: undefined },
      { ok: false, kind: entry.kind, code, message: entry.message, requestId: undefined },
      code,
    );
    assert.ok(!result.ok && typeof result.requestId === 'string', `${code} carries the request id`);
  }
});

test('the day limit and the template refusal are the user-facing refusals', async () => {
  sandbox.failNext('aliyun', 'isv.BUSINESS_LIMIT_CONTROL');
  const r = await provider().send(message);
  assert.equal(!r.ok && r.kind, 'refused');
  assert.equal(!r.ok && r.message, '发送过于频繁，请稍后再试');
});

test('a wrong secret is refused by the sandbox as SignatureDoesNotMatch: unavailable, no secret in the answer', async () => {
  const before = sandbox.messages.length;
  const result = await provider({ accessKeySecret: 'wrong' }).send(message);
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.kind, 'unavailable');
  assert.equal(!result.ok && result.code, 'SignatureDoesNotMatch');
  assert.equal(sandbox.messages.length, before);
  assert.ok(!JSON.stringify(result).includes('wrong') && !JSON.stringify(result).includes('13800138000'));
});

test('an unknown AccessKeyId is InvalidAccessKeyId.NotFound', async () => {
  const p = aliyunSmsProvider({ ...credentials.aliyun, accessKeyId: 'nobody', endpoint: sandbox.url });
  const result = await p.send(message);
  assert.equal(!result.ok && result.code, 'InvalidAccessKeyId.NotFound');
  assert.equal(!result.ok && result.kind, 'unavailable');
});

test('a send slower than the timeout is unavailable TIMEOUT, within the bound', async () => {
  sandbox.delayNext('aliyun', 1500);
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

test('a closed port is unavailable NETWORK', async () => {
  const p = aliyunSmsProvider({ ...credentials.aliyun, endpoint: 'http://127.0.0.1:1', timeoutMs: 2000 });
  const result = await p.send(message);
  assert.equal(!result.ok && result.kind, 'unavailable');
  assert.equal(!result.ok && result.code, 'NETWORK');
});

test('QuerySendDetails reports DELIVERED, or the receipt failure set with failNext', async () => {
  const ok = await provider().send(message);
  sandbox.failNext('aliyun', 'MOBILE_NOT_ON_SERVICE', 1, 'delivery');
  const failed = await provider().send({ ...message, phone: '13900139000' });
  assert.ok(ok.ok && failed.ok);

  const query = async (phone: string, bizId: string) => {
    // The day (China time) the message was sent on, not the day now: midnight may pass between.
    const sentAt = sandbox.messages.filter((m) => m.phone === phone).at(-1)!.at;
    const sendDay = new Date(sentAt.getTime() + 8 * 3600_000);
    const params: Record<string, string> = {
      AccessKeyId: credentials.aliyun.accessKeyId,
      Action: 'QuerySendDetails',
      Format: 'JSON',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID(),
      SignatureVersion: '1.0',
      Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
      PhoneNumber: phone,
      BizId: bizId,
      SendDate: sendDay.toISOString().slice(0, 10).replaceAll('-', ''),
      PageSize: '10',
      CurrentPage: '1',
    };
    // RPC v1 (HMAC-SHA1) by hand: the sandbox checks this older scheme too.
    params.Signature = aliyunRpcSignature('GET', params, credentials.aliyun.accessKeySecret);
    const response = await fetch(`${sandbox.url}/?${new URLSearchParams(params)}`);
    return (await response.json()) as {
      Code: string;
      SmsSendDetailDTOs: {
        SmsSendDetailDTO: Array<{ SendStatus: number; ErrCode: string; PhoneNum: string }>;
      };
    };
  };
  const delivered = await query('13800138000', ok.ok ? ok.providerId : '');
  assert.equal(delivered.Code, 'OK');
  assert.deepEqual(
    delivered.SmsSendDetailDTOs.SmsSendDetailDTO.map((d) => [d.SendStatus, d.ErrCode]),
    [[3, 'DELIVERED']],
  );
  const notDelivered = await query('13900139000', failed.ok ? failed.providerId : '');
  assert.deepEqual(
    notDelivered.SmsSendDetailDTOs.SmsSendDetailDTO.map((d) => [d.SendStatus, d.ErrCode]),
    [[2, 'MOBILE_NOT_ON_SERVICE']],
  );
});

test('an RPC v1 request signed with the wrong secret is SignatureDoesNotMatch', async () => {
  const params: Record<string, string> = {
    AccessKeyId: credentials.aliyun.accessKeyId,
    Action: 'QuerySendDetails',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: randomUUID(),
    SignatureVersion: '1.0',
    Timestamp: new Date().toISOString(),
    Version: '2017-05-25',
    PhoneNumber: '13800138000',
  };
  params.Signature = aliyunRpcSignature('GET', params, 'wrong');
  const response = await fetch(`${sandbox.url}/?${new URLSearchParams(params)}`);
  assert.equal(response.status, 400);
  assert.equal(((await response.json()) as { Code: string }).Code, 'SignatureDoesNotMatch');
});
