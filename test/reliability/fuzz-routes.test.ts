import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { partnerSign } from '../../src/core/signing.js';
import { escrowPagesRefusal, topRefusal } from '../../src/dialects/escrow/index.js';
import { mianqianRefusal } from '../../src/dialects/mianqian/index.js';
import { parkingRefusal } from '../../src/dialects/parking/index.js';
import { PARTNER_CALLS } from '../../src/dialects/partner/calls/index.js';
import { PARTNER_GATEWAY_PATH, partnerRefusal } from '../../src/dialects/partner/index.js';
import { WECHAT_NOTIFY_PATH } from '../../src/dialects/payments/payments.wechat.notify.route.js';
import { WECHAT_V3_NOTIFY_PATH } from '../../src/dialects/payments/payments.wechat.v3.notify.route.js';
import { rentalRefusal } from '../../src/dialects/rental/index.js';
import { memorySmsProvider } from '../../src/platform/sms/sms-provider.js';
import { DEMO_ORDER_ID } from '../../src/seed/demo.js';
import {
  DEMO_PARK_ID,
  DEMO_PARKING_CARD_ID,
  DEMO_PARKING_OPEN_ID,
  DEMO_PARKING_PHONE,
  DEMO_PARKING_PLATE,
  DEMO_PARKING_PRODUCT_ID,
  DEMO_PARKING_USER_ID,
  DEMO_PARKING_VERSION_ID,
} from '../../src/seed/demo-parking.js';
import { DEMO_ENTRUST_ID } from '../../src/seed/demo-rental.js';
import { BORROW_FORM, CUSTOMER_FORM, HOUSE_FORM } from '../dialects/mianqian/fixtures.js';
import { captureLogs } from '../helpers/log-capture.js';
import { bearer, startTestApp, type TestApp } from '../helpers/test-app.js';

/** The parking session cookie's name outside production (cookies.ts). */
const PARKING_SESSION_COOKIE = 'fangtong_parking';

/**
 * Random requests to every route the OpenAPI document lists, and to unknown URLs under each
 * family: whatever arrives, the answer is in that family's envelope, never a 5xx, and nothing
 * is logged at error level. FUZZ_RUNS raises the count for a longer hunt; the default keeps
 * the file well under a minute.
 */
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 60);
const RUNS_PER_PREFIX = RUNS_PER_ROUTE;

const PARTNER_UA = 'FUZZ_UA';
const PARTNER_KEY = 'fuzz-signkey-0123456789';
const TENANT_MOBILE = '13900007777';
const CJK = /[\u4e00-\u9fff]/;
const LIMIT_PLUS_ONE = 1024 * 1024 + 1;

interface Route {
  method: string;
  /** OpenAPI path, `{name}` for path parameters. */
  path: string;
  pathParams: string[];
  queryParams: string[];
  bodyFields: string[];
}

// Values a real client might send, wrong in a way a validator has to notice, or both.
const INTERESTING = [
  '',
  ' ',
  '0',
  '-1',
  '1.005',
  '1e309',
  'NaN',
  'null',
  'true',
  '[]',
  '{}',
  '2024-06-01',
  '2024-02-30 25:61:00',
  '11010519491231002X',
  '110105194912310021',
  '13800000001',
  '+8613800000001',
  '6222020200000000006',
  DEMO_ORDER_ID,
  String(DEMO_ENTRUST_ID),
  '北京市',
  '上海市',
  'ICBC',
  '%E0%A4%A',
  "' OR 1=1 --",
  '<script>',
  '\ud800',
  '9'.repeat(40),
];

/**
 * Valid values by field name, taken from the specs' examples: a request whose fields are mostly
 * valid gets past validation, so the random one among them reaches the handler and the database.
 */
