import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_ORDER_ID } from '../../../src/seed/demo.js';
import { bearer, body, startTestApp, type TestApp } from '../../helpers/test-app.js';

describe('family 1 under bad input: envelope, clear message, nothing written, never a 500', () => {
  let t: TestApp;
  let token: string;
  let snapshot: () => Promise<unknown>;
  before(async () => {
    t = await startTestApp({ demo: true });
    token = await t.tokenFor('mianqian');
    snapshot = async () => ({
      order: await t.db.kysely
        .selectFrom('loan_orders')
        .selectAll()
        .where('son_order_id', '=', DEMO_ORDER_ID)
        .executeTakeFirst(),
      people: await t.db.kysely
        .selectFrom('loan_order_people')
        .selectAll()
        .orderBy('order_id')
        .orderBy('role')
        .execute(),
      suggestions: await t.db.kysely
        .selectFrom('loan_order_suggestions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst(),
    });
  });
  after(() => t.close());

  const post = (url: string, payload: string, contentType: string) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...bearer(token), 'content-type': contentType },
      payload,
    });

  it('answers a body that is not JSON with 400 in the envelope', async () => {
    const before = await snapshot();
    const res = await post('/order_mianqian/save_borrow_info', '{"son_order_id": ', 'application/json');
    assert.equal(res.statusCode, 400);
    assert.deepEqual(body(res), { code: 0, errors: [], msg: '请求体无法解析' });
    assert.deepEqual(await snapshot(), before);
  });

  it('answers an unsupported content type with 415 in the envelope', async () => {
    const res = await post('/order_mianqian/save_borrow_info', '<xml/>', 'application/xml');
    assert.equal(res.statusCode, 415);
    assert.deepEqual(body(res), { code: 0, errors: [], msg: '不支持的请求格式' });
  });

  it('names fields of the wrong type (objects, arrays, booleans) and oversized strings', async () => {
    const before = await snapshot();
    const res = await t.app.inject({
      method: 'POST',
      url: '/order_mianqian/save_borrow_info',
      headers: bearer(token),
      payload: {
        son_order_id: DEMO_ORDER_ID,
        loan_money: { $gt: 1 },
        loan_limit: [6],
        production_no: true,
        user_realname: 'x'.repeat(500),
      },
    });
    assert.equal(res.statusCode, 200);
    const b = body(res);
    assert.equal(b.code, 0);
    assert.deepEqual(b.errors.map((e: { field: string; error: string }) => [e.field, e.error]).sort(), [
      ['loan_limit', '借款期限格式不正确'],
      ['loan_money', '借款金额格式不正确'],
      ['production_no', '产品类型格式不正确'],
      ['user_realname', '中介姓名不能超过200个字符'],
    ]);
    assert.deepEqual(await snapshot(), before);
  });

  it('names a repeated form key (an array) as a bad field', async () => {
    const res = await post(
      '/order_mianqian/save_suggest',
      `son_order_id=${DEMO_ORDER_ID}&mianqian_suggest=a&mianqian_suggest=b`,
      'application/x-www-form-urlencoded',
    );
    assert.deepEqual(body(res).errors, [{ field: 'mianqian_suggest', error: '面签建议格式不正确' }]);
  });

  it('refuses a body over the size limit with 413 in the envelope', async () => {
    const res = await post(
      '/order_mianqian/save_suggest',
      JSON.stringify({ son_order_id: DEMO_ORDER_ID, mianqian_suggest: 'x'.repeat(2_000_000) }),
      'application/json',
    );
    assert.equal(res.statusCode, 413);
    assert.deepEqual(body(res), { code: 0, errors: [], msg: '请求体过大' });
  });

  it('answers garbage in every save without a 500', async () => {
    const before = await snapshot();
    const garbage = [
      'null',
      '[]',
      '"text"',
      '123',
      '{"son_order_id":null}',
      '{"son_order_id":1e400}',
      '{"son_order_id":"1602261137470x"}',
    ];
    for (const url of [
      'save_borrow_info',
      'save_house_info',
      'save_customer_info',
      'save_suggest',
      'order_pass',
      'order_stop',
      'order_return_kefu',
    ]) {
      for (const payload of garbage) {
        const res = await post(`/order_mianqian/${url}`, payload, 'application/json');
        assert.ok(res.statusCode < 500, `${url} ${payload} → ${res.statusCode}`);
        const b = body(res);
        assert.equal(b.code, 0, `${url} ${payload}`);
        assert.ok(b.msg.length > 0);
        assert.ok(!res.body.includes('at '), 'no stack trace');
      }
    }
    assert.deepEqual(await snapshot(), before);
  });

  it('answers an unknown route of the family with 404 in its envelope', async () => {
    const res = await t.app.inject({ url: '/order_mianqian/nope', headers: bearer(token) });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(body(res), { code: 0, errors: [], msg: '接口不存在' });
  });

  it('serves health and the OpenAPI document', async () => {
    const health = body(await t.app.inject({ url: '/healthz' }));
    assert.deepEqual([health.status, health.database], ['ok', t.db.dialect]);
    assert.deepEqual(health.jobs[0], {
      name: 'payments.reconcile',
      lastRunAt: null,
      lastError: null,
      nextRunAt: null,
      runningOn: null,
    });
    const spec = body(await t.app.inject({ url: '/docs/json' }));
    for (const path of [
      '/order_mianqian/order_detail',
      '/order_mianqian/save_customer_info',
      '/order_mianshen/ajax_get_list',
      '/api/auth/login',
    ]) {
      assert.ok(spec.paths[path], `${path} documented`);
    }
    assert.equal((await t.app.inject({ url: '/docs' })).statusCode < 400, true);
  });

  it('echoes a request id on every answer', async () => {
    const res = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    assert.equal(res.headers['x-request-id'], 'abc-123');
    const generated = await t.app.inject({ url: '/healthz' });
    assert.match(String(generated.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    // Refusals and unknown routes carry it too: those are the answers a client asks about.
    const refused = await t.app.inject({
      url: '/order_mianshen/ajax_get_list',
      headers: { 'x-request-id': 'r-401' },
    });
    assert.equal(refused.statusCode, 401);
    assert.equal(refused.headers['x-request-id'], 'r-401');
    const missing = await t.app.inject({ url: '/order_mianqian/nope', headers: { 'x-request-id': 'r-404' } });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.headers['x-request-id'], 'r-404');
    const badJson = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json', 'x-request-id': 'r-400' },
      payload: '{"username":',
    });
    assert.equal(badJson.statusCode, 400);
    assert.equal(badJson.headers['x-request-id'], 'r-400');
  });
});

