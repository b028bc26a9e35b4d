import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { type Db, openDatabase } from '../../../src/database.js';
import { BOOKING_PURPOSE } from '../../../src/modules/leases/index.js';
import { openPayment, requestJsapiPay } from '../../../src/modules/payments/index.js';
import { fixedClock } from '../../../src/platform/clock.js';
import { memorySmsProvider } from '../../../src/platform/sms/sms-provider.js';
import { leaseForm } from '../../helpers/lease-form.js';
import { bearer, body, TEST_NOW, TEST_PII_KEY } from '../../helpers/test-app.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-database.js';
import {
  cardRow,
  plainRenewalParts,
  seedParkingWorld,
} from '../../modules/parking/parking-orders-fixtures.js';
import { PNG } from '../../platform/storage/fixtures.js';

describe('POST /dev/wechat-sandbox/pay, /fail and /refund (development only)', () => {
  let database: TestDatabase;
  let db: Db;
  const apps: FastifyInstance[] = [];
  const sms = memorySmsProvider();
  let dev: FastifyInstance;

  /** The app as `fangtong serve` builds it under the given NODE_ENV. */
  const appUnder = async (nodeEnv: string, env: Record<string, string> = {}) => {
    const config = loadConfig(
      { NODE_ENV: nodeEnv, LOG_LEVEL: 'silent', ...env },
      { databaseUrl: database.url, piiKey: TEST_PII_KEY, demo: true },
    );
    const app = await buildApp(config, { db, clock: fixedClock(TEST_NOW), sms });
    apps.push(app);
    return app;
  };

  before(async () => {
    database = await createTestDatabase();
    db = openDatabase(database.url, { poolSize: 4 });
    dev = await appUnder('development');
  });
  after(async () => {
    for (const app of apps) await app.close();
    await db.close();
    await database.drop();
  });

  const tenantToken = async (mobile: string) => {
    await dev.inject({ method: 'POST', url: '/user_auth/send_code', payload: { mobile } });
    const code = /(\d{6})/.exec(sms.sent.filter((m) => m.phone === mobile).at(-1)?.text ?? '')?.[1];
    const login = await dev.inject({ method: 'POST', url: '/user_auth/login', payload: { mobile, code } });
    return body(login).data.token as string;
  };
  /** A tenant asks to pay a new lease's first installment through WeChat: the payment id. */
  const startPayment = async (mobile: string) => {
    const token = await tenantToken(mobile);
    const post = (url: string, payload: Record<string, unknown>) =>
      dev.inject({ method: 'POST', url, headers: bearer(token), payload }).then(body);
    const lease = (await post('/user_contract/save', leaseForm())).data;
    const pay = await post('/user_order/longPay', { id: lease.id, is_d_deposit: 0, u_p_id: lease.u_p_id });
    assert.ok(pay.data.prepayid, 'WeChat APP parameters');
    const status = async () =>
      body(await dev.inject({ url: `/user_order/read?id=${pay.data.id}`, headers: bearer(token) })).data
        .status;
    const orders = body(await dev.inject({ url: '/dev/wechat-sandbox/orders' })).orders as Array<{
      out_trade_no: string;
      prepay_id: string;
      state: string;
    }>;
    const order = orders.find((o) => o.prepay_id === pay.data.prepayid);
    assert.ok(order, 'the sandbox lists the order the app placed');
    assert.equal(order.state, 'NOTPAY');
    return { outTradeNo: order.out_trade_no, status };
  };

  it('pays an order by hand: the signed notify reaches the app and the tenant sees it paid', async () => {
    const payment = await startPayment('13900001111');
    assert.equal(await payment.status(), 0);
    const res = await dev.inject({
      method: 'POST',
      url: '/dev/wechat-sandbox/pay',
      payload: { out_trade_no: payment.outTradeNo },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(body(res).state, 'SUCCESS');
    assert.match(body(res).merchant_reply, /<return_code><!\[CDATA\[SUCCESS\]\]><\/return_code>/);
    assert.equal(await payment.status(), 1);
  });

  it('fails an order by hand: the tenant sees it failed', async () => {
    const payment = await startPayment('13900002222');
    const res = await dev.inject({
      method: 'POST',
      url: '/dev/wechat-sandbox/fail',
      payload: { out_trade_no: payment.outTradeNo },
    });
    assert.equal(body(res).state, 'PAYERROR');
    assert.equal(await payment.status(), 2);
  });

  it('pays a v3 (JSAPI) order by hand too: the v3 half sends its signed notify and the payment is paid', async () => {
    const deps = dev.runtime.payments;
    const token = await tenantToken('13900003333');
    const lease = body(
      await dev.inject({
        method: 'POST',
        url: '/user_contract/save',
        headers: bearer(token),
        payload: leaseForm(),
      }),
    ).data;
    const opened = await db.kysely.transaction().execute((trx) =>
      openPayment(trx, {
        purpose: BOOKING_PURPOSE,
        subjectId: String(lease.id),
        payer: 'tenant:dev',
        amount: 12_345,
        channel: 'wechat_jsapi',
        now: TEST_NOW,
      }),
    );
    await requestJsapiPay(deps, opened, { description: '房屋订金', openId: 'oDevSandbox00000000000000000' });
    const listed = (
      body(await dev.inject({ url: '/dev/wechat-sandbox/orders' })).orders as Array<Record<string, unknown>>
    ).find((o) => o.out_trade_no === opened.out_trade_no);
    assert.deepEqual(listed, {
      out_trade_no: opened.out_trade_no,
      prepay_id: null,
      total_fee: 12_345,
      trade_type: 'JSAPI (v3)',
      state: 'NOTPAY',
    });
    const res = await dev.inject({
      method: 'POST',
      url: '/dev/wechat-sandbox/pay',
      payload: { out_trade_no: opened.out_trade_no },
    });
    assert.deepEqual(body(res), {
      out_trade_no: opened.out_trade_no,
      state: 'SUCCESS',
      merchant_reply: '204',
    });
    const row = await db.kysely
      .selectFrom('payments')
      .select(['status', 'transaction_id'])
      .where('id', '=', opened.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'paid');
    assert.match(row.transaction_id ?? '', /^4200/);
  });

  it('answers 404 for an order the sandbox does not hold, 400 without out_trade_no', async () => {
    const unknown = await dev.inject({
      method: 'POST',
      url: '/dev/wechat-sandbox/pay',
      payload: { out_trade_no: 'P000000000000' },
    });
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual(body(unknown), { code: 404, msg: 'the sandbox holds no order P000000000000' });
    const missing = await dev.inject({ method: 'POST', url: '/dev/wechat-sandbox/fail', payload: {} });
    assert.equal(missing.statusCode, 400);
  });

  it('POST /dev/wechat-sandbox/refund finishes a refund WeChat holds: its notify settles the order and the card', async () => {
    const now = TEST_NOW;
    const world = await seedParkingWorld(db.kysely, dev.runtime.pii, now, {
      parkId: '9000000000001',
      phone: '13700009001',
    });
    const orders = dev.runtime.modules.parkingOrders;
    const reviewer = { id: 1, username: 'reviewer', roles: ['parking'] as const };
    const placed = await orders.place(world.openId, plainRenewalParts(world, PNG), now);
    const pay = await orders.pay(
      world.openId,
      { omPrOrderId: placed.omPrOrderId, openId: world.openId },
      now,
    );
    const paid = await dev.inject({
      method: 'POST',
      url: '/dev/wechat-sandbox/pay',
      payload: { out_trade_no: pay.prPayId },
    });
    assert.equal(body(paid).merchant_reply, '204');
    const card = () => cardRow(db.kysely, world.cardId);
    const before = Number((await card()).end_dt);
    const { refund } = await orders.staff.refund(reviewer, placed.omPrOrderId, '用户申请退款', now);
    const listed = body(await dev.inject({ url: '/dev/wechat-sandbox/orders' })).refunds;
    assert.deepEqual(
      listed.filter((r: { out_refund_no: string }) => r.out_refund_no === refund.out_refund_no),
      [{ out_refund_no: refund.out_refund_no, out_trade_no: pay.prPayId, state: 'PROCESSING' }],
    );
    const finished = await dev.inject({
      method: 'POST',
      url: '/dev/wechat-sandbox/refund',
      payload: { out_refund_no: refund.out_refund_no },
    });
    assert.deepEqual(body(finished), { out_refund_no: refund.out_refund_no, merchant_reply: '204' });
    const order = await db.kysely
      .selectFrom('parking_orders')
      .selectAll()
      .where('id', '=', placed.omPrOrderId)
      .executeTakeFirstOrThrow();
    assert.equal(order.state, '22');
    assert.equal(Number((await card()).end_dt), Number(order.prev_end_dt));
    assert.notEqual(before, Number(order.prev_end_dt));
    const unknown = await dev.inject({
      method: 'POST',
      url: '/dev/wechat-sandbox/refund',
      payload: { out_refund_no: 'R-none' },
    });
    assert.equal(unknown.statusCode, 404);
  });

  it('does not exist under NODE_ENV=production, nor in tests, nor with live WeChat Pay', async () => {
    const live = {
      WECHAT_PAY_MODE: 'live',
      WECHAT_APP_ID: 'wx0000000000000000',
      WECHAT_MCH_ID: '1900000000',
      WECHAT_API_KEY: '0'.repeat(32),
    };
    for (const app of [
      await appUnder('production', { WECHAT_PAY_MODE: 'sandbox', SMS_PROVIDER: 'log' }),
      await appUnder('test'),
      await appUnder('development', live),
    ]) {
      for (const url of [
        '/dev/wechat-sandbox/pay',
        '/dev/wechat-sandbox/fail',
        '/dev/wechat-sandbox/refund',
      ]) {
        const res = await app.inject({
          method: 'POST',
          url,
          payload: { out_trade_no: 'P1', out_refund_no: 'R1' },
        });
        assert.equal(res.statusCode, 404, url);
      }
      assert.equal((await app.inject({ url: '/dev/wechat-sandbox/orders' })).statusCode, 404);
    }
  });
});