const PLAUSIBLE: Record<string, string[]> = {
  ...Object.fromEntries(
    Object.entries({ ...BORROW_FORM, ...HOUSE_FORM, ...CUSTOMER_FORM }).map(([k, v]) => [k, [v]]),
  ),
  son_order_id: [DEMO_ORDER_ID],
  mianqian_suggest: ['同意'],
  page_num: ['1', '2'],
  city_key: ['北京市'],
  is_bohui: ['1'],
  stage: ['mianqian', 'kefu'],
  order_type: ['0', '1'],
  city: ['北京市', '上海市'],
  appointment_time: ['2024-06-02 10:00'],
  customer_name: ['王小二'],
  user_mobile: ['13911112222'],
  username: ['fuzz-clerk'],
  password: ['secret-pass'],
  display_name: ['模糊测试'],
  roles: ['mianqian'],
  reason: ['征信黑名单'],
  id: [String(DEMO_ENTRUST_ID), '1'],
  u_p_id: ['1'],
  is_d_deposit: ['0', '1'],
  mobile: ['13800000001', '13812345678'],
  code: ['123456'],
  t_name: ['张租客'],
  t_phone: ['13812345678'],
  t_id_card: ['11010519491231002X'],
  h_address: ['树海'],
  r_s_time: ['2024-06-10'],
  r_e_time: ['2024-12-10'],
  p_time: ['[{"start":"2024-06-10","end":"2024-12-10"}]'],
  is_pay: ['0'],
  is_settle: ['0'],
  life: ['{"water":100,"electric":200,"gas":90}'],
  s_phone: ['13725554033'],
  facility: ['[{"id":2,"name":"洗衣机","num":1,"cd":"完好"}]'],
  h_i_id: [String(DEMO_ENTRUST_ID)],
  mode: ['2', '0'],
  m_name: ['测试账号袁'],
  m_phone: ['13725554033'],
  m_s_phone: ['15181474781'],
  m_store: ['内光华门店'],
  people_num: ['1'],
  card_type: ['1', '2'],
  echo_data: ['{pid: 123456}'],
  bank_code: ['ICBC'],
  order_sn: ['246964109149933'],
  user_name: ['王小二'],
  user_idcard: ['11010519491231****', '11010519491231002X'],
  user_phone: ['13812345***', '13812345678'],
  md5: ['0'.repeat(32)],
  card_number: ['6222020200000000006'],
  card_phone: ['13812345678'],
  verify_code: ['123456'],
  // Family 5, the demo park's user, card and product (docs/parking.md).
  carNum: [DEMO_PARKING_PLATE, '京B54321'],
  name: ['用户1', '张三'],
  pmParkId: [DEMO_PARK_ID],
  phone: [DEMO_PARKING_PHONE, '13900001111'],
  phoneCode: ['123456'],
  duplicateCode: ['20071230'],
  isOverDuplicate: ['0', '1'],
  omPrCardId: [DEMO_PARKING_CARD_ID],
  pmSetrentUserinfoId: [DEMO_PARKING_USER_ID],
  userInfoId: [DEMO_PARKING_USER_ID],
  orgCode: ['111', '112'],
  addCarNums: ['京L78023,粤BD12345', '京B54321'],
  delCarNums: ['京L78023', DEMO_PARKING_PLATE],
  pmSetrentId: [DEMO_PARKING_PRODUCT_ID],
  productVId: [DEMO_PARKING_VERSION_ID],
  priceType: ['01', '02'],
  userDepartment: ['111001'],
  firstOrgName: ['文学院'],
  firstOrgCode: ['111'],
  secondOrgName: ['中文系'],
  secondOrgCode: ['111001'],
  extraDataJson: ['[]', '[{"type":"0","name":"驾驶证","code":"0","content":"x"}]'],
  omPrOrderId: ['0'.repeat(32)],
  openId: [DEMO_PARKING_OPEN_ID],
  slot: ['0', '1'],
  redirect: ['/parking/', '/parking/card?x=1', '//evil.example/', 'https://evil.example/'],
  open_id: [DEMO_PARKING_OPEN_ID, 'fuzz-openid-000001'],
  state: ['', 'a.b'],
};

const fieldValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 30 }), weight: 3 },
  { arbitrary: fc.constantFrom(...INTERESTING), weight: 4 },
  // PostgreSQL refuses U+0000 in text where SQLite keeps it.
  fc.constantFrom(...INTERESTING).map((v) => `${v}\u0000`),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ minLength: 300, maxLength: 1500 }),
);

function valueFor(field: string): fc.Arbitrary<unknown> {
  const valid = PLAUSIBLE[field];
  return valid ? fc.oneof({ arbitrary: fc.constantFrom(...valid), weight: 6 }, fieldValue) : fieldValue;
}

/** The route's own fields, mostly all of them so handlers run, plus stray ones. */
function fieldsOf(names: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      fc
        .oneof({ arbitrary: fc.constant([...names]), weight: 3 }, fc.subarray([...names]))
        .chain((keys) => fc.record(Object.fromEntries(keys.map((k) => [k, valueFor(k)])))),
      fc.dictionary(fc.string({ maxLength: 10 }), fieldValue, { maxKeys: 2 }),
    )
    .map(([own, stray]) => ({ ...stray, ...own }));
}

