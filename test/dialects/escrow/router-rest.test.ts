import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { formatShanghaiDateTime } from '../../../src/core/time.js';
import { type TopSignMethod, topSign } from '../../../src/core/top-sign.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { createRequest } from '../../modules/escrow/escrow-fixtures.js';

const APP_KEY = 'liangce-trade';
const SECRET = 'isv-secret-0123456789';
const OPERATE = 'tmall.alihouse.trade.order.second.house.operate';
const GET = 'tmall.alihouse.trade.order.second.house.get';
const RESPONSE = 'tmall_alihouse_trade_order_second_house_operate_response';

describe('family 3: the TOP gateway /router/rest', () => {
  let t: TestApp;
  let serial = 0;
  before(async () => {
    t = await startTestApp();
    await t.app.runtime.modules.escrow.isvs.create(
      { appKey: APP_KEY, secret: SECRET, methods: '*', storeIds: [10223] },
      t.clock.now(),
      'test',
    );
    await t.app.runtime.modules.escrow.isvs.create(
      { appKey: 'query-only-isv', secret: SECRET, methods: [GET], storeIds: '*' },
      t.clock.now(),
      'test',
    );
  });
  after(() => t.close());

  /** A signed TOP call, as a taobao-sdk client sends it: every parameter in the form, `sign` over the rest. */
  function signed(
    business: Record<string, string>,
    options: {
      method?: string;
      appKey?: string;
      signMethod?: TopSignMethod;
      format?: string;
      at?: number;
    } = {},
  ): Record<string, string> {
    const params: Record<string, string> = {
      method: options.method ?? OPERATE,
      app_key: options.appKey ?? APP_KEY,
      timestamp: formatShanghaiDateTime(options.at ?? t.clock.now()),
      v: '2.0',
      sign_method: options.signMethod ?? 'md5',
      format: options.format ?? 'json',
      // Distinct calls, so none is taken for a replay of another.
      partner_id: `test-${++serial}`,
      ...business,
    };
    return { ...params, sign: topSign(params, SECRET, options.signMethod ?? 'md5') };
  }
  const post = async (params: Record<string, string>) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/router/rest',
      payload: new URLSearchParams(params).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    return {
      status: response.statusCode,
      type: String(response.headers['content-type']),
      body: response.body,
    };
  };
  const operate = (request: Record<string, unknown>, options: Parameters<typeof signed>[1] = {}) =>
    post(signed({ operate_request: JSON.stringify(request) }, options));

  it('CREATE answers the invitation in TOP JSON: result, data with the order number and one URL per role', async () => {
    const answer = await operate(createRequest(1));
    assert.equal(answer.status, 200);
    assert.match(answer.type, /^application\/json/);
    const body = JSON.parse(answer.body);
    const response = body[RESPONSE];
    assert.match(response.request_id, /^[0-9a-z]{13}$/);
    assert.deepEqual(Object.keys(response.result), ['code', 'message', 'is_success', 'data']);
    assert.deepEqual(
      [response.result.code, response.result.message, response.result.is_success],
      ['200', '成功', true],
    );
    const data = response.result.data;
    assert.match(data.house_order_no, /^20240601\d{10}$/);
    assert.equal(data.template_id, 'FUND_ESCROW_MORTGAGE');
    assert.equal(data.store_id, 10223);
    assert.match(data.buyer_url, /^http:\/\/127\.0\.0\.1:3000\/escrow\/accept\/[\w-]{43}$/);
    assert.match(data.landlord_url, /^http:\/\/127\.0\.0\.1:3000\/escrow\/accept\/[\w-]{43}$/);
    assert.notEqual(data.buyer_url, data.landlord_url);
    assert.ok(!data.buyer_url.includes(data.house_order_no), 'a URL is a token, not the order number');
  });

  it('a retried CREATE (same source and case number, new signature) answers the same invitation', async () => {
    const first = JSON.parse((await operate(createRequest(2))).body)[RESPONSE].result.data;
    const again = JSON.parse((await operate(createRequest(2))).body)[RESPONSE].result.data;
    assert.deepEqual(again, first);
  });

  it('answers XML by default, and signs with hmac and hmac-sha256 too', async () => {
    const params = signed({ operate_request: JSON.stringify(createRequest(3)) }, { signMethod: 'hmac' });
    delete params.format;
    params.sign = topSign(
      Object.fromEntries(Object.entries(params).filter(([k]) => k !== 'sign')),
      SECRET,
      'hmac',
    );
    const xml = await post(params);
    assert.match(xml.type, /^text\/xml/);
    const tree = new XMLParser({ parseTagValue: false }).parse(xml.body);
    assert.equal(tree[RESPONSE].result.is_success, 'true');
    assert.match(tree[RESPONSE].result.data.house_order_no, /^20240601\d{10}$/);
    const sha = await operate(createRequest(4), { signMethod: 'hmac-sha256' });
    assert.equal(JSON.parse(sha.body)[RESPONSE].result.is_success, true);
  });

  it("refuses each protocol fault with TOP's code, and a signature used twice", async () => {
    const error = async (params: Record<string, string>) =>
      JSON.parse((await post(params)).body).error_response;
    const good = signed({ operate_request: JSON.stringify(createRequest(5)) });
    const { method: _m, ...noMethod } = good;
    const noMethodError = await error(noMethod);
    assert.deepEqual(
      [noMethodError.code, noMethodError.msg, noMethodError.sub_code, noMethodError.sub_msg],
      [21, 'Missing method', 'isv.missing-parameter:method', '缺少方法名参数'],
    );
    assert.equal(
      (await error({ ...good, sign: good.sign!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) })).code,
      25,
    );
    assert.equal((await error(signed({ operate_request: '{}' }, { appKey: 'nobody-here' }))).code, 29);
    const stale = await error(signed({ operate_request: '{}' }, { at: t.clock.now() - 11 * 60_000 }));
    assert.deepEqual([stale.code, stale.sub_code], [31, 'isv.invalid-parameter:timestamp']);
    assert.equal((await error(signed({}, { method: 'taobao.user.seller.get' }))).code, 22);
    assert.deepEqual((await post(good)).status, 200);
    const replay = await error(good);
    assert.deepEqual([replay.code, replay.sub_code], [25, 'isv.duplicate-request']);
    const notAllowed = await error(signed({ operate_request: '{}' }, { appKey: 'query-only-isv' }));
    assert.deepEqual([notAllowed.code, notAllowed.sub_code], [11, 'isv.permission-denied']);
  });

  it('spends a signature once whatever the call came to: a replay of a success, of a bad field or of a refusal is a replay', async () => {
    const error = async (params: Record<string, string>) =>
      JSON.parse((await post(params)).body).error_response;
    const orders = () =>
      t.db.kysely
        .selectFrom('escrow_orders')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
        .then((r) => Number(r.n));
    const created = signed({ operate_request: JSON.stringify(createRequest(30)) });
    assert.equal(JSON.parse((await post(created)).body)[RESPONSE].result.is_success, true);
    const count = await orders();
    const replayOf = await error(created);
    assert.deepEqual([replayOf.code, replayOf.sub_code], [25, 'isv.duplicate-request']);
    assert.equal(await orders(), count, 'a replayed CREATE makes nothing');

    const badField = signed({
      operate_request: JSON.stringify({ ...createRequest(31), sign_over_time_hour: 30 }),
    });
    assert.equal((await error(badField)).code, 41);
    assert.equal((await error(badField)).sub_code, 'isv.duplicate-request');

    // A refusal inside the transaction rolls back the signature it spent; it is spent again on its own.
    const otherTerms = signed({
      operate_request: JSON.stringify({ ...createRequest(30), house_address: '浙江省杭州市西湖区文三路2号' }),
    });
    const refused = JSON.parse((await post(otherTerms)).body)[RESPONSE].result;
    assert.deepEqual([refused.code, refused.is_success], ['4091', false]);
    assert.equal((await error(otherTerms)).sub_code, 'isv.duplicate-request');
    assert.equal(await orders(), count);
  });

  it('names every bad field of operate_request: 40 for a missing one, 41 for an invalid one, all in sub_msg', async () => {
    const missing = JSON.parse((await post(signed({})))?.body).error_response;
    assert.deepEqual(
      [missing.code, missing.msg, missing.sub_code],
      [40, 'Missing required arguments:operate_request', 'isv.missing-parameter:operate_request'],
    );
    const notJson = JSON.parse((await post(signed({ operate_request: '[1]' }))).body).error_response;
    assert.deepEqual([notJson.code, notJson.sub_code], [41, 'isv.invalid-parameter:operate_request']);
    const request = createRequest(6);
    const buyers = request.buyer_infos as Array<Record<string, unknown>>;
    const bad = await operate({
      ...request,
      buyer_infos: [{ ...buyers[0], card_no: '110105198501010000' }],
      sign_over_time_hour: 30,
    });
    const refused = JSON.parse(bad.body).error_response;
    assert.equal(refused.code, 41);
    assert.equal(refused.sub_code, 'isv.invalid-parameter:operate_request.buyer_infos[0].card_no');
    assert.match(refused.sub_msg, /；/, 'every bad field is listed');
    assert.match(refused.sub_msg, /签约超时/);
  });

  it('a business refusal is a successful call whose result says no', async () => {
    const answer = await operate({ operate_type: 'MODIFY', house_order_no: '20240601000000000' });
    const result = JSON.parse(answer.body)[RESPONSE].result;
    assert.deepEqual(
      { code: result.code, is_success: result.is_success, has_data: 'data' in result },
      { code: '4040', is_success: false, has_data: false },
    );
    assert.equal(typeof result.message, 'string');
  });

  it('the get method (our extension) answers the order with its parties masked', async () => {
    const created = JSON.parse((await operate(createRequest(7))).body)[RESPONSE].result.data;
    const got = JSON.parse(
      (await post(signed({ house_order_no: created.house_order_no }, { method: GET }))).body,
    );
    const data = got.tmall_alihouse_trade_order_second_house_get_response.result.data;
    assert.equal(data.house_order_no, created.house_order_no);
    assert.equal(data.state, 'inviting');
    const parties = data.parties.escrow_party;
    assert.equal(parties.length, 2);
    assert.deepEqual(parties.map((p: { role: string }) => p.role).sort(), ['buyer', 'landlord']);
    for (const party of parties) assert.match(party.phone, /\*/);
    for (const party of parties) assert.match(party.card_no, /\*/);
  });

  it("logs every call without personal data, and answers an unknown URL under /router/ in TOP's error shape", async () => {
    const rows = await t.db.kysely.selectFrom('escrow_call_log').selectAll().execute();
    assert.ok(rows.length >= 10);
    assert.ok(rows.every((row) => !JSON.stringify(row).includes('张三')));
    const unknown = await t.app.inject({ method: 'GET', url: '/router/nope' });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error_response.code, 41);
  });
});
