import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { loggerOptions, SENSITIVE_KEYS } from '../../src/platform/logger.js';

const ID = '11010519491231002X';

function capture(): { logger: pino.Logger; lines: () => Record<string, unknown>[]; raw: () => string } {
  const chunks: string[] = [];
  // No time, pid or hostname in the lines: a secret's digits must not be found in them by chance
  // (a 4-digit card fragment turned up in a timestamp about once in a thousand runs).
  const logger = pino(
    { ...loggerOptions('info'), base: undefined, timestamp: false },
    { write: (chunk: string) => void chunks.push(chunk) },
  );
  return {
    logger,
    raw: () => chunks.join(''),
    lines: () => chunks.map((chunk) => JSON.parse(chunk) as Record<string, unknown>),
  };
}

test('personal data inside logged objects is redacted', () => {
  const { logger, raw, lines } = capture();
  logger.info({ body: { id_card: ID, name: 'x' } }, 'submitted');
  assert.ok(!raw().includes(ID));
  assert.deepEqual(lines()[0]?.body, { id_card: '[REDACTED]', name: 'x' });
});

test('sensitive keys are redacted at the top level and two levels deep', () => {
  const { logger, raw, lines } = capture();
  logger.info({ mobile: '13800138000', payload: { person: { bank_card: '6222020200112233445', age: 30 } } });
  assert.ok(!raw().includes('13800138000'));
  assert.ok(!raw().includes('6222020200112233445'));
  const line = lines()[0];
  assert.equal(line?.mobile, '[REDACTED]');
  assert.deepEqual(line?.payload, { person: { bank_card: '[REDACTED]', age: 30 } });
});

test('the request serializer keeps method, masked url and remote address only', () => {
  const { logger, raw, lines } = capture();
  const req = {
    method: 'GET',
    url: `/x?id_card=${ID}&page=2&Mobile=13800138000&id%5Fcard=${ID}&bank_card[]=6222`,
    ip: '10.0.0.7',
    headers: { authorization: 'Bearer secret-token', cookie: 'sid=secret-cookie' },
  };
  logger.info({ req }, 'incoming request');
  const text = raw();
  for (const secret of [ID, '13800138000', '6222', 'secret-token', 'secret-cookie']) {
    assert.ok(!text.includes(secret), `log leaked ${secret}`);
  }
  assert.deepEqual(lines()[0]?.req, {
    method: 'GET',
    url: '/x?id_card=[REDACTED]&page=2&Mobile=[REDACTED]&id%5Fcard=[REDACTED]&bank_card[]=[REDACTED]',
    remoteAddress: '10.0.0.7',
  });
});

test("a WeChat caller's openId and the OAuth return's code and state are not logged", () => {
  // Found in a security review: the page's URL (?openId=) and the OAuth callback were logged whole.
  const { logger, raw, lines } = capture();
  const openId = 'oLiveOpenId0123456789abcdefg';
  for (const url of [
    `/parking/?openId=${openId}`,
    `/parking/oauth/authorize?open_id=sandbox-demo-openid&redirect=/parking/`,
    `/parking/oauth/callback?code=061Xa2ll2OQc0c4Yfvml2&state=0123456789abcdef0123456789abcdef`,
  ])
    logger.info({ req: { method: 'GET', url } });
  logger.info({ openId, order: { openId } }, 'pay');
  for (const secret of [openId, 'sandbox-demo-openid', '061Xa2ll2OQc0c4Yfvml2', '0123456789abcdef']) {
    assert.ok(!raw().includes(secret), `log leaked ${secret}`);
  }
  assert.deepEqual(
    lines()
      .slice(0, 3)
      .map((line) => (line.req as { url: string }).url),
    [
      '/parking/?openId=[REDACTED]',
      '/parking/oauth/authorize?open_id=[REDACTED]&redirect=/parking/',
      '/parking/oauth/callback?code=[REDACTED]&state=[REDACTED]',
    ],
  );
  // Elsewhere `code` and `state` are list filters, and stay in the log.
  logger.info({ req: { method: 'GET', url: '/api/escrow/orders?state=21&code=110000' } });
  assert.equal(
    (lines().at(-1)?.req as { url?: string } | undefined)?.url,
    '/api/escrow/orders?state=21&code=110000',
  );
});

test('urls without sensitive query keys are logged unchanged', () => {
  const { logger, lines } = capture();
  logger.info({ req: { method: 'POST', url: '/orders?page=2&flag', socket: { remoteAddress: '::1' } } });
  assert.deepEqual(lines()[0]?.req, { method: 'POST', url: '/orders?page=2&flag', remoteAddress: '::1' });
});

test('response cookies are redacted', () => {
  const { logger, raw } = capture();
  logger.info({ res: { statusCode: 200, headers: { 'set-cookie': 'sid=secret-cookie' } } });
  assert.ok(!raw().includes('secret-cookie'));
  assert.ok(raw().includes('[REDACTED]'));
});

test('SENSITIVE_KEYS lists the identity and secret fields', () => {
  for (const key of ['id_card', 'mobile', 'bank_card', 'password', 'sign'])
    assert.ok(SENSITIVE_KEYS.includes(key));
});

test("redaction copies: the caller's objects keep their values", () => {
  const { logger, raw } = capture();
  const person = { id_card: ID, name: '张三' };
  const contact = { mobile: '13800138000' };
  const body = { people: [person, contact], note: 'ok' };
  logger.info({ body }, 'saved');
  assert.ok(!raw().includes(ID) && !raw().includes('13800138000'));
  assert.deepEqual(JSON.parse(raw()).body, {
    people: [{ id_card: '[REDACTED]', name: '张三' }, { mobile: '[REDACTED]' }],
    note: 'ok',
  });
  assert.equal(person.id_card, ID);
  assert.equal(contact.mobile, '13800138000');
});

test('secrets in header objects and in child bindings are redacted', () => {
  const { logger, raw } = capture();
  logger
    .child({ reqId: 'r-1', token: 'child-secret' })
    .warn({ upstream: { headers: { authorization: 'Bearer up-secret', cookie: 'c=up' } } }, 'call');
  const text = raw();
  for (const secret of ['child-secret', 'up-secret', 'c=up']) assert.ok(!text.includes(secret), secret);
  const line = JSON.parse(text);
  assert.equal(line.reqId, 'r-1');
  assert.deepEqual(line.upstream, { headers: { authorization: '[REDACTED]', cookie: '[REDACTED]' } });
});

test('a class instance goes to its serializer untouched, and an error keeps its message', () => {
  const { logger, lines } = capture();
  class FakeRequest {
    method = 'GET';
    url = `/y?mobile=13800138000`;
    ip = '10.0.0.8';
    headers = { authorization: 'Bearer x' };
  }
  logger.info({ req: new FakeRequest() }, 'incoming request');
  logger.error({ err: new Error('boom') }, 'failed');
  assert.deepEqual(lines()[0]?.req, {
    method: 'GET',
    url: '/y?mobile=[REDACTED]',
    remoteAddress: '10.0.0.8',
  });
  const [, failed] = lines();
  assert.equal((failed?.err as { message?: string } | undefined)?.message, 'boom');
});