/** A field value as a form or XML carries it: objects (fast-check's have no prototype) as JSON. */
function textOf(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

function formEncode(fields: Record<string, unknown>): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) form.append(key, textOf(item));
  }
  return form.toString();
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=gbk',
  'text/plain',
  'text/xml',
  'application/xml',
  'multipart/form-data; boundary=b',
  'application/octet-stream',
  'application/jsonx',
  'APPLICATION/JSON',
  'text/html; charset=utf-8',
  ';;;',
  '',
  undefined,
] as const;

/** Mostly what the families take, so requests get past parsing to validation and handlers. */
const contentType = fc.oneof(
  { arbitrary: fc.constantFrom('application/json', 'application/x-www-form-urlencoded'), weight: 3 },
  fc.constantFrom(...CONTENT_TYPES),
);

type BodyPlan =
  | { kind: 'fields'; fields: Record<string, unknown> }
  | { kind: 'raw'; text: string }
  | { kind: 'none' }
  | { kind: 'huge' };

function bodyPlan(fields: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<BodyPlan> {
  return fc.oneof(
    { arbitrary: fields.map((f): BodyPlan => ({ kind: 'fields', fields: f })), weight: 8 },
    { arbitrary: fc.json().map((text): BodyPlan => ({ kind: 'raw', text })), weight: 2 },
    { arbitrary: fc.string({ maxLength: 60 }).map((text): BodyPlan => ({ kind: 'raw', text })), weight: 2 },
    fc.constant<BodyPlan>({ kind: 'none' }),
    { arbitrary: fc.constant<BodyPlan>({ kind: 'huge' }), weight: 1 },
  );
}

/** The payload for a plan, encoded the way its content type says (or deliberately not). */
function payloadOf(plan: BodyPlan, contentType: string | undefined): string | undefined {
  switch (plan.kind) {
    case 'none':
      return undefined;
    case 'huge':
      return 'x'.repeat(LIMIT_PLUS_ONE);
    case 'raw':
      return plan.text;
    case 'fields':
      return contentType?.includes('urlencoded') ? formEncode(plan.fields) : JSON.stringify(plan.fields);
  }
}

const pathParamValue = fc.oneof(
  { arbitrary: fc.constantFrom(DEMO_ORDER_ID, '1602261137471', '0').map(encodeURIComponent), weight: 3 },
  { arbitrary: fc.string({ maxLength: 20 }).map(encodeURIComponent), weight: 3 },
  fc.constantFrom('%E0%A4%A', '%', '%00', '..', '%2F..%2F', 'a'.repeat(101), '%F0%9F%98%80'.repeat(30)),
);

function queryOf(names: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fieldsOf(names).map((fields) => formEncode(fields)), weight: 4 },
    fc.constantFrom('', 'a=%E0%A4%A', '%%%', 'a&&b==c', 'page_num=1&page_num=2', `x=${'y'.repeat(5000)}`),
  );
}

const requestId = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 3 },
  fc.constantFrom('fuzz-id-1', 'x'.repeat(100), 'bad id with spaces', ''),
);

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

// ---- what each family's answers must look like -----------------------------------------------

type Family = 'mianqian' | 'rental' | 'partner' | 'top' | 'escrowPages' | 'wechatV2' | 'wechatV3' | 'parking';

const ALLOWED_STATUS: Record<Family, ReadonlySet<number>> = {
  mianqian: new Set([200, 400, 401, 403, 404, 413, 414, 415, 429]),
  rental: new Set([200, 400, 401, 403, 404, 413, 414, 415, 429]),
  partner: new Set([200, 400, 401, 403, 404, 413, 414, 415]),
  top: new Set([200, 400, 404, 413, 414, 415]),
  escrowPages: new Set([200, 400, 404, 413, 414, 415, 429]),
  wechatV2: new Set([200, 400, 404, 413, 414, 415]),
  wechatV3: new Set([204, 400, 401, 404, 413, 414, 415]),
  // docs/parking.md: refusals the spec describes are 200; 302 the OAuth routes' redirect; 503
  // only while WeChat OAuth is off or a provider is down, which the test app's sandbox never is.
  parking: new Set([200, 302, 400, 401, 404, 413, 414, 415, 429]),
};