describe('the back-office pages', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  // dist/web/ is built by `npm ci` / `npm run build` (scripts/bundle.ts), before any test runs.
  it('serves the built back office at / with its hashed assets cached and the page not', async () => {
    const root = await t.app.inject({ url: '/' });
    assert.equal(root.statusCode, 200);
    assert.match(String(root.headers['content-type']), /^text\/html/);
    assert.equal(root.headers['cache-control'], 'no-cache');
    assert.match(root.body, /<div id="root"><\/div>/);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(root.body)?.[1];
    assert.ok(script, 'the page loads a hashed script from /assets/');
    const asset = await t.app.inject({ url: script });
    assert.equal(asset.statusCode, 200);
    assert.match(String(asset.headers['content-type']), /javascript/);
    assert.match(String(asset.headers['cache-control']), /max-age=31536000.*immutable/);
  });

  it("answers the page at a client route a browser opens, never at an API's unknown URL", async () => {
    const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
    const route = await t.app.inject({ url: '/mianqian/orders/1602261137470?x=1', headers: html });
    assert.equal(route.statusCode, 200);
    assert.match(route.body, /<div id="root"><\/div>/);
    assert.equal(route.headers['cache-control'], 'no-cache');
    // Asked for by a script, not a browser's address bar: the neutral 404.
    const script = await t.app.inject({ url: '/mianqian/orders' });
    assert.equal(script.statusCode, 404);
    assert.deepEqual(script.json(), { code: 404, msg: '接口不存在' });
    for (const url of [
      '/api/nothing',
      '/order_mianqian/nothing',
      '/parking/api/nothing',
      '/assets/gone.js',
    ]) {
      const answer = await t.app.inject({ url, headers: html });
      assert.equal(answer.statusCode, 404, url);
      assert.match(String(answer.headers['content-type']), /json/, url);
    }
  });

  it("sends the old page's addresses (/app/…) to the new one", async () => {
    for (const url of ['/app', '/app/', '/app/index.html']) {
      const answer = await t.app.inject({ url });
      assert.equal(answer.statusCode, 302, url);
      assert.equal(answer.headers.location, '/', url);
    }
  });
});
