import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { formatShanghaiDate } from '../../src/core/time.js';
import { type Db, openDatabase } from '../../src/database.js';
import { createPartner } from '../../src/modules/partner/index.js';
import { createStaff } from '../../src/modules/staff/index.js';
import { createPii } from '../../src/platform/pii.js';
import { DEMO_TENANT_MOBILE } from '../../src/seed/demo-rental.js';
import { FakePlatform } from '../helpers/fake-platform.js';
import { leaseForm } from '../helpers/lease-form.js';
import {
  codeSentTo,
  eventually,
  type ServerProcess,
  startServerProcess,
  startWechatSandbox,
} from '../helpers/server-process.js';
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
  let wechat: Awaited<ReturnType<typeof startWechatSandbox>>;
  const platform = new FakePlatform(KEY);

  before(async () => {
    database = await createTestDatabase();
    wechat = await startWechatSandbox();
    await platform.start();
    const env = {
      DATABASE_URL: database.url,
      FANGTONG_DEMO: '1',
      FANGTONG_JOB_POLL_SECONDS: '0.2',
      ...wechat.env,
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
        callbackUrl: platform.url,
      },
      Date.now(),
      'test',
    );
  });
  after(async () => {
    for (const server of servers) await server.stop();
    await wechat.close();
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
    await eventually(async () => (platform.received.length > 0 ? true : undefined), 15_000, 'the callback');
    // Every server's timer keeps ticking; the callback must still arrive once.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(platform.received, [
      {
        call: 'PartnerGate.Order.approveFeedback',
        args: { order_id: '59841a25c768b00e27ba3226', approve_result: 'REFUSE', approve_message: '资料不实' },
        signed: true,
      },
    ]);
  });

  it('reconciles a payment whose notify was lost: WeChat says paid, so it is paid here', async () => {
    await call('/user_auth/send_code', { mobile: DEMO_TENANT_MOBILE });
    const code = await codeSentTo(servers, DEMO_TENANT_MOBILE);
    const tenant = (await call('/user_auth/login', { mobile: DEMO_TENANT_MOBILE, code })).data.token;
    const lease = await call(
      '/user_contract/save',
      leaseForm(formatShanghaiDate(Date.now() + 86_400_000)),
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