function familyOf(url: string): Family {
  const under = (prefixes: readonly string[]) => prefixes.some((p) => url.startsWith(p));
  if (under(mianqianRefusal.prefixes)) return 'mianqian';
  if (under(rentalRefusal.prefixes)) return 'rental';
  if (under(partnerRefusal.prefixes)) return 'partner';
  if (under(topRefusal.prefixes)) return 'top';
  if (under(escrowPagesRefusal.prefixes)) return 'escrowPages';
  if (under(parkingRefusal.prefixes)) return 'parking';
  if (url.startsWith('/payments/wechat/v3/')) return 'wechatV3';
  if (url.startsWith('/payments/wechat/')) return 'wechatV2';
  throw new Error(`no family for ${url}`);
}

function assertChineseFailure(message: unknown, what: string) {
  assert.equal(typeof message, 'string', `${what} is a string`);
  assert.match(message as string, CJK, `${what} is Chinese`);
}

/** Family 5's calls 6 and 7, which answer the spec's returnCode shape instead of the envelope. */
const PARKING_RETURN_CODE_CALLS = ['/parking/api/order/renew', '/parking/api/order/wechat-pay'];
const PARKING_FILE_TYPES = new Set(['image/jpeg', 'image/png', 'application/pdf']);

/**
 * Family 5 (docs/parking.md). The OAuth routes answer a 302 to a page path under /parking/ with
 * the session cookie (the sandbox), never anywhere else; the owner's file route a stored file
 * (JPEG, PNG or PDF, nosniff, not cached) or the envelope; calls 6 and 7 their returnCode shape
 * (`{timestamp, returnCode, returnMsg, isSuccess: "true"|"false", msg}`) whatever refused them;
 * everything else `{timestamp, msg, isSuccess}` with a Chinese msg on refusal.
 */
function assertParking(url: string, res: LightMyRequestResponse): 'success' | 'refusal' {
  const path = url.split('?')[0]!;
  if (res.statusCode === 302) {
    assert.ok(path.startsWith('/parking/oauth/'), `only the OAuth routes redirect (${url})`);
    const location = String(res.headers.location);
    assert.match(location, /^\/parking\/[^/]/, `a redirect to the page, nowhere else: ${location}`);
    assert.match(location, /[?&]openId=/, 'the page learns its openId');
    assert.match(String(res.headers['set-cookie']), new RegExp(`${PARKING_SESSION_COOKIE}=[^;]+;.*HttpOnly`));
    assert.equal(res.headers['cache-control'], 'no-store');
    return 'success';
  }
  const type = String(res.headers['content-type'] ?? '');
  if (path === '/parking/api/order/file' && res.statusCode === 200 && !type.startsWith('application/json')) {
    assert.ok(PARKING_FILE_TYPES.has(type), `a stored document's type: ${type}`);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['cache-control'], 'private, no-store');
    return 'success';
  }
  const body = res.json();
  assert.equal(typeof body, 'object', 'a JSON object');
  assert.match(body.timestamp, /^\d{13}$/, 'timestamp in epoch ms');
  // Every answer of calls 6 and 7, a refusal before the handler (no session, a bad body) included;
  // a 404 is a method the URL does not take, no call, answered in the envelope.
  if (PARKING_RETURN_CODE_CALLS.includes(path) && res.statusCode !== 404) {
    if (body.returnCode === 'T') {
      assert.equal(body.isSuccess, 'true');
      assert.equal(body.returnMsg, 'OK');
      assert.equal(typeof body.msg, 'string');
      return 'success';
    }
    assert.equal(body.returnCode, 'F', `calls 6 and 7 answer returnCode: ${res.body.slice(0, 200)}`);
    assert.equal(body.isSuccess, 'false');
    assertChineseFailure(body.returnMsg, 'returnMsg');
    assertChineseFailure(body.msg, 'msg');
    return 'refusal';
  }
  if (res.statusCode === 200 && body.isSuccess === '0') {
    assert.equal(typeof body.msg, 'string');
    return 'success';
  }
  assert.deepEqual(Object.keys(body).sort(), ['isSuccess', 'msg', 'timestamp'], res.body.slice(0, 200));
  assert.equal(body.isSuccess, '1', `family 5 failure: ${res.body.slice(0, 200)}`);
  assertChineseFailure(body.msg, 'msg');
  return 'refusal';
}

