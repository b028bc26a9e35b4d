import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Db, openDatabase } from '../../src/database.js';
import { WECHAT_V3_NOTIFY_PATH } from '../../src/dialects/payments/payments.wechat.v3.notify.route.js';
import { addParkingUnits } from '../../src/modules/parking/index.js';
import { createStaff } from '../../src/modules/staff/index.js';
import { createPii, loadPiiKey } from '../../src/platform/pii.js';
import {
  type Answer,
  type CapturedV3Notify,
  rawHttpCall,
  startWechatV3Sandbox,
} from '../helpers/escrow-e2e.js';
import { eventually, type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { TEST_PII_KEY } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase, testDialect } from '../helpers/test-database.js';
import {
  cardRow,
  type ParkingWorld,
  renewalFields,
  seedParkingWorld,
} from '../modules/parking/parking-orders-fixtures.js';
import { JPEG, PNG } from '../platform/storage/fixtures.js';

/**
 * Family 5's money over real HTTP against real `fangtong serve` processes — two on one PostgreSQL
 * database, where transactions really overlap, one on SQLite — paying through WeChat Pay v3 as
 * production does (live mode against a v3 sandbox HTTP server whose keys the test holds, so one
 * signed notify is good on every server). The driver logs in by the sandbox OAuth, renews with
 * two documents (multipart), staff approve, then 10 pays race and WeChat's notify is delivered
 * 10 times at once: one payment, one settlement, the card extended once to the exact end.
 */
