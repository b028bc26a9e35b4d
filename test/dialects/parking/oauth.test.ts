import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { type Db, openDatabase } from '../../../src/database.js';
import { startOAuthTrip } from '../../../src/dialects/parking/routes/oauth.shared.js';
import { fixedClock } from '../../../src/platform/clock.js';
import { DEMO_PARK_ID } from '../../../src/seed/demo-parking.js';
import { body, startTestApp, TEST_NOW, TEST_PII_KEY, type TestApp } from '../../helpers/test-app.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-database.js';
import { post, seedParkingDemo, sessionCookie } from './parking-fixtures.js';

/** The trip cookie's name outside production (cookies.ts). */
const OAUTH_COOKIE = 'fangtong_parking_oauth';

describe('family 5 login: the sandbox OAuth', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await seedParkingDemo(t);
  });
  after(() => t.close());

  it('mints an openId, opens a session (HttpOnly cookie) and sends the page back with openId', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/parking/oauth/authorize?redirect=/parking/bind',
    });
    assert.equal(response.statusCode, 302);
    const location = new URL(String(response.headers.location), 'http://x');
    assert.equal(location.pathname, '/parking/bind');
    const openId = location.searchParams.get('openId') ?? '';
    assert.match(openId, /^sandbox-[A-Za-z0-9]{28}$/);
    const cookie = String(response.headers['set-cookie']);
    assert.match(
      cookie,
      /^fangtong_parking=[A-Za-z0-9_-]{43}; Max-Age=604800; Path=\/parking; HttpOnly; SameSite=Lax$/,
    );
    const token = sessionCookie(response);
    const ok = await post(
      t.app,
      'park/extra-infos',
      { pmParkId: DEMO_PARK_ID },
      { cookie: `fangtong_parking=${token}` },
    );
    assert.equal(body(ok).isSuccess, '0');
  });

  it('reuses ?open_id= and sends any redirect outside the page to /parking/', async () => {
    for (const [redirect, to] of [
      ['https://evil.example/', '/parking/'],
      ['//evil.example/parking/', '/parking/'],
      ['/parking//evil', '/parking/'],
      ['/mianqian/orders', '/parking/'],
      // Found in a security review: a path the browser resolves outside the page.
      ['/parking/../../evil', '/parking/'],
      ['/parking/%2e%2e/evil', '/parking/'],
      ['/parking/./bind', '/parking/./bind?openId=sandbox-again-0001'],
      ['/parking/renew/abc?x=1', '/parking/renew/abc?x=1&openId=sandbox-again-0001'],
    ]) {
      const response = await t.app.inject({
        method: 'GET',
        url: `/parking/oauth/authorize?open_id=sandbox-again-0001&redirect=${encodeURIComponent(redirect!)}`,
      });
      assert.equal(response.statusCode, 302);
      assert.equal(
        response.headers.location,
        to === '/parking/' ? '/parking/?openId=sandbox-again-0001' : to,
        redirect,
      );
    }
  });

  it('names a bad query field in Chinese', async () => {
    for (const [url, msg] of [
      [`/parking/oauth/authorize?open_id=${'a'.repeat(65)}`, '微信公众号ID不能超过64个字符'],
      ['/parking/oauth/authorize?redirect=/parking/&redirect=/x', '返回页面格式不正确'],
      [`/parking/oauth/callback?code=x&state=${'s'.repeat(300)}`, '授权状态不能超过256个字符'],
    ] as const) {
      const response = await t.app.inject({ method: 'GET', url });
      assert.deepEqual(body(response), { timestamp: String(TEST_NOW), msg, isSuccess: '1' }, url);
    }
  });

  it('answers the callback 400 when live OAuth is not in use', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/parking/oauth/callback?code=x&state=y' });
    assert.equal(response.statusCode, 400);
    assert.deepEqual(body(response), {
      timestamp: String(TEST_NOW),
      msg: '未启用微信网页授权（PARKING_OAUTH_MODE 不是 live）',
      isSuccess: '1',
    });
  });
});