/** Asserts the answer is in the family's envelope; says whether the family accepted the request. */
function assertEnvelope(family: Family, url: string, res: LightMyRequestResponse): 'success' | 'refusal' {
  assert.ok(res.statusCode < 500, `never a 5xx (got ${res.statusCode}: ${res.body.slice(0, 200)})`);
  assert.ok(
    ALLOWED_STATUS[family].has(res.statusCode),
    `status ${res.statusCode} is one ${family} documents`,
  );
  const id = res.headers['x-request-id'];
  assert.ok(typeof id === 'string' && /^[\w.-]{1,64}$/.test(id), 'a sane x-request-id on every answer');
  if (family === 'wechatV2') {
    assert.equal(res.headers['content-type'], 'text/xml');
    const code = /<return_code><!\[CDATA\[(SUCCESS|FAIL)\]\]><\/return_code>/.exec(res.body)?.[1];
    assert.ok(code, `WeChat's XML reply: ${res.body.slice(0, 200)}`);
    if (code === 'SUCCESS') {
      assert.equal(res.statusCode, 200);
      return 'success';
    }
    assertChineseFailure(/<return_msg><!\[CDATA\[(.*)\]\]><\/return_msg>/.exec(res.body)?.[1], 'return_msg');
    return 'refusal';
  }
  if (family === 'top') {
    // TOP answers XML unless asked for JSON; either way a refusal is error_response, whose
    // sub_msg (when TOP gives one) is Chinese. Unsigned random calls never succeed.
    const xml = String(res.headers['content-type']).startsWith('text/xml');
    const error = xml
      ? {
          code: /<error_response>[\s\S]*<code>(\d+)<\/code>/.exec(res.body)?.[1],
          sub_msg: /<sub_msg>([^<]*)<\/sub_msg>/.exec(res.body)?.[1],
        }
      : (res.json() as { error_response?: { code: number; sub_msg?: string } }).error_response;
    assert.ok(error?.code !== undefined, `TOP's error_response: ${res.body.slice(0, 200)}`);
    if (error.sub_msg !== undefined) assertChineseFailure(error.sub_msg, 'sub_msg');
    return 'refusal';
  }
  if (family === 'parking') return assertParking(url, res);
  if (family === 'wechatV3' && res.statusCode === 204) {
    assert.equal(res.body, '');
    return 'success';
  }
  if (
    family === 'mianqian' &&
    res.statusCode === 200 &&
    res.headers['content-type'] === 'text/csv; charset=utf-8'
  ) {
    // A back-office export (docs/backoffice-api.md): a CSV download, refusals in the envelope.
    assert.match(url.split('?')[0]!, /\/export\.csv$/, 'only the exports answer CSV');
    assert.match(String(res.headers['content-disposition']), /^attachment; filename\*=UTF-8''/);
    assert.ok(res.body.startsWith('\uFEFF'), 'UTF-8 with a byte-order mark');
    return 'success';
  }
  const body = res.json();
  assert.equal(typeof body, 'object', 'a JSON object');
  switch (family) {
    case 'mianqian':
      if (res.statusCode === 200 && body.code === 1) {
        assert.equal(typeof body.msg, 'string');
        assert.ok('data' in body, 'success carries data');
        return 'success';
      }
      if (res.statusCode === 200 && Array.isArray(body.order_list)) {
        assert.equal(typeof body.page_count, 'number', 'the desk list answers its success bare');
        return 'success';
      }
      assert.equal(body.code, 0, `family 1 failure: ${res.body.slice(0, 200)}`);
      assert.ok(Array.isArray(body.errors));
      for (const e of body.errors) {
        assert.equal(typeof e.field, 'string');
        assertChineseFailure(e.error, 'errors[].error');
      }
      assertChineseFailure(body.msg, 'msg');
      return 'refusal';
    case 'rental':
    case 'escrowPages':
      if (res.statusCode === 200 && body.code === 0) return 'success';
      assert.equal(body.code, -1, `family 2 failure: ${res.body.slice(0, 200)}`);
      assertChineseFailure(body.msg, 'msg');
      return 'refusal';
    case 'partner':
      assert.equal(typeof body.status, 'number');
      assert.ok('response' in body);
      if (body.status === 1) {
        assert.equal(res.statusCode, 200);
        assert.equal(body.message, 'success');
        return 'success';
      }
      assertChineseFailure(body.message, 'message');
      return 'refusal';
    case 'wechatV3':
      assert.deepEqual(Object.keys(body).sort(), ['code', 'message']);
      assert.equal(body.code, 'FAIL');
      assertChineseFailure(body.message, 'message');
      return 'refusal';
  }
}

