import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { partnerSign, signaturesEqual } from '../../src/core/signing.js';
import { addMonths, formatShanghaiDate } from '../../src/core/time.js';
import { createPartner } from '../../src/modules/partner/index.js';
import { createStaff } from '../../src/modules/staff/index.js';
import { type Db, openDatabase } from '../../src/platform/db/database.js';
import { createPii } from '../../src/platform/pii.js';
import { buildSandboxServer } from '../../src/platform/wechat-pay/sandbox-server.js';
import { DEMO_ENTRUST_ID, DEMO_TENANT_MOBILE } from '../../src/seed/demo-rental.js';
import { eventually, type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { TEST_PII_KEY } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase, testDialect } from '../helpers/test-database.js';

const UA = 'jobs-platform';
const KEY = 'jobs-platform-signkey';

/**
 * The periodic jobs as a real `fangtong serve` runs them (two servers on PostgreSQL): nothing
 * here calls tick(); the process's own timer must do the work, once across the servers.
 */
describe("the server's jobs, run by the real process", { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let db: Db;
  const servers: ServerProcess[] = [];
  const wechat = buildSandboxServer([{ ...loadConfig({}).wechat, signType: 'MD5' }]);
  const received: Array<{ call: string; args: Record<string, unknown>; signed: boolean }> = [];
  const platform: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(raw));
      const signed = signaturesEqual(
        partnerSign(form.ua ?? '', KEY, form.call ?? '', form.args ?? ''),
        form.sign ?? '',
      );
      received.push({ call: form.call ?? '', args: JSON.parse(form.args ?? '{}'), signed });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: 1, message: 'success', response: null }));
    });
  });

  before(async () => {
    database = await createTestDatabase();
    await wechat.app.listen({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => platform.listen(0, '127.0.0.1', resolve));
    const merchant = loadConfig({}).wechat;
    const env = {
      DATABASE_URL: database.url,
      FANGTONG_DEMO: '1',
      FANGTONG_JOB_POLL_SECONDS: '0.2',
      WECHAT_PAY_MODE: 'live',
      WECHAT_APP_ID: merchant.appId,
      WECHAT_MCH_ID: merchant.mchId,
      WECHAT_API_KEY: merchant.apiKey,
      WECHAT_API_BASE: `http://127.0.0.1:${(wechat.app.server.address() as AddressInfo).port}`,
    };
    servers.push(await startServerProcess(env));
    if (testDialect() === 'postgres') servers.push(await startServerProcess(env));
    db = openDatabase(database.url);
    await createPartner(
      { db: db.kysely, pii: createPii(Buffer.from(TEST_PII_KEY, 'hex')) },
      {
        ua: UA,
        signkey: KEY,
        calls: '*',
        callbackUrl: `http://127.0.0.1:${(platform.address() as AddressInfo).port}/callback`,
      },
      Date.now(),
      'test',
    );
  });
  after(async () => {
    for (const server of servers) await server.stop();
    await wechat.app.close();
    platform.close();
    await db?.close();
    await database.drop();
  });

  let turn = 0;
  // biome-ignore lint/suspicious/noExplicitAny: answers read by the assertions
  async function call(url: string, payload?: Record<string, unknown>, token?: string): Promise<any> {
    const server = servers[turn++ % servers.length]!;
    const response = await fetch(server.url + url, {
      method: payload ? 'POST' : 'GET',
      headers: {
        ...(payload ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(payload ? { body: JSON.stringify(payload) } : {}),
    });
    return response.json();
  }
  /** Makes a job due now, as its interval running out would. */
  const due = (name: string) =>
    db.kysely.updateTable('jobs').set({ run_at: 0 }).where('name', '=', name).execute();

  it('delivers the signed approveFeedback to the platform once, after an order it brought is decided', async () => {
    await createStaff(
      db.kysely,
      { username: 'jobs-kefu', password: 'kefu-pass', roles: ['kefu'] },
      Date.now(),
      'test',
    );
    const token = (await call('/api/auth/login', { username: 'jobs-kefu', password: 'kefu-pass' })).data
      .token;
    const created = await call(
      '/api/loan-orders',
      {
        order_type: 1,
        city: '北京市',
        appointment_time: '2030-06-02 10:00',
        customer_name: '刘先森',
        partner_ua: UA,
        partner_order_id: '59841a25c768b00e27ba3226',
      },
      token,
    );
    assert.equal(created.code, 1, JSON.stringify(created));
    const stopped = await call(
      `/api/loan-orders/${created.data.son_order_id}/stop`,
      { reason: '资料不实' },
      token,
    );
    assert.equal(stopped.code, 1, JSON.stringify(stopped));
    await due('partner.deliver-callbacks');
    await eventually(async () => (received.length > 0 ? true : undefined), 15_000, 'the callback');
    // Every server's timer keeps ticking; the callback must still arrive once.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(received, [
      {
        call: 'PartnerGate.Order.approveFeedback',
        args: { order_id: '59841a25c768b00e27ba3226', approve_result: 'REFUSE', approve_message: '资料不实' },
        signed: true,
      },
    ]);
  });

  it('reconciles a payment whose notify was lost: WeChat says paid, so it is paid here', async () => {
    await call('/user_auth/send_code', { mobile: DEMO_TENANT_MOBILE });
    let code: string | undefined;
    await eventually(async () => {
      const line = servers.flatMap((s) => s.lines).find((l) => /验证码是\d{6}/.test(l));
      code = line && /验证码是(\d{6})/.exec(line)?.[1];
      return code;
    });
    const tenant = (await call('/user_auth/login', { mobile: DEMO_TENANT_MOBILE, code })).data.token;
    const start = formatShanghaiDate(Date.now() + 86_400_000);
    const end = addMonths(start, 6);
    const lease = await call(
      '/user_contract/save',
      {
        t_name: '张租客',
        t_phone: '13812345678',
        t_id_card: '11010519491231002X',
        h_address: '树海',
        r_s_time: start,
        r_e_time: end,
        p_time: JSON.stringify([{ start, end }]),
        is_pay: '0',
        is_settle: '0',
        life: '{"water":100,"electric":200,"gas":90}',
        s_phone: '13725554033',
        facility: '[]',
        h_i_id: String(DEMO_ENTRUST_ID),
        mode: '2',
        m_name: '测试账号袁',
        m_phone: '13725554033',
        m_s_phone: '15181474781',
        m_store: '内光华门店',
        other: '',
        people_num: '1',
      },
      tenant,
    );
    assert.equal(lease.code, 0, JSON.stringify(lease));
    const pay = await call(
      '/user_order/longPay',
      { id: lease.data.id, is_d_deposit: 0, u_p_id: lease.data.u_p_id },
      tenant,
    );
    assert.equal(pay.code, 0, JSON.stringify(pay));
    const payment = await db.kysely
      .selectFrom('payments')
      .selectAll()
      .where('prepay_id', '=', pay.data.prepayid)
      .executeTakeFirstOrThrow();
    await wechat.sandbox.pay(payment.out_trade_no, { notify: false });
    // Ten minutes on: past the grace the job gives a notify to arrive.
    await db.kysely
      .updateTable('payments')
      .set({ created_at: payment.created_at - 10 * 60_000 })
      .where('id', '=', payment.id)
      .execute();
    await due('payments.reconcile');
    await eventually(
      async () => {
        const row = await db.kysely
          .selectFrom('payments')
          .select('status')
          .where('id', '=', payment.id)
          .executeTakeFirstOrThrow();
        return row.status === 'paid' ? true : undefined;
      },
      15_000,
      'the reconciled payment',
    );
    const audit = await db.kysely
      .selectFrom('audit_log')
      .select(['actor', 'to_state'])
      .where('entity_id', '=', payment.out_trade_no)
      .execute();
    assert.deepEqual(audit, [{ actor: 'job:reconcile', to_state: 'paid' }]);
  });

  it("shows each job's last run and error in /healthz", async () => {
    const health = await call('/healthz');
    assert.equal(health.status, 'ok');
    const names = health.jobs.map((j: { name: string }) => j.name);
    for (const name of [
      'payments.reconcile',
      'partner.deliver-callbacks',
      'leases.expire-unpaid',
      'staff.sessions.purge',
    ]) {
      assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    }
    for (const job of health.jobs) {
      assert.equal(typeof job.lastRunAt, 'number', job.name);
      assert.equal(job.lastError, null, job.name);
    }
  });

  it('stops on SIGTERM with exit code 0, no error logged', async () => {
    const server = servers.pop()!;
    assert.equal(await server.stop(), 0);
    const errors = server.lines.filter((l) => /"level":(50|60)/.test(l));
    assert.deepEqual(errors, []);
  });
});