describe('parking pay races over HTTP against the real server', { timeout: 300_000 }, () => {
  let database: TestDatabase;
  let db: Db;
  let wechat: Awaited<ReturnType<typeof startWechatV3Sandbox>>;
  let servers: ServerProcess[] = [];
  let world: ParkingWorld;
  let cookie: string;
  let orderId: string;

  before(async () => {
    database = await createTestDatabase();
    wechat = await startWechatV3Sandbox();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-parking-pay-'));
    const env = {
      DATABASE_URL: database.url,
      FANGTONG_JOBS: 'off',
      FANGTONG_DATA_DIR: dataDir,
      PUBLIC_BASE_URL: 'https://parking.fangtong.test',
      PARKING_OAUTH_MODE: 'sandbox',
      ...wechat.env,
      PAYOUT_PROVIDER: 'sandbox',
    };
    servers.push(await startServerProcess(env));
    if (testDialect() === 'postgres') servers.push(await startServerProcess(env));
    db = openDatabase(database.url);
    const pii = createPii(loadPiiKey(TEST_PII_KEY, dataDir));
    world = await seedParkingWorld(db.kysely, pii, Date.now() - 60_000);
    await createStaff(
      db.kysely,
      { username: 'parking-e2e', password: 'secret-pass', roles: ['parking'] },
      Date.now(),
      'test',
    );
  });
  after(async () => {
    for (const server of servers) await server.stop();
    servers = [];
    await db?.close();
    await wechat?.close();
    await database?.drop();
  });

  const server = (i: number) => servers[i % servers.length]!;
  const card = () => cardRow(db.kysely, world.cardId);

  async function post(
    on: number,
    url: string,
    body: object | FormData,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const res = await fetch(`${server(on).url}${url}`, {
      method: 'POST',
      headers: {
        cookie,
        ...(body instanceof FormData ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body instanceof FormData ? body : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }

  it('says at start that the sandbox login is on in production', async () => {
    const warning = await eventually(
      async () => server(0).lines.find((line) => line.includes('PARKING_OAUTH_MODE=sandbox')),
      5_000,
      'the warning line',
    );
    assert.equal(JSON.parse(warning).level, 40);
  });

  it('logs in by the sandbox OAuth and places a renewal with two documents (multipart)', async () => {
    const login = await fetch(
      `${server(0).url}/parking/oauth/authorize?open_id=${world.openId}&redirect=/parking/`,
      { redirect: 'manual' },
    );
    assert.equal(login.status, 302);
    const session = login.headers.getSetCookie().find((c) => c.startsWith('__Host-fangtong_parking='));
    assert.ok(session, 'the session cookie');
    assert.match(session, /HttpOnly/i);
    cookie = session.split(';')[0]!;
    const form = new FormData();
    for (const [name, value] of Object.entries(renewalFields(world))) form.append(name, value);
    form.append('files', new Blob([PNG], { type: 'image/png' }), 'licence.png');
    form.append('files', new Blob([JPEG], { type: 'image/jpeg' }), 'car.jpg');
    const placed = await post(0, '/parking/api/order/renew', form);
    assert.equal(placed.status, 200);
    assert.equal(placed.body.returnCode, 'T', JSON.stringify(placed.body));
    assert.equal(placed.body.omPrOrderRentOutVo.auditStateBeforePay, '02');
    orderId = placed.body.omPrOrderRentOutVo.omPrOrderId;
    const staffLogin = await post(0, '/api/auth/login', { username: 'parking-e2e', password: 'secret-pass' });
    const approved = await post(
      1,
      `/api/parking/orders/${orderId}/approve`,
      {},
      {
        authorization: `Bearer ${staffLogin.body.data.token}`,
      },
    );
    assert.equal(approved.status, 200);
    assert.equal(approved.body.data.audit_state, '03');
  });

  let notify: CapturedV3Notify;
  it('10 concurrent pays on the servers open one payment and all answer it', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        post(i, '/parking/api/order/wechat-pay', { omPrOrderId: orderId, openId: world.openId }),
      ),
    );
    assert.deepEqual(
      answers.map((a) => [a.status, a.body.returnCode]),
      Array.from({ length: 10 }, () => [200, 'T']),
      JSON.stringify(answers.map((a) => a.body)),
    );
    const payIds = new Set(answers.map((a) => a.body.prOrderPayRes.prPayId));
    assert.equal(payIds.size, 1);
    const payments = await db.kysely
      .selectFrom('payments')
      .selectAll()
      .where('purpose', '=', 'parking_order')
      .where('subject_id', '=', orderId)
      .execute();
    assert.equal(payments.length, 1);
    assert.equal(Number(payments[0]!.amount), 400);
    const before = wechat.notifies.length;
    assert.equal(await wechat.sandbox.settle([...payIds][0]!, 'SUCCESS'), 204);
    notify = wechat.notifies[before]!;
    assert.ok(notify);
  });

  it("WeChat's notify delivered 10 times at once settles once: 03, the card extended exactly once", async () => {
    const before = await card();
    const deliveries = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        rawHttpCall(`${server(i).url}${WECHAT_V3_NOTIFY_PATH}`, {
          body: notify.body,
          headers: { ...notify.headers, 'content-type': 'application/json' },
        }),
      ),
    );
    assert.deepEqual(
      deliveries.map((d) => d.status),
      Array.from({ length: 10 }, () => 204),
      deliveries.map((d) => d.text).join('\n'),
    );
    const order = await db.kysely
      .selectFrom('parking_orders')
      .selectAll()
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    assert.equal(order.state, '03');
    const after = await card();
    assert.equal(after.state, 1);
    assert.equal(Number(after.end_dt), addParkingUnits(Number(before.end_dt), '4', 1));
    const audits = await db.kysely
      .selectFrom('audit_log')
      .select(['entity', 'action'])
      .where((eb) =>
        eb.or([
          eb.and([eb('entity', '=', 'parking_order'), eb('entity_id', '=', orderId)]),
          eb.and([eb('entity', '=', 'payment'), eb('entity_id', '=', order.out_trade_no!)]),
        ]),
      )
      .where('action', '=', 'paid')
      .execute();
    assert.equal(audits.length, 2, 'one paid row for the order, one for the payment');
    const again = await post(0, '/parking/api/order/wechat-pay', {
      omPrOrderId: orderId,
      openId: world.openId,
    });
    assert.equal(again.body.msg, '订单已支付');
  });
});
