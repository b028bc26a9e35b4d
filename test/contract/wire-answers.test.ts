import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { idCardCheckDigit } from '../../src/core/id-card.js';
import { partnerSign } from '../../src/core/signing.js';
import { formatShanghaiDateTime } from '../../src/core/time.js';
import { topSign } from '../../src/core/top-sign.js';
import { platformMd5 } from '../../src/modules/partner/index.js';
import { openPayment, requestJsapiPay } from '../../src/modules/payments/index.js';
import type { PayoutSandbox } from '../../src/platform/payouts/index.js';
import { memorySmsProvider } from '../../src/platform/sms/sms-provider.js';
import { DEMO_ORDER_ID, DEMO_PASSWORD } from '../../src/seed/demo.js';
import { DEMO_ENTRUST_ID, DEMO_TENANT_MOBILE } from '../../src/seed/demo-rental.js';
import { BORROW_FORM, CUSTOMER_FORM, HOUSE_FORM } from '../dialects/mianqian/fixtures.js';
import { leaseForm } from '../helpers/lease-form.js';
import { bearer, body, startTestApp, TEST_NOW, TEST_PII_KEY, type TestApp } from '../helpers/test-app.js';
import { createRequest, phone } from '../modules/escrow/escrow-fixtures.js';
import {
  firstDifferences,
  registeredRoutes,
  routeMatches,
  type WireCall,
  type WireEntry,
  WireRecorder,
} from './wire-recorder.js';

/**
 * The wire answers of every family, recorded from one deterministic scenario: each endpoint
 * with a success and its typical refusals, the unknown URL of each family's prefix, a body
 * that is not JSON and a content type nobody takes. An internal reshaping of src/ must leave
 * this recording byte for byte unchanged, on SQLite and on PostgreSQL alike.
 * UPDATE_WIRE_ANSWERS=1 rewrites wire-answers.json from the code as it is.
 */
const RECORDING = fileURLToPath(new URL('./wire-answers.json', import.meta.url));

/**
 * Routes the app registers that the scenario leaves alone, each with its reason. HEAD routes
 * are Fastify's automatic mirror of each GET (exposeHeadRoutes), not ours, and are left out too.
 */
const NOT_RECORDED: Readonly<Record<string, string>> = {
  'GET /docs': 'Swagger UI page served by @fastify/swagger-ui, not by any family',
  'GET /docs/': 'Swagger UI page served by @fastify/swagger-ui, not by any family',
  'GET /docs/static/index.html': 'Swagger UI asset from the @fastify/swagger-ui package',
  'GET /docs/static/swagger-initializer.js': 'Swagger UI asset from the @fastify/swagger-ui package',
  'GET /docs/*': 'Swagger UI static assets from the @fastify/swagger-ui package',
  'GET /docs/yaml': 'the same OpenAPI document as /docs/json (recorded), in YAML',
  'GET /':
    "the back office's built index.html (its asset names change with every build); its API is recorded",
  'GET /*':
    "@fastify/static's wildcard for the back office's built, hashed scripts and styles under /assets/ (printRoutes shows it as /*)",
  'GET /app*':
    "the old back office's addresses under /app/ (printRoutes shows /app/* as /app*), recorded as /app/index.html",
  'GET /escrow/accept/:token':
    "the escrow acceptance page's built index.html (its asset names change with every build); its API is recorded",
  'GET /parking/':
    "the parking page's built index.html (its asset names change with every build); its API and /parking's redirect are recorded",
  'GET /parking/*':
    "the parking page's client routes (the same built index.html); a GET under /parking/api/ through it, answered as the family's 404, is recorded as /parking/api/nothing",
};

const UA = 'WIRE_UA';
const KEY = 'wire-signkey-0123456789';
const BORROWER_ID = `11010519900101001${idCardCheckDigit('11010519900101001')}`;
const BORROWER_MOBILE = '13912345678';
const BORROWER_NAME = '刘先森';
const CARD = '6222020200000000006';
const TENANT = '13900004444';
const BLACK_ID = `11010519920202001${idCardCheckDigit('11010519920202001')}`;
const BLACK_MOBILE = '13700001111';

