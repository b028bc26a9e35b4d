import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { type Db, openDatabase } from '../../src/database.js';
import { createStaff } from '../../src/modules/staff/index.js';
import { WechatPaySandbox } from '../../src/platform/wechat-pay/sandbox.js';
import { httpNotifyDelivery } from '../../src/platform/wechat-pay/sandbox-server.js';
import { type Answer, fangtongCommand, httpCall } from '../helpers/escrow-e2e.js';
import { leaseForm } from '../helpers/lease-form.js';
import { codeSentTo, type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { TEST_PII_KEY } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase, testDialect } from '../helpers/test-database.js';

const SUCCESS_REPLY =
  '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>';
// The demo's entrust 1: 押一付三 at 2,500 元 a month (the first installment holds one month's 押金),
// booking fee 500 元.
const MONTHLY = 250_000;
const BOOKING_FEE = 50_000;
const TENANT = '13600007777';
const ILLEGAL = '只有退租申请中的订单才能完成退租';
/** A lease may not start before today (Beijing time, on the servers' real clock): two days ahead. */
const START = new Date(Date.now() + (8 + 48) * 3_600_000).toISOString().slice(0, 10);

/**
 * WeChat Pay's v2 API as its own HTTP server, every path the sandbox speaks (refunds and refund
 * queries included), delivering its notifies over HTTP to the notify_url each request named.
 */
async function startWechat(): Promise<{
  sandbox: WechatPaySandbox;
  app: FastifyInstance;
  env: Record<string, string>;
}> {
  const merchant = { ...loadConfig({}).wechat, signType: 'MD5' as const };
  const sandbox = new WechatPaySandbox([merchant], httpNotifyDelivery);
  const app = Fastify();
  app.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  for (const api of [
    '/pay/unifiedorder',
    '/pay/orderquery',
    '/pay/closeorder',
    '/secapi/pay/refund',
    '/pay/refundquery',
  ])
    app.post(api, async (request, reply) =>
      reply
        .type('text/xml')
        .send(await sandbox.handle(api, typeof request.body === 'string' ? request.body : '')),
    );
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    sandbox,
    app,
    env: {
      WECHAT_PAY_MODE: 'live',
      WECHAT_APP_ID: merchant.appId,
      WECHAT_MCH_ID: merchant.mchId,
      WECHAT_API_KEY: merchant.apiKey,
      WECHAT_API_BASE: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
      // Production in live mode must name its payout provider (family 3's); none is paid here.
      PAYOUT_PROVIDER: 'sandbox',
    },
  };
}

/**
 * Family 2's move-out over HTTP against real `fangtong serve` processes (two on one database when
 * it is PostgreSQL, one on SQLite), paying and refunding through WeChat's v2 API served by the
 * sandbox: the tenant books and pays by the app, asks to move out, and staff complete it.
 */