describe('family 5 login: live WeChat OAuth against a fake WeChat', () => {
  let app: FastifyInstance;
  let db: Db;
  let database: TestDatabase;
  let wechat: http.Server;
  const exchanges: URLSearchParams[] = [];

  before(async () => {
    wechat = http.createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://wechat');
      exchanges.push(url.searchParams);
      response.setHeader('content-type', 'application/json');
      if (url.pathname !== '/sns/oauth2/access_token') {
        response.statusCode = 404;
        response.end('{}');
        return;
      }
      // Odd answers WeChat could give, by code: what a broken proxy or an API change would send.
      const odd: Record<string, unknown> = {
        'null-answer': null,
        'list-answer': [],
        'text-errcode': { errcode: 'at Object.<anonymous> (/srv/x.js:1:1)', errmsg: 'x' },
        'object-errcode': { errcode: { a: 1 } },
        'long-errcode': { errcode: 9 ** 40 },
      };
      const code = url.searchParams.get('code') ?? '';
      response.end(
        code === 'good-code'
          ? JSON.stringify({
              access_token: 'at',
              expires_in: 7200,
              openid: 'oLiveOpenId0123456789abcdefg',
              scope: 'snsapi_base',
            })
          : JSON.stringify(code in odd ? odd[code] : { errcode: 40029, errmsg: 'invalid code' }),
      );
    });
    await new Promise<void>((resolve) => wechat.listen(0, '127.0.0.1', resolve));
    const port = (wechat.address() as AddressInfo).port;
    database = await createTestDatabase();
    db = openDatabase(database.url, { poolSize: 2 });
    const config = loadConfig(
      {
        NODE_ENV: 'test',
        PARKING_OAUTH_MODE: 'live',
        PARKING_WECHAT_APP_ID: 'wxparking0001',
        PARKING_WECHAT_APP_SECRET: 'parking-secret',
        PARKING_WECHAT_API_BASE: `http://127.0.0.1:${port}`,
        PUBLIC_BASE_URL: 'https://park.example.com',
      },
      { databaseUrl: database.url, piiKey: TEST_PII_KEY, demo: false },
    );
    app = await buildApp(config, { clock: fixedClock(TEST_NOW), db });
  });
  after(async () => {
    await app.close();
    await db.close();
    await database.drop();
    await new Promise((resolve) => wechat.close(resolve));
  });

  /** The browser's trip to WeChat: where it is sent, and the trip cookie it now holds. */
  async function authorize(redirect: string) {
    const response = await app.inject({
      method: 'GET',
      url: `/parking/oauth/authorize?redirect=${encodeURIComponent(redirect)}&open_id=sandbox-demo-openid`,
    });
    assert.equal(response.statusCode, 302);
    const setCookie = response.cookies.find((c) => c.name === OAUTH_COOKIE);
    assert.ok(setCookie, 'the trip cookie is set');
    const to = new URL(String(response.headers.location));
    return { to, state: to.searchParams.get('state') ?? '', trip: setCookie.value, setCookie };
  }

  /** WeChat sends the browser back, with the trip cookie it holds (if any). */
  const callback = (code: string, state: string, trip?: string) =>
    app.inject({
      method: 'GET',
      url: `/parking/oauth/callback?code=${code}&state=${encodeURIComponent(state)}`,
      cookies: trip === undefined ? {} : { [OAUTH_COOKIE]: trip },
    });

  const tripCleared = (response: Awaited<ReturnType<typeof callback>>) =>
    response.cookies.some((c) => c.name === OAUTH_COOKIE && c.value === '' && c.path === '/parking/oauth');

  it("sends the browser to WeChat's snsapi_base authorisation with a nonce for state, held by a cookie of its own", async () => {
    const { to, state, setCookie } = await authorize('/parking/bind');
    assert.equal(`${to.origin}${to.pathname}`, 'https://open.weixin.qq.com/connect/oauth2/authorize');
    assert.equal(to.hash, '#wechat_redirect');
    assert.equal(to.searchParams.get('appid'), 'wxparking0001');
    assert.equal(to.searchParams.get('redirect_uri'), 'https://park.example.com/parking/oauth/callback');
    assert.equal(to.searchParams.get('response_type'), 'code');
    assert.equal(to.searchParams.get('scope'), 'snsapi_base');
    // WeChat takes a state of [A-Za-z0-9] up to 128; each trip has its own.
    assert.match(state, /^[0-9a-f]{32}$/);
    assert.notEqual((await authorize('/parking/bind')).state, state);
    assert.deepEqual(
      [setCookie.httpOnly, setCookie.sameSite, setCookie.path, setCookie.maxAge],
      [true, 'Lax', '/parking/oauth', 600],
    );
  });

  it('exchanges the code for the openid and opens its session, ending the trip', async () => {
    const { state, trip } = await authorize('/parking/bind');
    const response = await callback('good-code', state, trip);
    assert.equal(response.statusCode, 302, response.body);
    assert.equal(response.headers.location, '/parking/bind?openId=oLiveOpenId0123456789abcdefg');
    assert.ok(tripCleared(response), 'the trip cookie is cleared');
    const exchange = exchanges.at(-1)!;
    assert.deepEqual(Object.fromEntries(exchange), {
      appid: 'wxparking0001',
      secret: 'parking-secret',
      code: 'good-code',
      grant_type: 'authorization_code',
    });
    const token = sessionCookie(response);
    const call = await post(
      app,
      'park/extra-infos',
      { pmParkId: '1' },
      { cookie: `fangtong_parking=${token}` },
    );
    // Signed in (the park simply does not exist here).
    assert.deepEqual(body(call), { timestamp: String(TEST_NOW), msg: '停车场不存在', isSuccess: '1' });
  });

  it("refuses a return this browser did not start: another's link (login CSRF), no cookie, a forged or lapsed one", async () => {
    // Found in a security review: the state was the signed redirect alone, the same for everyone
    // and forever, so an attacker's callback link logged a victim's browser in as the attacker.
    const victim = await authorize('/parking/bind');
    const attacker = await authorize('/parking/bind');
    const lapsed = startOAuthTrip('parking-secret', '/parking/bind', TEST_NOW - 600_001);
    const unsigned = startOAuthTrip('other', '/parking/bind', TEST_NOW);
    const [nonce, endsAt, , mac] = victim.trip.split('.');
    const elsewhere = `${nonce}.${endsAt}.${Buffer.from('/parking/evil').toString('base64url')}.${mac}`;
    const examples: Array<[string, string, string | undefined]> = [
      ["the attacker's code and state in the victim's browser", attacker.state, victim.trip],
      ['no trip cookie at all', attacker.state, undefined],
      ['a cookie whose page was changed', victim.state, elsewhere],
      ['a cookie signed with another secret', unsigned.state, unsigned.cookie],
      ['a trip older than ten minutes', lapsed.state, lapsed.cookie],
    ];
    for (const [what, state, trip] of examples) {
      const exchangesBefore = exchanges.length;
      const response = await callback('good-code', state, trip);
      assert.equal(response.statusCode, 400, what);
      assert.deepEqual(
        body(response),
        { timestamp: String(TEST_NOW), msg: '授权状态无效，请重新进入页面', isSuccess: '1' },
        what,
      );
      assert.equal(sessionCookie(response), undefined, what);
      assert.equal(exchanges.length, exchangesBefore, `${what}: the code is not even exchanged`);
    }
    // The victim's own trip still works, and ends: the browser is told to drop its cookie.
    const own = await callback('good-code', victim.state, victim.trip);
    assert.equal(own.statusCode, 302);
    assert.ok(tripCleared(own));
  });

  it('refuses a code WeChat refuses, opening no session', async () => {
    const { state, trip } = await authorize('/parking/bind');
    const refused = await callback('used-code', state, trip);
    assert.equal(refused.statusCode, 401);
    assert.deepEqual(body(refused), {
      timestamp: String(TEST_NOW),
      msg: '微信授权失败（40029），请重新进入页面',
      isSuccess: '1',
    });
    assert.equal(sessionCookie(refused), undefined);
    assert.ok(tripCleared(refused), 'the trip is over either way');
  });

  it('answers an answer of WeChat it cannot read as unavailable, repeating none of it but a numeric errcode', async () => {
    // Found by fuzzing: JSON null answered 500; an errcode of any type was echoed into msg.
    const { state, trip } = await authorize('/parking/bind');
    for (const [code, status, msg] of [
      ['null-answer', 503, '微信授权服务暂时不可用，请稍后再试'],
      ['list-answer', 503, '微信授权服务暂时不可用，请稍后再试'],
      ['text-errcode', 401, '微信授权失败，请重新进入页面'],
      ['object-errcode', 401, '微信授权失败，请重新进入页面'],
      ['long-errcode', 401, '微信授权失败，请重新进入页面'],
    ] as const) {
      const response = await callback(code, state, trip);
      assert.equal(response.statusCode, status, code);
      assert.deepEqual(body(response), { timestamp: String(TEST_NOW), msg, isSuccess: '1' }, code);
      assert.equal(sessionCookie(response), undefined);
    }
  });
});