// ---- the run ------------------------------------------------------------------------------------

describe('fuzzing every route: the family envelope, never a 5xx, no error-level log', () => {
  const logs = captureLogs();
  const sms = memorySmsProvider();
  /** Requests a family accepted: the fuzz must get past parsing and validation, not only bounce. */
  const successes = new Map<Family, number>();
  let t: TestApp;
  let routes: Route[];
  const tokens: Record<string, string | undefined> = { none: undefined, garbage: 'not-a-token' };

  before(async () => {
    t = await startTestApp({ demo: true, sms, logStream: logs.stream });
    tokens.staff = await t.tokenFor(
      'kefu',
      'mianshen',
      'mianqian',
      'quanzheng',
      'shencha',
      'zhongshen',
      'admin',
    );
    await t.app.inject({ method: 'POST', url: '/user_auth/send_code', payload: { mobile: TENANT_MOBILE } });
    const code = /(\d{6})/.exec(sms.sent.at(-1)?.text ?? '')?.[1];
    const login = await t.app.inject({
      method: 'POST',
      url: '/user_auth/login',
      payload: { mobile: TENANT_MOBILE, code },
    });
    tokens.tenant = login.json().data.token;
    // Family 5: the demo driver's session through the sandbox OAuth, sent as a bearer token.
    const parkingLogin = await t.app.inject({
      url: `/parking/oauth/authorize?open_id=${DEMO_PARKING_OPEN_ID}&redirect=/parking/`,
    });
    const cookies = [parkingLogin.headers['set-cookie'] ?? []].flat();
    tokens.parking = cookies
      .find((c) => c.startsWith(`${PARKING_SESSION_COOKIE}=`))
      ?.slice(PARKING_SESSION_COOKIE.length + 1)
      .split(';')[0];
    assert.ok(tokens.parking, 'a family 5 session');
    await t.app.runtime.modules.partner.create(
      { ua: PARTNER_UA, signkey: PARTNER_KEY, calls: '*', callbackUrl: 'http://127.0.0.1:9/callback' },
      t.clock.now(),
      'test',
    );
    // Logging out ends the session every other route is fuzzed with, so it goes last.
    routes = readRoutes((await t.app.inject({ url: '/docs/json' })).json()).sort(
      (a, b) => Number(a.path === '/api/auth/logout') - Number(b.path === '/api/auth/logout'),
    );
  });
  after(() => t.close());

  const auth = fc.constantFrom('none', 'garbage', 'staff', 'tenant', 'parking');
  const ownAuth: Partial<Record<Family, string>> = { rental: 'tenant', parking: 'parking' };

  async function send(request: {
    method: string;
    url: string;
    contentType: string | undefined;
    payload: string | undefined;
    token: string | undefined;
    requestId: string | undefined;
    extraHeaders?: Record<string, string>;
  }) {
    const headers: Record<string, string> = { ...request.extraHeaders };
    if (request.contentType !== undefined) headers['content-type'] = request.contentType;
    if (request.token) Object.assign(headers, bearer(request.token));
    if (request.requestId !== undefined) headers['x-request-id'] = request.requestId;
    const res = await t.app.inject({
      method: request.method as 'GET',
      url: request.url,
      headers,
      ...(request.payload === undefined ? {} : { payload: request.payload }),
    });
    const family = familyOf(request.url);
    if (assertEnvelope(family, request.url, res) === 'success')
      successes.set(family, (successes.get(family) ?? 0) + 1);
  }

  function genericRequests(route: Route) {
    return fc.record({
      method: fc.oneof({ arbitrary: fc.constant(route.method), weight: 9 }, fc.constantFrom(...METHODS)),
      params: fc.tuple(...route.pathParams.map(() => pathParamValue)),
      query: queryOf(route.queryParams),
      contentType: contentType,
      body: bodyPlan(fieldsOf(route.bodyFields)),
      auth: fc.oneof({ arbitrary: fc.constant(ownAuth[familyOf(route.path)] ?? 'staff'), weight: 4 }, auth),
      requestId,
    });
  }

  function urlOf(route: Route, params: readonly string[], query: string) {
    let i = 0;
    const path = route.path.replace(/\{[^}]+\}/g, () => params[i++] ?? '');
    return query ? `${path}?${query}` : path;
  }

  const partnerArgs = fieldsOf([
    'order_sn',
    'bank_code',
    'card_type',
    'user_name',
    'user_idcard',
    'user_phone',
    'card_number',
    'card_phone',
    'verify_code',
    'md5',
    'echo_data',
  ]);

  /** Signed calls reach the partner calls themselves with random args; unsigned ones the checks. */
  const partnerForms = fc
    .record({
      ua: fc.oneof({ arbitrary: fc.constant(PARTNER_UA), weight: 4 }, fc.string({ maxLength: 70 })),
      call: fc.oneof(
        { arbitrary: fc.constantFrom(...Object.keys(PARTNER_CALLS)), weight: 4 },
        fc.string({ maxLength: 70 }),
      ),
      args: fc.oneof(
        { arbitrary: partnerArgs.map((a) => JSON.stringify(a)), weight: 4 },
        fc.json(),
        fc.string({ maxLength: 40 }),
      ),
      signed: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, fc.constant(false)),
      sign: fc.string({ maxLength: 70 }),
      timestamp: fc.oneof(
        { arbitrary: fc.constant('now'), weight: 10 },
        fc.constantFrom('', '0', '-1', '99999999999999999999', 'abc'),
        fc.nat().map(String),
      ),
      omit: fc.oneof(
        { arbitrary: fc.constant([]), weight: 6 },
        fc.subarray(['ua', 'call', 'args', 'sign', 'timestamp']),
      ),
    })
    .map((f) => {
      const form: Record<string, string> = {
        ua: f.ua,
        call: f.call,
        args: f.args,
        sign: f.signed ? partnerSign(f.ua, PARTNER_KEY, f.call, f.args) : f.sign,
        timestamp: f.timestamp === 'now' ? String(Math.floor(t.clock.now() / 1000)) : f.timestamp,
      };
      for (const key of f.omit) delete form[key];
      return form;
    });

  const wechatXml = fc
    .tuple(
      fieldsOf([
        'return_code',
        'result_code',
        'appid',
        'mch_id',
        'out_trade_no',
        'total_fee',
        'cash_fee',
        'sign',
      ]),
      fc.constantFrom('', '<!DOCTYPE x [<!ENTITY e "e">]>', '<?xml version="1.0"?>'),
    )
    .map(
      ([fields, prolog]) =>
        `${prolog}<xml>${Object.entries(fields)
          .map(([k, v]) => `<${k}><![CDATA[${textOf(v)}]]></${k}>`)
          .join('')}</xml>`,
    );

  function specialBody(
    route: Route,
  ): fc.Arbitrary<{ contentType: string | undefined; payload: string | undefined }> {
    const generic = fc.record({
      contentType: fc.constantFrom(...CONTENT_TYPES),
      payload: bodyPlan(fieldsOf([])).map((plan) => payloadOf(plan, 'application/json')),
    });
    if (route.path === PARTNER_GATEWAY_PATH) {
      return fc.oneof(
        {
          arbitrary: partnerForms.map((form) => ({
            contentType: 'application/x-www-form-urlencoded',
            payload: formEncode(form),
          })),
          weight: 4,
        },
        generic,
      );
    }
    if (route.path === WECHAT_NOTIFY_PATH) {
      return fc.oneof(
        { arbitrary: wechatXml.map((xml) => ({ contentType: 'text/xml', payload: xml })), weight: 4 },
        generic,
      );
    }
    if (route.path === WECHAT_V3_NOTIFY_PATH) {
      return fc.oneof(
        {
          arbitrary: fieldsOf(['id', 'event_type', 'resource_type', 'resource', 'summary']).map((f) => ({
            contentType: 'application/json',
            payload: JSON.stringify(f),
          })),
          weight: 4,
        },
        generic,
      );
    }
    return fc.constant({ contentType: undefined, payload: undefined });
  }

  const SPECIAL = new Set([PARTNER_GATEWAY_PATH, WECHAT_NOTIFY_PATH, WECHAT_V3_NOTIFY_PATH]);
  const v3Headers = fc.record(
    {
      'wechatpay-timestamp': fc.oneof(
        fc.constant(String(Math.floor(Date.now() / 1000))),
        fc.string({ maxLength: 12 }),
      ),
      'wechatpay-nonce': fc.string({ maxLength: 32 }),
      'wechatpay-signature': fc.base64String({ maxLength: 64 }),
      'wechatpay-serial': fc.string({ unit: fc.constantFrom(...'0123456789ABCDEF'), maxLength: 40 }),
    },
    { requiredKeys: [] },
  );

  it('reads a route list that covers every family', () => {
    const families = new Set(routes.map((r) => familyOf(r.path)));
    assert.deepEqual([...families].sort(), [
      'escrowPages',
      'mianqian',
      'parking',
      'partner',
      'rental',
      'top',
      'wechatV2',
      'wechatV3',
    ]);
    assert.ok(routes.length >= 40, `${routes.length} routes`);
  });

  it('answers random requests to every route in its family envelope', async (ctx) => {
    for (const route of routes) {
      await ctx.test(`${route.method} ${route.path}`, async () => {
        const special = SPECIAL.has(route.path);
        await fc.assert(
          fc.asyncProperty(genericRequests(route), specialBody(route), v3Headers, async (r, s, headers) => {
            await send({
              method: r.method,
              url: urlOf(route, r.params, r.query),
              contentType: special ? s.contentType : r.contentType,
              payload: special ? s.payload : payloadOf(r.body, r.contentType),
              token: tokens[r.auth],
              requestId: r.requestId,
              ...(route.path === WECHAT_V3_NOTIFY_PATH
                ? { extraHeaders: headers as Record<string, string> }
                : {}),
            });
          }),
          // The gateway is family 4's one route for three calls and every protocol check.
          { numRuns: route.path === PARTNER_GATEWAY_PATH ? 3 * RUNS_PER_ROUTE : RUNS_PER_ROUTE },
        );
      });
    }
  });

  it('answers random unknown and undecodable URLs under every family prefix in its envelope', async () => {
    const prefixes = [
      ...mianqianRefusal.prefixes,
      ...rentalRefusal.prefixes,
      ...partnerRefusal.prefixes,
      ...topRefusal.prefixes,
      ...escrowPagesRefusal.prefixes,
      ...parkingRefusal.prefixes,
      '/payments/wechat/',
      '/payments/wechat/v3/',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...prefixes),
        fc
          .oneof(
            fc.webSegment(),
            fc.string({ maxLength: 30 }).map(encodeURIComponent),
            fc.constantFrom('%E0%A4%A', '%', 'a/%ZZ/b', 'x'.repeat(3000)),
          )
          // A client resolves `..` before it sends (inject as curl does): `/order_mianqian/..` is a
          // request for `/`, under no family's prefix.
          .filter((rest) => rest !== '..'),
        fc.constantFrom(...METHODS),
        fc.constantFrom(...CONTENT_TYPES),
        bodyPlan(fieldsOf([])),
        requestId,
        async (prefix, rest, method, contentType, plan, id) => {
          await send({
            method,
            url: `${prefix}${rest}`,
            contentType,
            payload: method === 'GET' ? undefined : payloadOf(plan, contentType),
            token: undefined,
            requestId: id,
          });
        },
      ),
      { numRuns: RUNS_PER_PREFIX * prefixes.length },
    );
  });

  it('got requests accepted in families 1, 2, 4 and 5, so handlers ran on random input', () => {
    for (const family of ['mianqian', 'rental', 'partner', 'parking'] as const) {
      assert.ok((successes.get(family) ?? 0) > 0, `${family} accepted some requests`);
    }
  });

  it('logged nothing at error level', () => {
    assert.deepEqual(logs.errors(), []);
    assert.ok(logs.lines.length > 0, 'the log was captured');
  });
});

/** The routes the OpenAPI document lists, with their parameters and body fields by name. */
function readRoutes(doc: {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Array<{ in: string; name: string }>;
        requestBody?: { content: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
      }
    >
  >;
}): Route[] {
  const routes: Route[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const parameters = operation.parameters ?? [];
      const named = (where: string) => parameters.filter((p) => p.in === where).map((p) => p.name);
      const schemas = Object.values(operation.requestBody?.content ?? {});
      routes.push({
        method: method.toUpperCase(),
        path,
        pathParams: named('path'),
        queryParams: named('query'),
        bodyFields: [...new Set(schemas.flatMap((s) => Object.keys(s.schema?.properties ?? {})))],
      });
    }
  }
  return routes;
}