describe('the move-out refund over HTTP against the real server', { timeout: 300_000 }, () => {
  let database: TestDatabase;
  let db: Db;
  let wechat: Awaited<ReturnType<typeof startWechat>>;
  let servers: ServerProcess[] = [];
  let cli: Record<string, string>;

  before(async () => {
    database = await createTestDatabase();
    wechat = await startWechat();
    const env = {
      DATABASE_URL: database.url,
      FANGTONG_JOBS: 'off',
      FANGTONG_DEMO: '1',
      FANGTONG_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-rental-retirement-')),
      ...wechat.env,
    };
    // The first server migrates and loads the demo; the second starts on what it made.
    servers.push(await startServerProcess(env));
    if (testDialect() === 'postgres') servers.push(await startServerProcess(env));
    cli = { ...env, FANGTONG_PII_KEY: TEST_PII_KEY };
    db = openDatabase(database.url);
  });
  after(async () => {
    for (const server of servers) await server.stop();
    servers = [];
    await wechat?.app.close();
    await db?.close();
    await database?.drop();
  });

  const server = (i: number) => servers[i % servers.length]!;
  const tally = (answers: Answer[]) => {
    const counts: Record<string, number> = {};
    for (const a of answers) {
      const key = `${a.status} ${a.body.msg}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  };
  const countRows = async (table: 'ledger_transfers' | 'audit_log' | 'refunds') =>
    Number(
      (
        await db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('10 concurrent completions: one 200, one refund per payment; the notify settles it, a replay changes nothing; the ledger checks', async () => {
    // The tenant logs in, signs a lease of entrust 1, books it and pays its first installment by WeChat.
    assert.equal(
      (await httpCall(`${server(0).url}/user_auth/send_code`, { json: { mobile: TENANT } })).body.code,
      0,
    );
    const login = await httpCall(`${server(0).url}/user_auth/login`, {
      json: { mobile: TENANT, code: await codeSentTo(servers, TENANT) },
    });
    assert.equal(login.body.code, 0, JSON.stringify(login.body));
    const tenant = { authorization: `Bearer ${login.body.data.token}` };
    const app = (on: number, url: string, json: Record<string, unknown>) =>
      httpCall(`${server(on).url}${url}`, { json, headers: tenant });
    const saved = await app(0, '/user_contract/save', { ...leaseForm(START), h_i_id: '1' });
    assert.equal(saved.body.code, 0, JSON.stringify(saved.body));
    const lease = saved.body.data as { id: string; u_p_id: string };
    const outTradeNoOf = async (id: number) =>
      (
        await db.kysely
          .selectFrom('payments')
          .select('out_trade_no')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).out_trade_no;
    const booking = await app(0, '/user_order/booking', {
      id: lease.id,
      is_d_deposit: 0,
      u_p_id: lease.u_p_id,
    });
    assert.equal(booking.body.code, 0, JSON.stringify(booking.body));
    const bookingId = Number(booking.body.data.id);
    assert.equal(await wechat.sandbox.pay(await outTradeNoOf(bookingId)), SUCCESS_REPLY);
    const pay = await app(1, '/user_order/longPay', { id: lease.id, is_d_deposit: 0, u_p_id: lease.u_p_id });
    assert.equal(pay.body.code, 0, JSON.stringify(pay.body));
    const installmentId = Number(pay.body.data.id);
    assert.equal(await wechat.sandbox.pay(await outTradeNoOf(installmentId)), SUCCESS_REPLY);
    assert.deepEqual((await app(0, '/user_order/retirement', { id: lease.id })).body, { code: 0 });

    // Staff see it moving out, the booking fee held for the tenant.
    await createStaff(
      db.kysely,
      { username: 'rental.admin', password: 'rental-pass-1', roles: ['admin'] },
      Date.now(),
      'test',
    );
    const staffLogin = await httpCall(`${server(0).url}/api/auth/login`, {
      json: { username: 'rental.admin', password: 'rental-pass-1' },
    });
    assert.equal(staffLogin.body.code, 1, JSON.stringify(staffLogin.body));
    const staff = { authorization: `Bearer ${staffLogin.body.data.token}` };
    const detail = async (on: number) => {
      const answer = await httpCall(`${server(on).url}/api/leases/${lease.id}`, { headers: staff });
      assert.equal(answer.body.code, 1, JSON.stringify(answer.body));
      return answer.body.data;
    };
    const before = await detail(1);
    assert.deepEqual([before.status, before.deposit_held, before.refunds], [5, BOOKING_FEE, []]);

    // 10 completions at once, spread over the servers.
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        httpCall(`${server(i).url}/api/leases/${lease.id}/complete-retirement`, {
          method: 'POST',
          headers: staff,
        }),
      ),
    );
    const counts = tally(answers);
    console.log(`10 concurrent completions (${testDialect()}): ${JSON.stringify(counts)}`);
    assert.deepEqual(counts, { '200 退租完成': 1, [`409 ${ILLEGAL}`]: 9 });
    for (const refused of answers.filter((a) => a.status === 409))
      assert.deepEqual(refused.body, { code: 0, errors: [], msg: ILLEGAL });
    const done = answers.find((a) => a.status === 200)!.body.data;
    assert.deepEqual([done.id, done.status, done.status_label], [Number(lease.id), 6, '退租完成']);
    // One refund per payment that brought the deposit in: the booking fee, and the 押金 paid
    // with the first installment (never its rent); WeChat took each request.
    assert.deepEqual(
      done.refunds.map((r: { payment_id: number; amount: number; state: string }) => [
        r.payment_id,
        r.amount,
        r.state,
      ]),
      [
        [bookingId, BOOKING_FEE, 'requested'],
        [installmentId, MONTHLY, 'requested'],
      ],
    );
    const rows = await db.kysely
      .selectFrom('refunds')
      .selectAll()
      .where('reason', '=', `lease_retirement:${lease.id}`)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      rows.map((r) => [Number(r.payment_id), Number(r.amount), r.status, r.sent_at !== null]),
      [
        [bookingId, BOOKING_FEE, 'requested', true],
        [installmentId, MONTHLY, 'requested', true],
      ],
    );
    assert.equal(await countRows('refunds'), 2);
    assert.deepEqual(
      wechat.sandbox.listRefunds().map((r) => [r.outRefundNo, r.refundFee, r.state]),
      rows.map((r) => [r.out_refund_no, Number(r.amount), 'PROCESSING']),
    );

    // WeChat refunds both and sends its refund notifies to the server that asked.
    for (const r of rows)
      assert.equal(await wechat.sandbox.settleRefund(r.out_refund_no, 'SUCCESS'), SUCCESS_REPLY);
    const settled = await detail(0);
    assert.deepEqual([settled.status, settled.deposit_held], [6, 0]);
    assert.deepEqual(
      settled.refunds.map((r: { out_refund_no: string; amount: number; state: string }) => [
        r.out_refund_no,
        r.amount,
        r.state,
      ]),
      rows.map((r) => [r.out_refund_no, Number(r.amount), 'succeeded']),
    );

    // A replayed notify, to either server, several at once: answered SUCCESS, nothing moves.
    const transfers = await countRows('ledger_transfers');
    const audits = await countRows('audit_log');
    const replays = await Promise.all(
      rows.flatMap((r) =>
        [0, 1, 2, 3].map(async (i) => {
          const response = await fetch(`${server(i).url}/payments/wechat/notify`, {
            method: 'POST',
            headers: { 'content-type': 'text/xml' },
            body: wechat.sandbox.refundNotifyXml(r.out_refund_no),
          });
          return [response.status, await response.text()];
        }),
      ),
    );
    for (const reply of replays) assert.deepEqual(reply, [200, SUCCESS_REPLY]);
    assert.equal(await countRows('ledger_transfers'), transfers);
    assert.equal(await countRows('audit_log'), audits);
    assert.deepEqual((await detail(1)).refunds, settled.refunds);
    const tenantRow = await db.kysely
      .selectFrom('leases')
      .innerJoin('tenants', 'tenants.id', 'leases.tenant_id')
      .select(['leases.status', 'tenants.deposit_held'])
      .where('leases.id', '=', Number(lease.id))
      .executeTakeFirstOrThrow();
    assert.deepEqual([tenantRow.status, Number(tenantRow.deposit_held)], [6, 0]);

    const check = await fangtongCommand(cli, 'ledger', 'check');
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /^ledger: ok$/m);
  });
});