describe('family 5 login: cookies over HTTPS (production)', () => {
  it('are __Host- cookies, Secure, Path=/, no Domain: no sibling subdomain can plant one for this host', async () => {
    // Found in a review: a page of another subdomain could set a Domain cookie of the same name
    // (its own session, or its own trip to go with its own WeChat code) that this host would read.
    const database = await createTestDatabase();
    const db = openDatabase(database.url, { poolSize: 2 });
    const config = loadConfig(
      {
        NODE_ENV: 'production',
        PARKING_OAUTH_MODE: 'sandbox',
        WECHAT_PAY_MODE: 'sandbox',
        SMS_PROVIDER: 'log',
      },
      { databaseUrl: database.url, piiKey: TEST_PII_KEY, demo: false },
    );
    const app = await buildApp(config, { clock: fixedClock(TEST_NOW), db });
    try {
      const response = await app.inject({
        method: 'GET',
        url: '/parking/oauth/authorize?open_id=sandbox-prod-0001',
      });
      assert.equal(response.statusCode, 302);
      const [session] = response.cookies;
      assert.deepEqual(
        { ...session, value: 'x' },
        {
          name: '__Host-fangtong_parking',
          value: 'x',
          maxAge: 604800,
          path: '/',
          httpOnly: true,
          secure: true,
          sameSite: 'Lax',
        },
      );
      const asCookie = (name: string) =>
        app.inject({
          method: 'POST',
          url: '/parking/api/park/extra-infos',
          headers: { cookie: `${name}=${session!.value}` },
          payload: { pmParkId: '1' },
        });
      assert.equal((await asCookie('__Host-fangtong_parking')).statusCode, 200);
      // The bare name, which any subdomain could set, is not read there.
      assert.equal((await asCookie('fangtong_parking')).statusCode, 401);
    } finally {
      await app.close();
      await db.close();
      await database.drop();
    }
  });
});

describe('family 5 login: off (production that has not chosen)', () => {
  it('lets nobody in, in the envelope', async () => {
    const database = await createTestDatabase();
    const db = openDatabase(database.url, { poolSize: 2 });
    const config = loadConfig(
      { NODE_ENV: 'test', PARKING_OAUTH_MODE: 'off' },
      { databaseUrl: database.url, piiKey: TEST_PII_KEY, demo: false },
    );
    const app = await buildApp(config, { clock: fixedClock(TEST_NOW), db });
    try {
      const response = await app.inject({
        method: 'GET',
        url: '/parking/oauth/authorize?open_id=sandbox-demo-openid',
      });
      assert.equal(response.statusCode, 503);
      assert.deepEqual(body(response), {
        timestamp: String(TEST_NOW),
        msg: '微信登录未开启',
        isSuccess: '1',
      });
      assert.equal(sessionCookie(response), undefined);
    } finally {
      await app.close();
      await db.close();
      await database.drop();
    }
  });
});