describe('wire answers: every endpoint of every family, byte for byte', () => {
  let t: TestApp;
  let dev: FastifyInstance;
  const sms = memorySmsProvider();
  const rec = new WireRecorder();

  before(async () => {
    t = await startTestApp({ demo: true, sms });
    // The dev sandbox routes exist only under NODE_ENV=development: the same database and clock.
    const config = loadConfig(
      { NODE_ENV: 'development', LOG_LEVEL: 'silent' },
      { databaseUrl: 'sqlite::memory:', piiKey: TEST_PII_KEY, demo: false },
    );
    dev = await buildApp(config, { db: t.db, clock: t.clock, sms });
  });
  after(async () => {
    await dev?.close();
    await t?.close();
  });

  const call = (step: string, c: WireCall) => rec.call(t.app, step, c);
  /** A staff token from tokenFor: never on the wire, so remembered as random here. */
  const staff = async (...roles: Parameters<TestApp['tokenFor']>) => {
    const token = await t.tokenFor(...roles);
    rec.secret('token', token);
    return token;
  };
  const lastCode = (phone: string) =>
    /(\d{6})/.exec(sms.sent.filter((m) => m.phone === phone).at(-1)?.text ?? '')?.[1] ?? '';

  it('records the scenario and compares it with wire-answers.json', async () => {
    // ───────────── the app's own routes ─────────────
    await call('health', { url: '/healthz' });
    await call("the old back office's address redirects to the new one", { url: '/app/index.html' });
    await call("the old back office's folder redirects to the new one", { url: '/app' });
    await call('OpenAPI document', { url: '/docs/json' });
    await call('unknown URL outside any family', { url: '/nowhere' });

    // ───────────── family 1: sessions ─────────────
    await call('login: wrong password', {
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'demo-admin', password: 'wrong' },
    });
    await call('login: missing fields', { method: 'POST', url: '/api/auth/login', payload: {} });
    await call('login: unknown user', {
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'nobody', password: 'x' },
    });
    const login = await call('login: demo admin', {
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'demo-admin', password: DEMO_PASSWORD },
    });
    const demoAdmin = body(login).data.token as string;
    await call('me: logged in', { url: '/api/auth/me', headers: bearer(demoAdmin) });
    await call('me: no session', { url: '/api/auth/me' });
    await call('me: unknown token', { url: '/api/auth/me', headers: bearer('not-a-token') });
    await call('logout', { method: 'POST', url: '/api/auth/logout', headers: bearer(demoAdmin) });
    await call('me: after logout', { url: '/api/auth/me', headers: bearer(demoAdmin) });
    await call('logout: no session', { method: 'POST', url: '/api/auth/logout' });

    const admin = await staff('admin');
    const kefu = await staff('kefu');
    const mianshen = await staff('mianshen');
    const mianqian = await staff('mianqian');
    const quanzheng = await staff('quanzheng');
    const shencha = await staff('shencha');
    const zhongshen = await staff('zhongshen');

    // ───────────── family 1: accounts ─────────────
    await call('staff list (admin)', { url: '/api/staff', headers: bearer(admin) });
    // Before any failed insert, so the accounts' ids are the same on both databases.
    await call('export: staff as CSV', { url: '/api/staff/export.csv', headers: bearer(admin) });
    await call('export: staff, not admin', { url: '/api/staff/export.csv', headers: bearer(kefu) });
    await call('staff list: not admin', { url: '/api/staff', headers: bearer(kefu) });
    await call('staff list: no session', { url: '/api/staff' });
    await call('staff create', {
      method: 'POST',
      url: '/api/staff',
      headers: bearer(admin),
      payload: { username: 'wire-clerk', password: 'secret-pass', display_name: '线上', roles: ['mianqian'] },
    });
    await call('staff create: roles as a comma list', {
      method: 'POST',
      url: '/api/staff',
      headers: bearer(admin),
      payload: { username: 'wire-clerk2', password: 'secret-pass', roles: 'kefu,mianshen' },
    });
    await call('staff create: duplicate username', {
      method: 'POST',
      url: '/api/staff',
      headers: bearer(admin),
      payload: { username: 'wire-clerk', password: 'secret-pass', roles: ['mianqian'] },
    });
    await call('staff create: bad role, short password', {
      method: 'POST',
      url: '/api/staff',
      headers: bearer(admin),
      payload: { username: 'wire-clerk3', password: 'x', roles: ['boss'] },
    });
    await call('staff create: not admin', {
      method: 'POST',
      url: '/api/staff',
      headers: bearer(kefu),
      payload: { username: 'wire-clerk4', password: 'secret-pass', roles: ['kefu'] },
    });
    await call('login: the new clerk', {
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'wire-clerk', password: 'secret-pass' },
    });

    // ───────────── family 1 admin of family 4: partners, rules, blacklist, callbacks ─────────────
    await call('partners: empty list', { url: '/api/partners', headers: bearer(admin) });
    await call('partners: create', {
      method: 'POST',
      url: '/api/partners',
      headers: bearer(admin),
      payload: { ua: UA, signkey: KEY, calls: '*', callback_url: 'http://127.0.0.1:9/callback' },
    });
    await call('partners: create limited', {
      method: 'POST',
      url: '/api/partners',
      headers: bearer(admin),
      payload: {
        ua: 'WIRE_LIMITED',
        signkey: 'limited-signkey-0123456789',
        calls: ['BindCard.getValidBankList'],
      },
    });
    await call('partners: duplicate ua', {
      method: 'POST',
      url: '/api/partners',
      headers: bearer(admin),
      payload: { ua: UA, signkey: KEY, calls: '*' },
    });
    await call('partners: invalid', {
      method: 'POST',
      url: '/api/partners',
      headers: bearer(admin),
      payload: { ua: '', signkey: 'short', calls: ['No.suchCall'], callback_url: 'ftp://x' },
    });
    await call('partners: not admin', { url: '/api/partners', headers: bearer(kefu) });
    await call('partners: list', { url: '/api/partners', headers: bearer(admin) });
    const rules = await call('partner rules: read', { url: '/api/partner-rules', headers: bearer(admin) });
    await call('partner rules: read, not admin', { url: '/api/partner-rules', headers: bearer(kefu) });
    await call('partner rules: max below min', {
      method: 'PUT',
      url: '/api/partner-rules',
      headers: bearer(admin),
      payload: { ...body(rules).data, min_age: 40, max_age: 30 },
    });
    await call('partner rules: missing fields', {
      method: 'PUT',
      url: '/api/partner-rules',
      headers: bearer(admin),
      payload: {},
    });
    await call('partner rules: update', {
      method: 'PUT',
      url: '/api/partner-rules',
      headers: bearer(admin),
      payload: { ...body(rules).data, refuse_days: 20 },
    });
    await call('blacklist: empty', { url: '/api/partner-blacklist', headers: bearer(admin) });
    await call('blacklist: add', {
      method: 'POST',
      url: '/api/partner-blacklist',
      headers: bearer(admin),
      payload: { id_card: BLACK_ID, mobile: BLACK_MOBILE, reason: '征信黑名单' },
    });
    await call('blacklist: bad id card', {
      method: 'POST',
      url: '/api/partner-blacklist',
      headers: bearer(admin),
      payload: { id_card: '110105194912310021', reason: '' },
    });
    await call('blacklist: not admin', {
      method: 'POST',
      url: '/api/partner-blacklist',
      headers: bearer(kefu),
      payload: { id_card: '11010519491231002X', reason: 'x' },
    });
    await call('blacklist: list', { url: '/api/partner-blacklist', headers: bearer(admin) });

    // ───────────── family 1: the back-office workflow ─────────────
    await call('create order: missing fields', {
      method: 'POST',
      url: '/api/loan-orders',
      headers: bearer(kefu),
      payload: {},
    });
    await call('create order: bad values', {
      method: 'POST',
      url: '/api/loan-orders',
      headers: bearer(kefu),
      payload: { order_type: 3, city: '火星', appointment_time: '2024-13-01', customer_name: '' },
    });
    await call('create order: not 客服', {
      method: 'POST',
      url: '/api/loan-orders',
      headers: bearer(mianqian),
      payload: {
        order_type: 0,
        city: '北京市',
        appointment_time: '2024-06-02 10:00',
        customer_name: '王小二',
      },
    });
    const newOrder = async (step: string, payload: Record<string, unknown>) =>
      body(await call(step, { method: 'POST', url: '/api/loan-orders', headers: bearer(kefu), payload })).data
        .son_order_id as string;
    const agentOrder = await newOrder('create order: with agent', {
      order_type: 0,
      city: '北京市',
      appointment_time: '2024-06-02 10:00:00',
      customer_name: '王小二',
      user_realname: '迟兴旺',
      user_mobile: '13911112222',
    });
    const partnerOrder = await newOrder('create order: brought by the partner', {
      order_type: 1,
      city: '北京市',
      appointment_time: '2024-06-02 10:00',
      customer_name: BORROWER_NAME,
      partner_ua: UA,
      partner_order_id: '59841a25c768b00e27ba3226',
    });
    const stopOrder = await newOrder('create order: to stop', {
      order_type: 1,
      city: '上海市',
      appointment_time: '2024-06-03 09:30',
      customer_name: '赵六',
    });
    await call('queue: 客服', { url: '/api/loan-orders?stage=kefu', headers: bearer(kefu) });
    await call('queue: 客服 page 2', {
      url: '/api/loan-orders?stage=kefu&page_num=2',
      headers: bearer(kefu),
    });
    await call('queue: bad stage', { url: '/api/loan-orders?stage=boss', headers: bearer(kefu) });
    await call('queue: another stage than mine', {
      url: '/api/loan-orders?stage=zhongshen',
      headers: bearer(kefu),
    });
    await call('queue: no session', { url: '/api/loan-orders?stage=kefu' });
    const pass = (step: string, id: string, token: string, payload: Record<string, unknown> = {}) =>
      call(step, { method: 'POST', url: `/api/loan-orders/${id}/pass`, headers: bearer(token), payload });
    await pass('pass: 客服', agentOrder, kefu);
    await pass('pass: 客服 again (no longer at 客服)', agentOrder, kefu);
    await pass('pass: 面审', agentOrder, mianshen);
    await pass('pass: unknown order', '2406011000999', kefu);
    await pass('pass: not a son_order_id', 'abc', kefu);
    await pass('pass: 客服 (partner order)', partnerOrder, kefu);
    await pass('pass: 面审 (partner order)', partnerOrder, mianshen);
    await pass('pass: 客服 (order to stop)', stopOrder, kefu);
    await call('stop: at 面审', {
      method: 'POST',
      url: `/api/loan-orders/${stopOrder}/stop`,
      headers: bearer(mianshen),
      payload: { reason: '客户放弃' },
    });
    await call('stop: already stopped', {
      method: 'POST',
      url: `/api/loan-orders/${stopOrder}/stop`,
      headers: bearer(mianshen),
      payload: {},
    });
    await call('stop: wrong role', {
      method: 'POST',
      url: `/api/loan-orders/${agentOrder}/stop`,
      headers: bearer(kefu),
      payload: {},
    });
    await call('audit trail', { url: `/api/loan-orders/${agentOrder}/audit`, headers: bearer(admin) });
    await call('audit trail: stopped order', {
      url: `/api/loan-orders/${stopOrder}/audit`,
      headers: bearer(admin),
    });
    await call('audit trail: unknown order', {
      url: '/api/loan-orders/2406011000999/audit',
      headers: bearer(admin),
    });
    await call('audit trail: no session', { url: `/api/loan-orders/${agentOrder}/audit` });
    await call("order page: a stage clerk's read", {
      url: `/api/loan-orders/${stopOrder}`,
      headers: bearer(kefu),
    });
    await call('order page: no loan stage', {
      url: `/api/loan-orders/${agentOrder}`,
      headers: bearer(admin),
    });

    // ───────────── family 1: the 面签 workbench ─────────────
    const mq = (step: string, path: string, payload: Record<string, unknown>, token = mianqian) =>
      call(step, { method: 'POST', url: `/order_mianqian/${path}`, headers: bearer(token), payload });
    await call('desk index', { url: '/order_mianqian/index', headers: bearer(mianqian) });
    await call('desk index: not 面签', { url: '/order_mianqian/index', headers: bearer(kefu) });
    await call('desk index: no session', { url: '/order_mianqian/index' });
    await call('desk list GET page 1', {
      url: '/order_mianshen/ajax_get_list?page_num=1',
      headers: bearer(mianqian),
    });
    await call('desk list GET 北京市 驳回', {
      url: `/order_mianshen/ajax_get_list?${new URLSearchParams({ city_key: '北京市', is_bohui: '1', page_num: '1' })}`,
      headers: bearer(mianqian),
    });
    await call('desk list POST page 2', {
      method: 'POST',
      url: '/order_mianshen/ajax_get_list',
      headers: bearer(mianqian),
      payload: { page_num: '2', city_key: '上海市' },
    });
    await call('desk list: bad page', {
      url: '/order_mianshen/ajax_get_list?page_num=x',
      headers: bearer(mianqian),
    });
    await call('desk list: no session', { url: '/order_mianshen/ajax_get_list' });
    await call('order detail: the spec example', {
      url: `/order_mianqian/order_detail?son_order_id=${DEMO_ORDER_ID}`,
      headers: bearer(mianqian),
    });
    await call('order detail: new order', {
      url: `/order_mianqian/order_detail?son_order_id=${agentOrder}`,
      headers: bearer(mianqian),
    });
    await call('order detail: unknown', {
      url: '/order_mianqian/order_detail?son_order_id=2406011000999',
      headers: bearer(mianqian),
    });
    await call('order detail: missing son_order_id', {
      url: '/order_mianqian/order_detail',
      headers: bearer(mianqian),
    });
    await call('order detail: not 面签', {
      url: `/order_mianqian/order_detail?son_order_id=${agentOrder}`,
      headers: bearer(kefu),
    });
    await mq('save borrow info', 'save_borrow_info', { son_order_id: agentOrder, ...BORROW_FORM });
    await mq('save borrow info: bad fields', 'save_borrow_info', {
      son_order_id: agentOrder,
      ...BORROW_FORM,
      loan_money: '-1',
      loan_limit: '0',
      yueding_lilv: 'abc',
    });
    await mq('save borrow info: wrong types', 'save_borrow_info', {
      son_order_id: agentOrder,
      loan_money: { $gt: 1 },
      loan_limit: [6],
      production_no: true,
      user_realname: 'x'.repeat(500),
    });
    await mq('save house info', 'save_house_info', { son_order_id: agentOrder, ...HOUSE_FORM });
    await mq('save house info: bad fields', 'save_house_info', {
      son_order_id: agentOrder,
      ...HOUSE_FORM,
      house_size: '-5',
      built_in: '3000',
      house_province: '',
    });
    await mq('save customer info', 'save_customer_info', { son_order_id: agentOrder, ...CUSTOMER_FORM });
    await mq('save customer info: bad fields', 'save_customer_info', {
      son_order_id: agentOrder,
      ...CUSTOMER_FORM,
      mobile: '123',
      id_card: '110105194912310021',
      marital_tatus: '9',
    });
    await mq('save customer info: the partner borrower', 'save_customer_info', {
      ...CUSTOMER_FORM,
      son_order_id: partnerOrder,
      name: BORROWER_NAME,
      mobile: BORROWER_MOBILE,
      id_card: BORROWER_ID,
      age: '',
      sex: '',
      marital_tatus: '0',
      marry_date: '',
      link_name: '',
      link_mobile: '',
      link_id_card: '',
      link_is_execute: '',
      link_unit_is_execute: '',
    });
    await mq('save customer info: unknown order', 'save_customer_info', {
      son_order_id: '2406011000999',
      ...CUSTOMER_FORM,
    });
    await mq('save suggest', 'save_suggest', { son_order_id: agentOrder, mianqian_suggest: '同意放款' });
    await mq('save suggest: too long', 'save_suggest', {
      son_order_id: agentOrder,
      mianqian_suggest: '长'.repeat(1001),
    });
    await call('customer by id card GET', {
      url: '/order_mianqian/get_customer_info_by_id_card?id_card=11010519491231002X',
      headers: bearer(mianqian),
    });
    await mq('customer by id card POST', 'get_customer_info_by_id_card', { id_card: '11010519491231002X' });
    await mq('customer by id card: nobody', 'get_customer_info_by_id_card', {
      id_card: '440524188001010014',
    });
    await mq('customer by id card: invalid', 'get_customer_info_by_id_card', { id_card: '123' });
    await call('order detail: filled in', {
      url: `/order_mianqian/order_detail?son_order_id=${agentOrder}`,
      headers: bearer(mianqian),
    });
    await mq('return to 客服', 'order_return_kefu', {
      son_order_id: agentOrder,
      mianqian_suggest: '资料不全',
    });
    await mq('return to 客服: no longer at 面签', 'order_return_kefu', { son_order_id: agentOrder });
    await pass('pass: 客服 (back from 面签)', agentOrder, kefu);
    await pass('pass: 面审 (back from 面签)', agentOrder, mianshen);
    await mq('order pass', 'order_pass', { son_order_id: agentOrder });
    await mq('order pass: no longer at 面签', 'order_pass', { son_order_id: agentOrder });
    await mq('order pass: missing son_order_id', 'order_pass', {});
    await mq('order pass: not 面签', 'order_pass', { son_order_id: DEMO_ORDER_ID }, kefu);
    await mq('order stop: the demo order', 'order_stop', {
      son_order_id: DEMO_ORDER_ID,
      mianqian_suggest: '客户放弃',
    });
    await mq('order stop: already stopped', 'order_stop', { son_order_id: DEMO_ORDER_ID });
    await pass('pass: 权证', agentOrder, quanzheng);
    await call('return to 客服 from 审查', {
      method: 'POST',
      url: `/api/loan-orders/${agentOrder}/return_kefu`,
      headers: bearer(shencha),
      payload: { reason: '补充材料' },
    });
    await call('return to 客服: wrong stage', {
      method: 'POST',
      url: `/api/loan-orders/${agentOrder}/return_kefu`,
      headers: bearer(shencha),
      payload: {},
    });
    await call('queue: 驳回 at 客服', { url: '/api/loan-orders?stage=kefu', headers: bearer(kefu) });
    // family 1 as a client gets it wrong
    await call('family 1: body not JSON', {
      method: 'POST',
      url: '/order_mianqian/save_borrow_info',
      headers: { ...bearer(mianqian), 'content-type': 'application/json' },
      payload: '{"son_order_id": ',
    });
    await call('family 1: unsupported content type', {
      method: 'POST',
      url: '/order_mianqian/save_borrow_info',
      headers: { ...bearer(mianqian), 'content-type': 'application/xml' },
      payload: '<xml/>',
    });
    await call('family 1: form body', {
      method: 'POST',
      url: '/order_mianqian/save_suggest',
      headers: { ...bearer(mianqian), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ son_order_id: agentOrder, mianqian_suggest: '表单' }).toString(),
    });
    await call('family 1 /api: body not JSON', {
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username":',
    });
    await call('family 1 /api: unsupported content type', {
      method: 'POST',
      url: '/api/loan-orders',
      headers: { ...bearer(kefu), 'content-type': 'text/plain' },
      payload: 'hello',
    });
    await call('family 1: unknown /order_mianqian URL', {
      url: '/order_mianqian/nope',
      headers: bearer(mianqian),
    });
    await call('family 1: unknown /order_mianshen URL', { url: '/order_mianshen/nope' });
    await call('family 1: unknown /api URL', { method: 'POST', url: '/api/nope', payload: {} });
    await call('family 1: wrong method', { method: 'DELETE', url: '/api/staff', headers: bearer(admin) });

    // ───────────── family 4: the partner gateway ─────────────
    let serial = 0;
    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    const gateway = (
      step: string,
      callName: string,
      args: Record<string, unknown> | string,
      options: {
        ua?: string;
        key?: string;
        sign?: string;
        timestamp?: string;
        omit?: string;
        summary?: unknown;
      } = {},
    ) => {
      const ua = options.ua ?? UA;
      const text = typeof args === 'string' ? args : JSON.stringify(args);
      const fields: Record<string, string> = {
        ua,
        call: callName,
        args: text,
        sign: options.sign ?? partnerSign(ua, options.key ?? KEY, callName, text),
        timestamp: options.timestamp ?? String(Math.floor(t.clock.now() / 1000)),
      };
      if (options.omit) delete fields[options.omit];
      return call(step, {
        method: 'POST',
        url: '/partner/gateway',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: form(fields),
        ...(options.summary !== undefined ? { summary: options.summary } : {}),
      });
    };
    const masked = {
      user_name: BORROWER_NAME,
      user_phone: `${BORROWER_MOBILE.slice(0, 8)}***`,
      user_idcard: `${BORROWER_ID.slice(0, 14)}****`,
      md5: platformMd5(BORROWER_MOBILE, BORROWER_ID),
    };
    const accept = (step: string, over: Record<string, unknown> = {}) =>
      gateway(step, 'User.isUserAccept', { serial: ++serial, ...masked, ...over });
    await accept('isUserAccept: our borrower, loan unfinished (401)');
    await accept('isUserAccept: a stranger (200)', { user_name: '刘先生', md5: '0'.repeat(32) });
    await accept('isUserAccept: too young (301)', { user_idcard: '11010520100101****', md5: '0'.repeat(32) });
    await accept('isUserAccept: blacklisted (403)', {
      user_name: '黑名单',
      user_phone: `${BLACK_MOBILE.slice(0, 8)}***`,
      user_idcard: `${BLACK_ID.slice(0, 14)}****`,
      md5: platformMd5(BLACK_MOBILE, BLACK_ID),
    });
    await accept('isUserAccept: invalid args name the fields', {
      user_phone: BORROWER_MOBILE,
      user_idcard: BORROWER_ID,
    });
    await accept('isUserAccept: missing args field', { user_name: undefined });
    await gateway(
      'isUserAccept: bad sign',
      'User.isUserAccept',
      { serial: ++serial, ...masked },
      { key: 'wrong' },
    );
    await gateway(
      'isUserAccept: missing sign',
      'User.isUserAccept',
      { serial: ++serial, ...masked },
      { omit: 'sign' },
    );
    await gateway('isUserAccept: missing args', 'User.isUserAccept', { serial: ++serial }, { omit: 'args' });
    await gateway(
      'isUserAccept: stale timestamp',
      'User.isUserAccept',
      { serial: ++serial, ...masked },
      {
        timestamp: String(Math.floor(t.clock.now() / 1000) - 3600),
      },
    );
    const replayArgs = { serial: ++serial, ...masked };
    await gateway('isUserAccept: first of a replayed pair', 'User.isUserAccept', replayArgs);
    await gateway('isUserAccept: replay', 'User.isUserAccept', replayArgs);
    await gateway(
      'gateway: unknown ua',
      'User.isUserAccept',
      { serial: ++serial },
      { ua: 'NOBODY', key: KEY },
    );
    await gateway('gateway: unknown call', 'User.noSuchCall', { serial: ++serial });
    await gateway('gateway: call named after Object.prototype', 'valueOf', { serial: ++serial });
    await gateway('gateway: args not JSON', 'User.isUserAccept', `{serial:${++serial}`);
    await gateway('gateway: args an array', 'User.isUserAccept', `[${++serial}]`);
    await gateway('gateway: args with NUL', 'User.isUserAccept', { serial: ++serial, user_name: 'a\u0000' });
    await gateway('getValidBankList: all', 'BindCard.getValidBankList', { serial: ++serial });
    await gateway('getValidBankList: debit cards', 'BindCard.getValidBankList', {
      serial: ++serial,
      card_type: 1,
    });
    await gateway('getValidBankList: invalid card_type', 'BindCard.getValidBankList', {
      serial: ++serial,
      card_type: 3,
    });
    await gateway(
      'getValidBankList: missing sign',
      'BindCard.getValidBankList',
      { serial: ++serial },
      { omit: 'sign' },
    );
    await gateway(
      'getValidBankList: bad sign',
      'BindCard.getValidBankList',
      { serial: ++serial },
      { sign: '0'.repeat(32) },
    );
    await gateway(
      'getValidBankList: the limited partner',
      'BindCard.getValidBankList',
      { serial: ++serial },
      { ua: 'WIRE_LIMITED', key: 'limited-signkey-0123456789' },
    );
    await gateway(
      'isUserAccept: call not permitted to the limited partner',
      'User.isUserAccept',
      { serial: ++serial, ...masked },
      { ua: 'WIRE_LIMITED', key: 'limited-signkey-0123456789' },
    );
    const bindArgs = {
      order_sn: '246964109149933',
      bank_code: 'ICBC',
      user_name: BORROWER_NAME,
      user_idcard: BORROWER_ID,
      card_number: CARD,
      card_phone: BORROWER_MOBILE,
      user_phone: BORROWER_MOBILE,
      echo_data: '{pid: 123456}',
    };
    await gateway('applyBindCard: asks for the SMS code (100)', 'BindCard.applyBindCard', bindArgs);
    const code = lastCode(BORROWER_MOBILE);
    await gateway('applyBindCard: wrong SMS code', 'BindCard.applyBindCard', {
      ...bindArgs,
      verify_code: code === '000000' ? '111111' : '000000',
    });
    await gateway(
      'applyBindCard: with the code (200)',
      'BindCard.applyBindCard',
      { ...bindArgs, verify_code: code, echo_data: 'with code' },
      {
        summary: {
          call: 'BindCard.applyBindCard',
          args: { ...bindArgs, verify_code: '<sms-code>', echo_data: 'with code' },
          sign: 'partnerSign of the args',
        },
      },
    );
    await gateway('applyBindCard: the same card again', 'BindCard.applyBindCard', {
      ...bindArgs,
      echo_data: 'again',
    });
    await gateway('applyBindCard: another card (505)', 'BindCard.applyBindCard', {
      ...bindArgs,
      card_number: '6222080200000000003',
      echo_data: 'other',
    });
    await gateway('applyBindCard: bank does not match the BIN (402)', 'BindCard.applyBindCard', {
      ...bindArgs,
      bank_code: 'BOC',
      user_idcard: `11010519850505002${idCardCheckDigit('11010519850505002')}`,
      user_name: '张三',
      echo_data: 'e1',
    });
    await gateway('applyBindCard: nobody we know (401)', 'BindCard.applyBindCard', {
      ...bindArgs,
      user_idcard: `11010519850505002${idCardCheckDigit('11010519850505002')}`,
      user_name: '张三',
      echo_data: 'e2',
    });
    await gateway('applyBindCard: invalid args name the fields', 'BindCard.applyBindCard', {
      serial: ++serial,
      bank_code: '',
      card_number: '123',
      user_idcard: 'x',
      card_phone: '1',
    });
    await gateway(
      'applyBindCard: missing sign',
      'BindCard.applyBindCard',
      { ...bindArgs, echo_data: 'e3' },
      {
        omit: 'ua',
      },
    );
    await gateway(
      'applyBindCard: bad sign',
      'BindCard.applyBindCard',
      { ...bindArgs, echo_data: 'e4' },
      { key: 'x' },
    );
    await call('callbacks: after binding', { url: '/api/partner-callbacks', headers: bearer(admin) });
    await call('family 4: empty form', {
      method: 'POST',
      url: '/partner/gateway',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    await call('family 4: no body at all', { method: 'POST', url: '/partner/gateway' });
    await call('family 4: JSON body (unsupported content type)', {
      method: 'POST',
      url: '/partner/gateway',
      headers: { 'content-type': 'application/json' },
      payload: '{"ua":',
    });
    await call('family 4: unknown URL', { method: 'POST', url: '/partner/nope', payload: {} });
    await call('family 4: GET the gateway', { url: '/partner/gateway' });

    // the partner's order goes on to 终审: the decision is queued as a callback to the platform
    await mq('order pass: partner order', 'order_pass', { son_order_id: partnerOrder });
    await pass('pass: 权证 (partner order)', partnerOrder, quanzheng);
    await pass('pass: 审查 (partner order)', partnerOrder, shencha);
    await pass('pass: 终审 (partner order)', partnerOrder, zhongshen, { reason: '审核通过' });
    await accept('isUserAccept: our borrower, loan approved and finished (200)');
    await call('callbacks: pending', {
      url: '/api/partner-callbacks?status=pending',
      headers: bearer(admin),
    });
    await call('callbacks: all', { url: '/api/partner-callbacks', headers: bearer(admin) });
    await call('callbacks: bad status', {
      url: '/api/partner-callbacks?status=lost',
      headers: bearer(admin),
    });
    await call('sms messages: all', { url: '/api/sms-messages', headers: bearer(admin) });
    await call('sms messages: sent', { url: '/api/sms-messages?status=sent,failed', headers: bearer(admin) });
    await call('sms messages: bad status', { url: '/api/sms-messages?status=lost', headers: bearer(admin) });
    await call('callbacks: not admin', { url: '/api/partner-callbacks', headers: bearer(kefu) });
    await call('escrow isvs: create', {
      method: 'POST',
      url: '/api/escrow-isvs',
      headers: bearer(admin),
      payload: {
        app_key: 'admin-made-isv',
        secret: 'admin-made-secret-0123',
        methods: '*',
        store_ids: [10223],
      },
    });
    await call('escrow isvs: bad', {
      method: 'POST',
      url: '/api/escrow-isvs',
      headers: bearer(admin),
      payload: { app_key: 'x', secret: 'short', methods: [], store_ids: '*' },
    });
    await call('escrow isvs: list', { url: '/api/escrow-isvs', headers: bearer(admin) });
    await call('escrow isvs: not admin', { url: '/api/escrow-isvs', headers: bearer(kefu) });
    await call('escrow notifications: all', { url: '/api/escrow-notifications', headers: bearer(admin) });
    await call('escrow notifications: bad status', {
      url: '/api/escrow-notifications?status=lost',
      headers: bearer(admin),
    });

    // Family 3: the TOP gateway.
    await t.app.runtime.modules.escrow.isvs.create(
      { appKey: 'wire-isv', secret: 'wire-isv-secret-0123456789', methods: '*', storeIds: '*' },
      t.clock.now(),
      'test',
    );
    const top = (method: string, business: Record<string, string>, format?: string) => {
      const params: Record<string, string> = {
        method,
        app_key: 'wire-isv',
        timestamp: formatShanghaiDateTime(t.clock.now()),
        v: '2.0',
        sign_method: 'md5',
        ...(format ? { format } : {}),
        ...business,
      };
      return new URLSearchParams({
        ...params,
        sign: topSign(params, 'wire-isv-secret-0123456789', 'md5'),
      }).toString();
    };
    const topForm = { 'content-type': 'application/x-www-form-urlencoded' };
    const OPERATE = 'tmall.alihouse.trade.order.second.house.operate';
    const created = await call('escrow: CREATE (json)', {
      method: 'POST',
      url: '/router/rest',
      headers: topForm,
      payload: top(OPERATE, { operate_request: JSON.stringify(createRequest(1)) }, 'json'),
    });
    await call('escrow: CREATE retried (xml)', {
      method: 'POST',
      url: '/router/rest',
      headers: topForm,
      payload: top(OPERATE, { operate_request: JSON.stringify(createRequest(1)), partner_id: 'retry' }),
    });
    const getQuery = top(
      'tmall.alihouse.trade.order.second.house.get',
      {
        house_order_no: created.json()[`${OPERATE.replaceAll('.', '_')}_response`].result.data.house_order_no,
      },
      'json',
    );
    // Signed over the random order number, so as random as it.
    rec.secret('top-sign', new URLSearchParams(getQuery).get('sign')!);
    await call('escrow: get', { url: `/router/rest?${getQuery}` });
    await call('escrow: bad fields', {
      method: 'POST',
      url: '/router/rest',
      headers: topForm,
      payload: top(
        OPERATE,
        { operate_request: JSON.stringify({ ...createRequest(2), sign_over_time_hour: 30, item_id: -1 }) },
        'json',
      ),
    });
    await call('escrow: MODIFY unknown order', {
      method: 'POST',
      url: '/router/rest',
      headers: topForm,
      payload: top(
        OPERATE,
        { operate_request: JSON.stringify({ operate_type: 'MODIFY', house_order_no: '20240601000000000' }) },
        'json',
      ),
    });
    const createdData = created.json()[`${OPERATE.replaceAll('.', '_')}_response`].result.data;
    const buyerToken = new URL(createdData.buyer_url).pathname.split('/').at(-1)!;
    rec.secret('acceptance-token', buyerToken);
    await call('escrow pages: view', { url: `/escrow/api/invitations/${buyerToken}` });
    await call('escrow pages: unknown token', { url: '/escrow/api/invitations/no-such-token' });
    await call('escrow pages: send code', {
      method: 'POST',
      url: `/escrow/api/invitations/${buyerToken}/send-code`,
      payload: {},
    });
    const sentToBuyer = /(\d{6})/.exec(sms.sent.at(-1)?.text ?? '')?.[1];
    await call('escrow pages: accept, wrong code', {
      method: 'POST',
      url: `/escrow/api/invitations/${buyerToken}/accept`,
      payload: { code: sentToBuyer === '000000' ? '111111' : '000000' },
    });
    await call('escrow pages: decline, no code', {
      method: 'POST',
      url: `/escrow/api/invitations/${buyerToken}/decline`,
      payload: { reason: '价格不合适' },
    });
    await call('escrow: missing method', {
      method: 'POST',
      url: '/router/rest',
      headers: topForm,
      payload: 'v=2.0&format=json',
    });
    await call('audit trail: partner order', {
      url: `/api/loan-orders/${partnerOrder}/audit`,
      headers: bearer(admin),
    });

    // ───────────── family 2: rental ─────────────
    await call('send code: bad mobile', {
      method: 'POST',
      url: '/user_auth/send_code',
      payload: { mobile: '123' },
    });
    await call('send code: missing mobile', { method: 'POST', url: '/user_auth/send_code', payload: {} });
    await call('send code', { method: 'POST', url: '/user_auth/send_code', payload: { mobile: TENANT } });
    await call('login: wrong code', {
      method: 'POST',
      url: '/user_auth/login',
      payload: { mobile: TENANT, code: lastCode(TENANT) === '000000' ? '111111' : '000000' },
    });
    await call('login: missing code', {
      method: 'POST',
      url: '/user_auth/login',
      payload: { mobile: TENANT },
    });
    const tenantLogin = await call('login', {
      method: 'POST',
      url: '/user_auth/login',
      payload: { mobile: TENANT, code: lastCode(TENANT) },
    });
    const tenant = body(tenantLogin).data.token as string;
    await call('send code: the demo tenant', {
      method: 'POST',
      url: '/user_auth/send_code',
      payload: { mobile: DEMO_TENANT_MOBILE },
    });
    const demoTenant = body(
      await call('login: the demo tenant', {
        method: 'POST',
        url: '/user_auth/login',
        payload: { mobile: DEMO_TENANT_MOBILE, code: lastCode(DEMO_TENANT_MOBILE) },
      }),
    ).data.token as string;
    const rget = (step: string, url: string, token = tenant) => call(step, { url, headers: bearer(token) });
    const rpost = (step: string, url: string, payload: Record<string, unknown>, token = tenant) =>
      call(step, { method: 'POST', url, headers: bearer(token), payload });
    await rget('contract read', `/user_contract/read?id=${DEMO_ENTRUST_ID}`);
    await rget('contract read: unknown house', '/user_contract/read?id=999');
    await rget('contract read: missing id', '/user_contract/read');
    await call('contract read: no session', { url: `/user_contract/read?id=${DEMO_ENTRUST_ID}` });
    await call('contract read: bad token', {
      url: `/user_contract/read?id=${DEMO_ENTRUST_ID}`,
      headers: bearer('nope'),
    });
    const lease = body(await rpost('contract save', '/user_contract/save', leaseForm())).data as {
      id: string;
      u_p_id: string;
    };
    const lease3 = body(
      await rpost('contract save: 押一付三', '/user_contract/save', {
        ...leaseForm(),
        h_i_id: '1',
        r_e_time: '2025-04-09',
      }),
    ).data as { id: string; u_p_id: string };
    await rpost('contract save: every bad field', '/user_contract/save', {
      ...leaseForm(),
      t_name: '张',
      t_phone: '123',
      t_id_card: '110105194912310021',
      r_e_time: '2024-06-01',
      p_time: '{oops',
      mode: '7',
      m_store: '店',
      h_address: '',
    });
    await rpost('contract save: unknown house', '/user_contract/save', { ...leaseForm(), h_i_id: '999' });
    await rpost('contract save: room of another house', '/user_contract/save', {
      ...leaseForm(),
      h_i_id: '1',
      r_id: '1',
    });
    await rpost('contract save: missing fields', '/user_contract/save', {});
    const pay = await rpost('longPay: WeChat APP', '/user_order/longPay', {
      id: lease.id,
      is_d_deposit: 0,
      u_p_id: lease.u_p_id,
    });
    const paymentId = body(pay).data.id as number;
    await rpost('longPay: again, same payment', '/user_order/longPay', {
      id: lease.id,
      is_d_deposit: 0,
      u_p_id: lease.u_p_id,
    });
    await rpost('longPay: unknown order', '/user_order/longPay', {
      id: '999999',
      is_d_deposit: 0,
      u_p_id: '1',
    });
    await rpost('longPay: missing fields', '/user_order/longPay', {});
    await rpost(
      'longPay: another tenant',
      '/user_order/longPay',
      { id: lease.id, is_d_deposit: 0, u_p_id: lease.u_p_id },
      demoTenant,
    );
    await rget('order read: unpaid', `/user_order/read?id=${paymentId}`);
    await rget('order read: unknown payment', '/user_order/read?id=999999');
    await rget('order read: another tenant', `/user_order/read?id=${paymentId}`, demoTenant);

    // ───────────── WeChat Pay v2 notify ─────────────
    const payment = await t.db.kysely
      .selectFrom('payments')
      .select('out_trade_no')
      .where('id', '=', paymentId)
      .executeTakeFirstOrThrow();
    const outTradeNo = payment.out_trade_no;
    rec.secret('out-trade-no', outTradeNo);
    const sandbox = t.app.runtime.sandbox!;
    await sandbox.pay(outTradeNo, { notify: false });
    const xmlHeaders = { 'content-type': 'text/xml' };
    const notify = (step: string, xml: string, summary: string, headers = xmlHeaders) =>
      call(step, { method: 'POST', url: '/payments/wechat/notify', headers, payload: xml, summary });
    await notify(
      'v2 notify: forged signature',
      sandbox.notifyXml(outTradeNo, {}, 'f'.repeat(32)),
      'notifyXml(SUCCESS) signed with another key',
    );
    await notify(
      'v2 notify: wrong amount',
      sandbox.notifyXml(outTradeNo, { total_fee: '1', cash_fee: '1' }),
      'notifyXml(SUCCESS) total_fee=1',
    );
    await notify(
      'v2 notify: unknown out_trade_no',
      sandbox.notifyXml(outTradeNo, { out_trade_no: 'P999999999999999999999999' }),
      'notifyXml(SUCCESS) out_trade_no=P999999999999999999999999',
    );
    await notify('v2 notify: paid', sandbox.notifyXml(outTradeNo), 'notifyXml(SUCCESS)');
    await notify('v2 notify: paid again (idempotent)', sandbox.notifyXml(outTradeNo), 'notifyXml(SUCCESS)');
    await notify('v2 notify: not XML', 'hello', 'hello');
    await notify('v2 notify: empty XML', '<xml></xml>', '<xml></xml>');
    await notify('v2 notify: JSON content type', '{"a":1}', '{"a":1}', {
      'content-type': 'application/json',
    });
    await call('v2 notify: unknown URL', { method: 'POST', url: '/payments/wechat/nope', payload: {} });
    await rget('order read: paid', `/user_order/read?id=${paymentId}`);
    await rpost('longPay: already paid', '/user_order/longPay', {
      id: lease.id,
      is_d_deposit: 0,
      u_p_id: lease.u_p_id,
    });
    await rget('getMonth', `/user_order/getMonth?id=${lease.id}`);
    await rget('getMonth: unknown order', '/user_order/getMonth?id=999999');
    await rget('getMonth: another tenant', `/user_order/getMonth?id=${lease.id}`, demoTenant);
    await rpost('retirement', '/user_order/retirement', { id: lease.id });
    await rpost('retirement: again', '/user_order/retirement', { id: lease.id });
    await rpost('retirement: unpaid order', '/user_order/retirement', { id: lease3.id });
    await rpost('retirement: missing id', '/user_order/retirement', {});

    // booking: the demo tenant's held deposit, then WeChat
    const demoLease = body(
      await rpost(
        'contract save: demo tenant',
        '/user_contract/save',
        { ...leaseForm(), h_i_id: '1' },
        demoTenant,
      ),
    ).data as { id: string; u_p_id: string };
    await rpost(
      'booking: WeChat for the fee',
      '/user_order/booking',
      { id: demoLease.id, is_d_deposit: 0, u_p_id: demoLease.u_p_id },
      demoTenant,
    );
    await rpost(
      'booking: again',
      '/user_order/booking',
      { id: demoLease.id, is_d_deposit: 1, u_p_id: demoLease.u_p_id },
      demoTenant,
    );
    await rpost('booking: is_d_deposit=1 but nothing held: WeChat for the fee', '/user_order/booking', {
      id: lease3.id,
      is_d_deposit: 1,
      u_p_id: lease3.u_p_id,
    });
    await rpost('booking: unknown order', '/user_order/booking', {
      id: '999999',
      is_d_deposit: 0,
      u_p_id: '1',
    });
    await rpost('booking: missing fields', '/user_order/booking', {});
    const small = body(
      await rpost('contract save: paid from the deposit', '/user_contract/save', leaseForm(), demoTenant),
    ).data as { id: string; u_p_id: string };
    const fromDeposit = await rpost(
      'longPay: the held deposit covers it',
      '/user_order/longPay',
      { id: small.id, is_d_deposit: 1, u_p_id: small.u_p_id },
      demoTenant,
    );
    await rget(
      'order read: paid from the deposit',
      `/user_order/read?id=${body(fromDeposit).data.id}`,
      demoTenant,
    );

    // family 2 as a client gets it wrong
    await call('family 2: body not JSON', {
      method: 'POST',
      url: '/user_contract/save',
      headers: { ...bearer(tenant), 'content-type': 'application/json' },
      payload: '{"t_name":',
    });
    await call('family 2: unsupported content type', {
      method: 'POST',
      url: '/user_auth/send_code',
      headers: { 'content-type': 'application/xml' },
      payload: '<mobile>13900004444</mobile>',
    });
    await call('family 2: form body', {
      method: 'POST',
      url: '/user_order/retirement',
      headers: { ...bearer(tenant), 'content-type': 'application/x-www-form-urlencoded' },
      payload: `id=${lease3.id}`,
    });
    await call('family 2: unknown /user_order URL', { url: '/user_order/nope', headers: bearer(tenant) });
    await call('family 2: unknown /user_contract URL', {
      method: 'POST',
      url: '/user_contract/nope',
      payload: {},
    });
    await call('family 2: unknown /user_auth URL', { method: 'POST', url: '/user_auth/nope', payload: {} });

    // ───────────── WeChat Pay v3 notify ─────────────
    const jsapiPayment = async (subjectId: string) => {
      const payment = await t.db.kysely.transaction().execute((trx) =>
        openPayment(trx, {
          purpose: 'parking',
          subjectId,
          payer: 'wechat:oUser',
          amount: 30_000,
          channel: 'wechat_jsapi',
          now: t.clock.now(),
        }),
      );
      rec.secret('out-trade-no', payment.out_trade_no);
      await requestJsapiPay(t.app.runtime.payments, payment, { description: '月租车位', openId: 'oUser' });
      return payment;
    };
    const v3Payment = await jsapiPayment('wire-1');
    const sandboxV3 = t.app.runtime.sandboxV3()!;
    const v3 = (step: string, notice: { headers: Record<string, string>; body: string }, summary: string) =>
      call(step, {
        method: 'POST',
        url: '/payments/wechat/v3/notify',
        headers: { ...notice.headers, 'content-type': 'application/json' },
        payload: notice.body,
        summary,
      });
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await v3(
      'v3 notify: signed by a stranger',
      sandboxV3.notify(v3Payment.out_trade_no, stranger.privateKey),
      'notify signed by another key',
    );
    const fresh = sandboxV3.notify(v3Payment.out_trade_no);
    await v3(
      'v3 notify: tampered ciphertext',
      { headers: fresh.headers, body: fresh.body.replace('"ciphertext":"', '"ciphertext":"AAAA') },
      'notify with its ciphertext changed after signing',
    );
    await v3(
      'v3 notify: no signature headers',
      { headers: {}, body: fresh.body },
      'notify without Wechatpay-* headers',
    );
    await call('v3 notify: body not JSON', {
      method: 'POST',
      url: '/payments/wechat/v3/notify',
      headers: { 'content-type': 'application/json' },
      payload: '{"id":',
    });
    await call('v3 notify: XML content type', {
      method: 'POST',
      url: '/payments/wechat/v3/notify',
      headers: { 'content-type': 'text/xml' },
      payload: '<xml/>',
    });
    await call('v3 notify: unknown URL', { method: 'POST', url: '/payments/wechat/v3/nope', payload: {} });
    // The payer pays (or fails): the sandbox's own delivery, signed by a stranger so it is
    // refused, is not recorded; the notify sent after it is.
    await sandboxV3.settle(v3Payment.out_trade_no, 'SUCCESS', { signWith: stranger.privateKey });
    await v3('v3 notify: paid', sandboxV3.notify(v3Payment.out_trade_no), 'notify of the paid order');
    await v3(
      'v3 notify: paid again (idempotent)',
      sandboxV3.notify(v3Payment.out_trade_no),
      'notify of the paid order',
    );
    const failed = await jsapiPayment('wire-2');
    await sandboxV3.settle(failed.out_trade_no, 'PAYERROR', { signWith: stranger.privateKey });
    await v3(
      'v3 notify: payment failed',
      sandboxV3.notify(failed.out_trade_no),
      'notify of the failed order',
    );

    // ───────────── development: the WeChat Pay sandbox by hand ─────────────
    await call('dev sandbox: absent outside development', { url: '/dev/wechat-sandbox/orders' });
    await call('dev sandbox: pay absent outside development', {
      method: 'POST',
      url: '/dev/wechat-sandbox/pay',
      payload: { out_trade_no: 'P1' },
    });
    const devCall = (step: string, c: WireCall) => rec.call(dev, step, c);
    const devLease = body(
      await devCall('dev: contract save', {
        method: 'POST',
        url: '/user_contract/save',
        headers: bearer(tenant),
        payload: leaseForm(),
      }),
    ).data as { id: string; u_p_id: string };
    const devLease2 = body(
      await devCall('dev: contract save (to fail)', {
        method: 'POST',
        url: '/user_contract/save',
        headers: bearer(tenant),
        payload: leaseForm(),
      }),
    ).data as { id: string; u_p_id: string };
    const devPay = body(
      await devCall('dev: longPay', {
        method: 'POST',
        url: '/user_order/longPay',
        headers: bearer(tenant),
        payload: { id: devLease.id, is_d_deposit: 0, u_p_id: devLease.u_p_id },
      }),
    ).data as { id: number };
    const devPay2 = body(
      await devCall('dev: longPay (to fail)', {
        method: 'POST',
        url: '/user_order/longPay',
        headers: bearer(tenant),
        payload: { id: devLease2.id, is_d_deposit: 0, u_p_id: devLease2.u_p_id },
      }),
    ).data as { id: number };
    const orders = body(await devCall('dev sandbox: orders', { url: '/dev/wechat-sandbox/orders' }))
      .orders as Array<{
      out_trade_no: string;
      prepay_id: string;
    }>;
    const noOf = async (id: number) =>
      (
        await t.db.kysely
          .selectFrom('payments')
          .select('out_trade_no')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).out_trade_no;
    assert.equal(orders.length, 2);
    await devCall('dev sandbox: pay', {
      method: 'POST',
      url: '/dev/wechat-sandbox/pay',
      payload: { out_trade_no: await noOf(devPay.id) },
    });
    await devCall('dev sandbox: fail', {
      method: 'POST',
      url: '/dev/wechat-sandbox/fail',
      payload: { out_trade_no: await noOf(devPay2.id) },
    });
    await devCall('dev sandbox: orders after', { url: '/dev/wechat-sandbox/orders' });
    await devCall('dev sandbox: unknown order', {
      method: 'POST',
      url: '/dev/wechat-sandbox/pay',
      payload: { out_trade_no: 'P000000000000' },
    });
    await devCall('dev sandbox: missing out_trade_no', {
      method: 'POST',
      url: '/dev/wechat-sandbox/fail',
      payload: {},
    });
    await devCall('dev sandbox: body not JSON', {
      method: 'POST',
      url: '/dev/wechat-sandbox/pay',
      headers: { 'content-type': 'application/json' },
      payload: '{"out_trade_no":',
    });
    await devCall('dev sandbox: unknown refund', {
      method: 'POST',
      url: '/dev/wechat-sandbox/refund',
      payload: { out_refund_no: 'R000000000000' },
    });
    await devCall('dev sandbox: refund without out_refund_no', {
      method: 'POST',
      url: '/dev/wechat-sandbox/refund',
      payload: {},
    });
    await devCall('dev sandbox: unknown URL', { url: '/dev/wechat-sandbox/nope' });
    await devCall('dev: order read paid', {
      url: `/user_order/read?id=${devPay.id}`,
      headers: bearer(tenant),
    });
    await devCall('dev: order read failed', {
      url: `/user_order/read?id=${devPay2.id}`,
      headers: bearer(tenant),
    });

    // ───────────── family 3: escrow money (pay-in, maker-checker, payouts) ─────────────
    {
      const escrow = t.app.runtime.modules.escrow;
      const isv = (await escrow.isvs.find('wire-isv'))!;
      const made = await escrow.operate(
        { id: isv.id, appKey: isv.appKey, storeIds: '*' },
        createRequest(3, {
          house_contract_infos: [
            {
              contract_online_flag: 'Y',
              contract_type: 'SALES',
              depository_amount_types: ['deposit_pay', 'down_pay'],
            },
          ],
        }),
        t.clock.now(),
      );
      rec.secret('house-order-no', made.house_order_no);
      const tokenOf = (url: string) => {
        const token = new URL(url).pathname.split('/').at(-1)!;
        rec.secret('acceptance-token', token);
        return token;
      };
      const buyerPays = tokenOf(made.buyer_url);
      const landlordPays = tokenOf(made.landlord_url);
      for (const [token, mobile] of [
        [buyerPays, phone(3, 1)],
        [landlordPays, phone(3, 2)],
      ] as const) {
        await escrow.acceptance.sendCode(token, `192.0.2.${mobile.slice(-1)}0`, t.clock.now());
        await escrow.acceptance.accept(token, { code: lastCode(mobile), ip: '192.0.2.30' }, t.clock.now());
      }
      const maskPay = (res: { json(): { data?: { pay_params?: Record<string, string> } } }) => {
        const params = res.json().data?.pay_params;
        if (params)
          for (const key of ['nonceStr', 'package', 'paySign'] as const)
            rec.secret(`pay-${key}`, params[key]!);
      };
      // Masks are applied when the recording is read, so random values are remembered after each call.
      const paid = await call('escrow pay: deposit (JSAPI)', {
        method: 'POST',
        url: `/escrow/api/invitations/${buyerPays}/pay`,
        payload: { amount_type: 'deposit_pay', open_id: 'oWireBuyer' },
      });
      maskPay(paid);
      await call('escrow pay: by the landlord', {
        method: 'POST',
        url: `/escrow/api/invitations/${landlordPays}/pay`,
        payload: { amount_type: 'down_pay', open_id: 'oWireLandlord' },
      });
      await call('escrow pay: a type not escrowed', {
        method: 'POST',
        url: `/escrow/api/invitations/${buyerPays}/pay`,
        payload: { amount_type: 'balance_pay', open_id: 'oWireBuyer' },
      });
      await t.app.runtime.sandboxV3()!.settle(body(paid).data.out_trade_no, 'SUCCESS');
      await call('escrow pay: deposit already paid', {
        method: 'POST',
        url: `/escrow/api/invitations/${buyerPays}/pay`,
        payload: { amount_type: 'deposit_pay', open_id: 'oWireBuyer' },
      });
      const escrowMaker = await staff('escrow');
      const escrowChecker = await staff('escrow');
      const no = made.house_order_no;
      const desk = (step: string, url: string, token: string, payload?: Record<string, unknown>) =>
        call(step, {
          method: payload ? 'POST' : 'GET',
          url,
          headers: bearer(token),
          ...(payload ? { payload } : {}),
        });
      const maskPayout = (res: {
        json(): { data?: { payout?: { payout_no: string; provider_id: string | null } } };
      }) => {
        const payout = res.json().data?.payout;
        if (payout) rec.secret('payout-no', payout.payout_no);
        if (payout?.provider_id) rec.secret('provider-id', payout.provider_id);
      };
      await desk('escrow order: not the escrow role', `/api/escrow-orders/${no}`, kefu);
      await desk('escrow order: unknown', '/api/escrow-orders/20240601000000000', escrowMaker);
      const release = await desk(
        'escrow release: request',
        `/api/escrow-orders/${no}/releases`,
        escrowMaker,
        {
          kind: 'release',
          amount: 6_000_000,
          reason: '过户完成',
        },
      );
      await desk('escrow release: bad fields', `/api/escrow-orders/${no}/releases`, escrowMaker, {
        kind: 'refund',
        amount: 1,
        reason: '退款',
        payee_card_no: '1234',
        payee_bank: '',
      });
      const releaseId = body(release).data.id as number;
      await desk("escrow releases: the checkers' queue", '/api/escrow-releases', escrowChecker);
      await desk('escrow releases: a bad state named', '/api/escrow-releases?state=paid', escrowChecker);
      await desk(
        'escrow release: approve by its requester',
        `/api/escrow-releases/${releaseId}/approve`,
        escrowMaker,
        {},
      );
      maskPayout(
        await desk(
          'escrow release: approve (payout paid)',
          `/api/escrow-releases/${releaseId}/approve`,
          escrowChecker,
          {},
        ),
      );
      await desk(
        'escrow release: approve twice',
        `/api/escrow-releases/${releaseId}/approve`,
        escrowChecker,
        {},
      );
      const tooMuch = await desk(
        'escrow release: more than held',
        `/api/escrow-orders/${no}/releases`,
        escrowMaker,
        {
          kind: 'release',
          amount: 9_000_000,
          reason: '超额',
        },
      );
      await desk(
        'escrow release: approve more than held',
        `/api/escrow-releases/${body(tooMuch).data.id}/approve`,
        escrowChecker,
        {},
      );
      await desk(
        'escrow release: reject',
        `/api/escrow-releases/${body(tooMuch).data.id}/reject`,
        escrowChecker,
        {
          reason: '金额超过监管余额',
        },
      );
      const refund = await desk('escrow refund: request', `/api/escrow-orders/${no}/releases`, escrowMaker, {
        kind: 'refund',
        amount: 1_000_000,
        reason: '买方退款',
        payee_card_no: '6222020200000000006',
        payee_bank: '工商银行',
      });
      (escrow.payoutProvider as PayoutSandbox).failNext(1);
      const failedRefund = await desk(
        'escrow refund: approve (payout fails)',
        `/api/escrow-releases/${body(refund).data.id}/approve`,
        escrowChecker,
        {},
      );
      maskPayout(failedRefund);
      const payoutId = body(failedRefund).data.payout.id as number;
      const retried = await desk(
        'escrow payout: retry',
        `/api/escrow-payouts/${payoutId}/retry`,
        escrowMaker,
        {},
      );
      rec.secret('provider-id', body(retried).data.provider_id);
      await desk(
        'escrow payout: retry a paid payout',
        `/api/escrow-payouts/${payoutId}/retry`,
        escrowMaker,
        {},
      );
      await desk('escrow order: money, requests and payouts', `/api/escrow-orders/${no}`, escrowChecker);
    }

    // ───────────── the jobs the wire shows: health after a tick ─────────────
    await t.app.runtime.jobs.tick();
    await call('health after the jobs ran', { url: '/healthz' });

    // ───────────── family 2 in the back office: leases and the move-out refund (admin) ─────────────
    // Last, so the refund and audit rows they make shift no other answer.
    await call('leases: list', { url: '/api/leases', headers: bearer(admin) });
    await call('leases: moving out', { url: '/api/leases?status=5', headers: bearer(admin) });
    await call('leases: by tenant mobile, paged', {
      url: `/api/leases?mobile=${TENANT}&page=2&page_size=2`,
      headers: bearer(admin),
    });
    await call('leases: bad filters', {
      url: '/api/leases?status=7&mobile=123&page=0',
      headers: bearer(admin),
    });
    await call('leases: not admin', { url: '/api/leases', headers: bearer(kefu) });
    await call('lease: detail', { url: `/api/leases/${lease.id}`, headers: bearer(admin) });
    await call('lease: unknown', { url: '/api/leases/999999', headers: bearer(admin) });
    const completeRetirement = (step: string, id: string) =>
      call(step, { method: 'POST', url: `/api/leases/${id}/complete-retirement`, headers: bearer(admin) });
    await completeRetirement('complete retirement: not moving out', lease3.id);
    await completeRetirement('complete retirement: unknown lease', '999999');
    const completed = await completeRetirement('complete retirement: the 押金 refunded', lease.id);
    for (const refund of body(completed).data.refunds as Array<{ out_refund_no: string }>)
      rec.secret('out-refund-no', refund.out_refund_no);
    await completeRetirement('complete retirement: again', lease.id);
    await call('lease: detail after the move-out', {
      url: `/api/leases/${lease.id}`,
      headers: bearer(admin),
    });

    // ───────────── family 5: campus parking (the user's page, orders, the back office) ─────────────
    // Last, so the users, orders, payments and audit rows it makes shift no other answer.
    {
      const parkingCookie = (response: { headers: Record<string, unknown> }) => {
        const header = response.headers['set-cookie'];
        const cookies = Array.isArray(header) ? header : [String(header ?? '')];
        const token =
          cookies
            .find((c) => c.startsWith('fangtong_parking='))
            ?.split(';')[0]
            ?.split('=')[1] ?? '';
        rec.secret('parking-session', token);
        return `fangtong_parking=${token}`;
      };
      const signInParking = async (step: string, openId: string, redirect = '/parking/') =>
        parkingCookie(
          await call(step, {
            url: `/parking/oauth/authorize?open_id=${openId}&redirect=${encodeURIComponent(redirect)}`,
          }),
        );
      const parking = (step: string, url: string, payload: Record<string, unknown>, cookie?: string) =>
        call(step, {
          method: 'POST',
          url: `/parking/api/${url}`,
          ...(cookie ? { headers: { cookie } } : {}),
          payload,
        });
      const parkingId = (kind: string, id: unknown) => {
        if (typeof id === 'string' && id) rec.secret(kind, id);
        return String(id);
      };
      const PARK = '1463714771961';
      const DEMO_CARD = '0027f8615ca143a4967b98ee7dad1026';
      const DEMO_USER = 'b5ae3fed8f35419ab3e6c9521e631354';

      const demoDriver = await signInParking(
        'parking oauth: the demo openId (sandbox)',
        'sandbox-demo-openid',
      );
      await call('parking oauth: a redirect off the page goes to /parking/', {
        url: '/parking/oauth/authorize?open_id=sandbox-wire-visitor&redirect=https%3A%2F%2Fevil.example%2F',
      });
      await call('parking oauth: callback without live OAuth', {
        url: '/parking/oauth/callback?code=x&state=y',
      });
      await parking('parking: no session', 'user/find-by-card-id', { omPrCardId: DEMO_CARD });
      await parking('parking: unknown URL', 'user/nothing', {}, demoDriver);
      await call('parking: unknown API URL by GET (not the page)', { url: '/parking/api/nothing' });
      await call('parking page: /parking goes to /parking/', { url: '/parking?pmParkId=1463714771961' });
      await call('parking: body not JSON', {
        method: 'POST',
        url: '/parking/api/user/update',
        headers: { cookie: demoDriver, 'content-type': 'application/json' },
        payload: '{"name":',
      });
      await parking(
        'parking 2: the demo card',
        'user/find-by-card-id',
        { omPrCardId: DEMO_CARD },
        demoDriver,
      );
      await parking(
        'parking 2: unknown card',
        'user/find-by-card-id',
        { omPrCardId: 'f'.repeat(32) },
        demoDriver,
      );
      await parking('parking 2: missing card id', 'user/find-by-card-id', {}, demoDriver);
      await parking('parking 4: first-level orgs', 'park/organizations', { pmParkId: PARK }, demoDriver);
      await parking(
        'parking 4: under 文学院',
        'park/organizations',
        { pmParkId: PARK, orgCode: '111' },
        demoDriver,
      );
      await parking('parking 4: unknown park', 'park/organizations', { pmParkId: '1' }, demoDriver);
      await parking('parking 5: extra items', 'park/extra-infos', { pmParkId: PARK }, demoDriver);
      await parking('parking 5: missing park', 'park/extra-infos', {}, demoDriver);

      const newDriver = await signInParking('parking oauth: a new driver', 'sandbox-wire-driver-01');
      await parking(
        'parking 2: a driver bound to nobody',
        'user/find-by-card-id',
        { omPrCardId: DEMO_CARD },
        newDriver,
      );
      await parking('parking 8: bad phone', 'sms/send-code', { phone: '12345' }, newDriver);
      await parking('parking 8: code sent', 'sms/send-code', { phone: '13900005555' }, newDriver);
      await parking(
        'parking 8: again within the minute',
        'sms/send-code',
        { phone: '13900005555' },
        newDriver,
      );
      await parking('parking 1: every field missing', 'user/find-by-car-num', {}, newDriver);
      const findForm = {
        carNum: '京B54321',
        name: '张三',
        pmParkId: PARK,
        phone: '13900005555',
        duplicateCode: '2020001',
      };
      await parking(
        'parking 1: wrong code',
        'user/find-by-car-num',
        {
          ...findForm,
          phoneCode: lastCode('13900005555') === '000000' ? '111111' : '000000',
          isOverDuplicate: '1',
        },
        newDriver,
      );
      // The code is random per run: the request is recorded with it masked.
      const found = body(
        await call('parking 1: proved, user made and bound', {
          method: 'POST',
          url: '/parking/api/user/find-by-car-num',
          headers: { cookie: newDriver, 'content-type': 'application/json' },
          payload: JSON.stringify({ ...findForm, phoneCode: lastCode('13900005555'), isOverDuplicate: '1' }),
          summary: { ...findForm, phoneCode: '<sms-code>', isOverDuplicate: '1' },
        }),
      );
      const newUser = parkingId('parking-user', found.resultData?.pmSetrentUserinfoId);
      parkingId('parking-card', found.resultData?.cardList?.[0]?.omPrCardId);
      await parking(
        'parking 3: new name',
        'user/update',
        { pmSetrentUserinfoId: newUser, name: '张三丰' },
        newDriver,
      );
      await parking(
        'parking 3: new phone without its code',
        'user/update',
        { pmSetrentUserinfoId: newUser, phone: '13900006666' },
        newDriver,
      );
      await parking(
        'parking 3: another user',
        'user/update',
        { pmSetrentUserinfoId: DEMO_USER, name: 'x' },
        newDriver,
      );
      await parking(
        'parking 9: two plates',
        'car-nums/add',
        { addCarNums: '京L78023,粤BD12345', userInfoId: newUser },
        newDriver,
      );
      await parking(
        'parking 9: bad plates',
        'car-nums/add',
        { addCarNums: '京A1234,ABC', userInfoId: newUser },
        newDriver,
      );
      await parking(
        'parking 9: a plate another user holds',
        'car-nums/add',
        { addCarNums: '京A12345', userInfoId: newUser },
        newDriver,
      );
      await parking(
        'parking 9: over the limit',
        'car-nums/add',
        { addCarNums: '京L78024,京L78025,京L78026', userInfoId: newUser },
        newDriver,
      );
      await parking(
        'parking 10: one added online',
        'car-nums/delete',
        { delCarNums: '京L78023', userInfoId: newUser },
        newDriver,
      );
      await parking(
        'parking 10: a registered plate and a missing one',
        'car-nums/delete',
        { delCarNums: '京A12345,京Z99999', userInfoId: DEMO_USER },
        demoDriver,
      );

      // The back office configures another park and product (admin or the parking role).
      const parkingStaff = await staff('parking');
      const desk = (
        step: string,
        method: 'GET' | 'POST',
        url: string,
        token: string,
        payload?: Record<string, unknown>,
      ) => call(step, { method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
      await desk('parking parks: not the parking role', 'GET', '/api/parking/parks', kefu);
      await desk('parking parks: add', 'POST', '/api/parking/parks', parkingStaff, {
        id: 'WIRE01',
        name: '东区停车场',
      });
      await desk('parking parks: duplicate', 'POST', '/api/parking/parks', parkingStaff, {
        id: 'WIRE01',
        name: '又一个',
      });
      await desk('parking parks: list', 'GET', '/api/parking/parks', parkingStaff);
      const orgs = body(
        await desk('parking orgs: add', 'POST', '/api/parking/parks/WIRE01/orgs', parkingStaff, {
          orgs: [{ name: '理学院', org_code: '201', children: [{ name: '数学系', org_code: '201001' }] }],
        }),
      );
      for (const org of orgs.data?.orgs ?? []) parkingId('parking-org', org.id);
      await desk('parking orgs: unknown park', 'POST', '/api/parking/parks/NOPE/orgs', parkingStaff, {
        orgs: [{ name: 'x', org_code: '1' }],
      });
      const extras = body(
        await desk('parking extras: add', 'POST', '/api/parking/parks/WIRE01/extras', parkingStaff, {
          extras: [{ name: '驾驶证', code: '0', type: '1', required: true }],
        }),
      );
      for (const extra of extras.data?.extras ?? []) parkingId('parking-extra', extra.id);
      await desk('parking products: bad prices', 'POST', '/api/parking/products', parkingStaff, {
        park_id: 'WIRE01',
        name: '包季',
        unit_type: '3',
        audit_before_pay: false,
        inside_price: '0',
        outside_price: '1.234',
      });
      const product = body(
        await desk('parking products: add', 'POST', '/api/parking/products', parkingStaff, {
          park_id: 'WIRE01',
          name: '包月',
          unit_type: '4',
          audit_before_pay: true,
          inside_price: '100',
          outside_price: '200.50',
        }),
      );
      parkingId('parking-product', product.data?.id);
      parkingId('parking-version', product.data?.version?.id);
      const version = body(
        await desk(
          'parking products: new prices',
          'POST',
          `/api/parking/products/${product.data?.id}/versions`,
          parkingStaff,
          {
            inside_price: '120',
            outside_price: '240',
          },
        ),
      );
      parkingId('parking-version', version.data?.id);
      await desk('parking parks: one park configured', 'GET', '/api/parking/parks/WIRE01', parkingStaff);
    }
    // ───────────── family 5: orders, review, pay, refund (calls 6 and 7, the back office) ─────────────
    {
      const DEMO_CARD = '0027f8615ca143a4967b98ee7dad1026';
      const DEMO_USER = 'b5ae3fed8f35419ab3e6c9521e631354';
      const orderDriver = await (async () => {
        const response = await call('parking oauth: the demo driver again', {
          url: '/parking/oauth/authorize?open_id=sandbox-demo-openid&redirect=%2Fparking%2F',
        });
        const header = response.headers['set-cookie'];
        const cookies = Array.isArray(header) ? header : [String(header ?? '')];
        const token =
          cookies
            .find((c) => c.startsWith('fangtong_parking='))
            ?.split(';')[0]
            ?.split('=')[1] ?? '';
        rec.secret('parking-session', token);
        return `fangtong_parking=${token}`;
      })();
      const boundary = 'fangtong-wire-boundary';
      const PNG_BYTES = Buffer.from(
        '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
          '1f15c4890000000d49444154789c6360000002000100ffff03000006000557bfabd40000000049454e44ae426082',
        'hex',
      );
      const renewBody = (fields: Record<string, string>, files: Array<Buffer | null>) => {
        const parts: Buffer[] = [];
        for (const [name, value] of Object.entries(fields))
          parts.push(
            Buffer.from(
              `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
            ),
          );
        for (const file of files)
          parts.push(
            Buffer.from(
              `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${file ? 'doc.png' : 'rentForBeiLiGongTempPic'}"\r\nContent-Type: ${file ? 'image/png' : 'application/octet-stream'}\r\n\r\n`,
            ),
            file ?? Buffer.alloc(0),
            Buffer.from('\r\n'),
          );
        parts.push(Buffer.from(`--${boundary}--\r\n`));
        return Buffer.concat(parts);
      };
      const renewFields = {
        omPrCardId: DEMO_CARD,
        pmSetrentId: 'c933aabd0057483c8f0dc8da65c781b4',
        productVId: '1245aabd0057483c8f0dc8da65c781b4',
        priceType: '02',
        userInfoId: DEMO_USER,
        duplicateCode: '20071230',
        userDepartment: '111001',
        firstOrgName: '文学院',
        firstOrgCode: '111',
        secondOrgName: '中文系',
        secondOrgCode: '111001',
        extraDataJson: JSON.stringify([
          { type: '1', name: '驾驶证', code: '0', content: 'licence.png' },
          { type: '1', name: '行驶证1', code: '1', content: 'car.png' },
          { type: '1', name: '在职证明', code: '2', content: 'job.png' },
        ]),
      };
      const renew = (
        step: string,
        fields: Record<string, string>,
        files: Array<Buffer | null>,
        summary: unknown,
      ) =>
        call(step, {
          method: 'POST',
          url: '/parking/api/order/renew',
          headers: { cookie: orderDriver, 'content-type': `multipart/form-data; boundary=${boundary}` },
          payload: renewBody(fields, files) as unknown as string,
          summary,
        });
      await renew('parking 6: every field missing', {}, [], 'multipart: no fields, no files');
      const placed = body(
        await renew(
          'parking 6: the demo card renewed (校外), three pictures',
          renewFields,
          [PNG_BYTES, PNG_BYTES, PNG_BYTES],
          {
            fields: renewFields,
            files: ['doc.png (1×1 PNG)', 'doc.png (1×1 PNG)', 'doc.png (1×1 PNG)'],
          },
        ),
      );
      const orderId = String(placed.omPrOrderRentOutVo?.omPrOrderId ?? '');
      rec.secret('parking-order', orderId);
      await renew(
        'parking 6: a second order while one is open',
        renewFields,
        [PNG_BYTES, PNG_BYTES, PNG_BYTES],
        {
          fields: renewFields,
          files: ['doc.png (1×1 PNG)', 'doc.png (1×1 PNG)', 'doc.png (1×1 PNG)'],
        },
      );
      const payCall = (step: string, payload: Record<string, unknown>) =>
        call(step, {
          method: 'POST',
          url: '/parking/api/order/wechat-pay',
          headers: { cookie: orderDriver },
          payload,
        });
      await payCall('parking 7: under review', { omPrOrderId: orderId, openId: 'sandbox-demo-openid' });
      await payCall('parking 7: missing fields', {});
      await call('parking: the owner reads a document', {
        url: `/parking/api/order/file?omPrOrderId=${orderId}&slot=0`,
        headers: { cookie: orderDriver },
      });
      const parkingDesk = await staff('parking');
      const desk = (
        step: string,
        method: 'GET' | 'POST',
        url: string,
        payload?: Record<string, unknown>,
        token = parkingDesk,
      ) => call(step, { method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
      await desk('parking orders: the review queue', 'GET', '/api/parking/orders?audit_state=02');
      await desk('parking orders: not the parking role', 'GET', '/api/parking/orders', undefined, kefu);
      const detail = body(
        await desk('parking order: detail with its documents', 'GET', `/api/parking/orders/${orderId}`),
      );
      const fileId = detail.data?.files?.[0]?.id;
      await desk('parking order: a document', 'GET', `/api/parking/orders/${orderId}/files/${fileId}`);
      await desk('parking order: unknown', 'GET', `/api/parking/orders/${'0'.repeat(32)}`);
      await desk('parking order: approve', 'POST', `/api/parking/orders/${orderId}/approve`);
      await desk('parking order: refuse after approval', 'POST', `/api/parking/orders/${orderId}/refuse`, {
        reason: '材料不清晰',
      });
      const paid = body(
        await payCall('parking 7: approved, pay by WeChat JSAPI', {
          omPrOrderId: orderId,
          openId: 'sandbox-demo-openid',
        }),
      );
      const pay = paid.prOrderPayRes ?? {};
      rec.secret('prepay-id', String(pay.secuParam?.package ?? '').replace(/^prepay_id=/, ''));
      rec.secret('nonce', String(pay.secuParam?.nonceStr ?? ''));
      rec.secret('parking-pay-id', String(pay.prPayId ?? ''));
      await t.app.runtime.sandboxV3()!.settle(String(pay.prPayId), 'SUCCESS');
      await call('parking 2: the card after the paid renewal', {
        method: 'POST',
        url: '/parking/api/user/find-by-card-id',
        headers: { cookie: orderDriver },
        payload: { omPrCardId: DEMO_CARD },
      });
      const refund = body(
        await desk('parking order: refund', 'POST', `/api/parking/orders/${orderId}/refund`, {
          reason: '重复购买',
        }),
      );
      if (refund.data?.refund?.out_refund_no) rec.secret('out-refund-no', refund.data.refund.out_refund_no);
      await desk('parking order: refund again', 'POST', `/api/parking/orders/${orderId}/refund`, {
        reason: '重复购买',
      });
    }

    // ───────────── family 1: the back-office pages' reads, exports and admin moves ─────────────
    {
      const escrowDesk = await staff('escrow');
      const get = (step: string, url: string, token?: string) =>
        call(step, { url, ...(token ? { headers: bearer(token) } : {}) });
      await get('stats: loan orders (default range)', '/api/stats/loan-orders', kefu);
      await get(
        'stats: loan orders (admin, a range)',
        `/api/stats/loan-orders?from=${TEST_NOW}&to=${TEST_NOW + 86_400_000}`,
        admin,
      );
      await get('stats: bad range', '/api/stats/loan-orders?from=abc&to=0', admin);
      await get('stats: no stage role', '/api/stats/loan-orders', escrowDesk);
      await get('desk: a stage with filters', '/api/loan-orders/desk?stage=kefu&city_key=上海市', kefu);
      await get('desk: bad filters named', '/api/loan-orders/desk?stage=kefu&user_mobile=1&page_num=0', kefu);
      await get("desk: another stage's", '/api/loan-orders/desk?stage=kefu', mianqian);
      await get('export: a desk as CSV', '/api/loan-orders/export.csv?stage=kefu&city_key=上海市', kefu);
      await get(
        'export: a desk, bad filters',
        '/api/loan-orders/export.csv?stage=kefu&user_mobile=1&is_bohui=2',
        kefu,
      );
      await get("export: another stage's desk", '/api/loan-orders/export.csv?stage=kefu', mianqian);
      await get('export: no session', '/api/loan-orders/export.csv?stage=kefu');
      await get('export: leases as CSV', '/api/leases/export.csv', admin);
      await get('export: leases, bad status', '/api/leases/export.csv?status=77', admin);
      await get('export: callbacks as CSV', '/api/partner-callbacks/export.csv', admin);
      await get('export: callbacks, not admin', '/api/partner-callbacks/export.csv', kefu);
      const parkingClerk = await staff('parking');
      await get('export: parking orders as CSV', '/api/parking/orders/export.csv', parkingClerk);
      await get('export: parking orders, bad state', '/api/parking/orders/export.csv?state=99', parkingClerk);
      await get('export: parking orders, not the parking role', '/api/parking/orders/export.csv', kefu);
      await get('export: parks with their products as CSV', '/api/parking/parks/export.csv', parkingClerk);
      await get('export: parks, not the parking role', '/api/parking/parks/export.csv', kefu);

      const newest = await t.db.kysely
        .selectFrom('partner_callbacks')
        .select('id')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      // A callback the platform kept refusing until it was given up.
      await t.db.kysely
        .updateTable('partner_callbacks')
        .set({ status: 'dead', attempts: 9, last_error: 'HTTP 502' })
        .where('id', '=', newest.id)
        .execute();
      const retry = (step: string, id: number | string, token = admin) =>
        call(step, { method: 'POST', url: `/api/partner-callbacks/${id}/retry`, headers: bearer(token) });
      await retry('callback retry: a dead one', Number(newest.id));
      await retry('callback retry: unknown', 999_999);
      await retry('callback retry: not admin', Number(newest.id), kefu);
      const partner = await t.db.kysely
        .selectFrom('partners')
        .select('id')
        .where('ua', '=', UA)
        .executeTakeFirstOrThrow();
      await get('partner calls', `/api/partners/${partner.id}/calls?page_size=3`, admin);
      await get('partner calls: bad paging', `/api/partners/${partner.id}/calls?page=0`, admin);
      await get('partner calls: unknown partner', '/api/partners/999999/calls', admin);
      await get('escrow orders', '/api/escrow-orders?page_size=2', escrowDesk);
      await get('escrow orders: bad state', '/api/escrow-orders?state=lost', escrowDesk);
      await get('escrow orders: not the escrow role', '/api/escrow-orders', admin);
      await get('tenants', `/api/tenants?mobile=${TENANT}`, admin);
      await get('tenants: bad paging', '/api/tenants?page_size=500', admin);
      // An account made before any failed insert: its id is the same on both databases.
      const clerk = await t.db.kysely
        .selectFrom('staff')
        .select('id')
        .where('username', '=', 'wire-clerk2')
        .executeTakeFirstOrThrow();
      const patch = (step: string, payload: Record<string, unknown>, token = admin) =>
        call(step, { method: 'PATCH', url: `/api/staff/${clerk.id}`, headers: bearer(token), payload });
      await patch('staff: change roles and name', {
        roles: ['mianqian', 'quanzheng'],
        display_name: '王面签',
      });
      await patch('staff: disable', { disabled: 1 });
      await patch('staff: bad fields', { roles: 'boss', disabled: 2 });
      await patch('staff: not admin', { disabled: 0 }, kefu);

      // Every list's export, the two logs' keyset pages and the blacklist's removal.
      // The demo's waiting invitation has a random number: recorded by name, as the others.
      const demoWaiting = await t.db.kysely
        .selectFrom('escrow_orders')
        .select('house_order_no')
        .where('source_no', '=', 'DEMO-WAITING')
        .executeTakeFirst();
      if (demoWaiting) rec.secret('house-order-no', demoWaiting.house_order_no);
      await get('export: escrow orders as CSV', '/api/escrow-orders/export.csv?state=inviting', escrowDesk);
      await get('export: escrow orders, bad state', '/api/escrow-orders/export.csv?state=lost', escrowDesk);
      await get('export: escrow orders, not the escrow role', '/api/escrow-orders/export.csv', admin);
      await get('export: release queue as CSV', '/api/escrow-releases/export.csv?state=approved', escrowDesk);
      await get('export: release queue, bad state', '/api/escrow-releases/export.csv?state=paid', escrowDesk);
      await get('export: tenants as CSV', '/api/tenants/export.csv', admin);
      await get('export: tenants, bad mobile', '/api/tenants/export.csv?mobile=123', admin);
      await get('export: partners as CSV', '/api/partners/export.csv', admin);
      await get("export: a partner's calls as CSV", `/api/partners/${partner.id}/calls/export.csv`, admin);
      await get("export: an unknown partner's calls", '/api/partners/999999/calls/export.csv', admin);
      await get('export: SMS log as CSV', '/api/sms-messages/export.csv?status=sent,delivered', admin);
      await get('export: SMS log, bad status', '/api/sms-messages/export.csv?status=lost', admin);
      await get('export: ISVs as CSV', '/api/escrow-isvs/export.csv', admin);
      await get('export: ISV notifications as CSV', '/api/escrow-notifications/export.csv', admin);
      await get('export: blacklist as CSV', '/api/partner-blacklist/export.csv', admin);
      await get('callbacks: a keyset page', '/api/partner-callbacks?page_size=1', admin);
      await get('callbacks: bad paging', '/api/partner-callbacks?page_size=0&before_id=x', admin);
      await get('sms log: a keyset page', '/api/sms-messages?page_size=1', admin);
      await get('ISV notifications: a keyset page', '/api/escrow-notifications?page_size=1', admin);
      await get(
        'ISV notifications: bad paging',
        '/api/escrow-notifications?page_size=101&before_id=0',
        admin,
      );
      await get('blacklist: a keyset page', '/api/partner-blacklist?page_size=1', admin);
      await get('blacklist: bad paging', '/api/partner-blacklist?page_size=501&before_id=x', admin);
      const entry = await t.db.kysely
        .selectFrom('partner_blacklist')
        .select('id')
        .orderBy('id')
        .executeTakeFirstOrThrow();
      const unlist = (step: string, id: number | string, token = admin) =>
        call(step, { method: 'DELETE', url: `/api/partner-blacklist/${id}`, headers: bearer(token) });
      await unlist('blacklist remove: not admin', Number(entry.id), kefu);
      await unlist('blacklist remove', Number(entry.id));
      await unlist('blacklist remove: gone', Number(entry.id));
    }

    // ───────────── every route registered was called ─────────────
    const routes = [...registeredRoutes(t.app), ...registeredRoutes(dev)].filter((r) => r.method !== 'HEAD');
    assert.ok(routes.length >= 50, `the route table was read (${routes.length} routes)`);
    for (const known of [
      'POST /partner/gateway',
      'POST /dev/wechat-sandbox/pay',
      'GET /api/loan-orders/:son_order_id/audit',
    ])
      assert.ok(
        routes.some((r) => `${r.method} ${r.url}` === known),
        known,
      );
    const uncovered = [
      ...new Set(
        routes
          .filter((r) => !NOT_RECORDED[`${r.method} ${r.url}`])
          .filter((r) => !rec.requested.some((q) => q.method === r.method && routeMatches(r.url, q.path)))
          .map((r) => `${r.method} ${r.url}`),
      ),
    ];
    assert.deepEqual(uncovered, [], 'every registered route is in the recording or excluded with a reason');

    // ───────────── compare ─────────────
    const actual = normalise(rec.recording());
    if (process.env.UPDATE_WIRE_ANSWERS === '1') {
      fs.writeFileSync(RECORDING, `${JSON.stringify(actual, null, 2)}\n`);
      return;
    }
    const expected = JSON.parse(fs.readFileSync(RECORDING, 'utf8')) as WireEntry[];
    const differences = firstDifferences(expected, actual);
    assert.ok(
      differences === '',
      `wire answers changed (UPDATE_WIRE_ANSWERS=1 rewrites the file if the change is intended):\n${differences}`,
    );
    assert.equal(actual.length, expected.length);
  });
});

/** Answers that differ by database on purpose: the health check names the database it reached. */
function normalise(entries: WireEntry[]): WireEntry[] {
  return entries.map((entry) =>
    entry.url === '/healthz'
      ? { ...entry, body: entry.body.replace(/"database":"(sqlite|postgres)"/, '"database":"<dialect>"') }
      : entry,
  );
}
