import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { formatShanghaiDate } from '../../src/core/time.js';
import { type Db, openDatabase } from '../../src/database.js';
import { createStaff } from '../../src/modules/staff/index.js';
import { DEMO_TENANT_DEPOSIT, DEMO_TENANT_MOBILE } from '../../src/seed/demo-rental.js';
import { leaseForm } from '../helpers/lease-form.js';
import { codeSentTo, type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { createTestDatabase, type TestDatabase, testDialect } from '../helpers/test-database.js';

/**
 * kill -9 mid-load, on the configured database: every write the server acknowledged is there
 * after a restart, nothing is half-written, and the money still adds up.
 */
describe('a server killed with SIGKILL mid-load loses no acknowledged write', { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let db: Db;
  let server: ServerProcess;
  let env: Record<string, string>;

  before(async () => {
    database = await createTestDatabase();
    env = { DATABASE_URL: database.url, FANGTONG_DEMO: '1', FANGTONG_JOBS: 'off' };
    server = await startServerProcess(env);
    db = openDatabase(database.url);
  });
  after(async () => {
    await server.stop();
    await db.close();
    await database.drop();
  });

  // biome-ignore lint/suspicious/noExplicitAny: answers read by the assertions
  async function call(url: string, payload: Record<string, unknown>, token?: string): Promise<any> {
    const response = await fetch(server.url + url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(10_000),
    });
    return response.json();
  }

  it(`keeps every acknowledged order and deposit payment (${testDialect()})`, async (t) => {
    await createStaff(
      db.kysely,
      { username: 'durable', password: 'durable-pass', roles: ['kefu'] },
      Date.now(),
      'test',
    );
    const token = (await call('/api/auth/login', { username: 'durable', password: 'durable-pass' })).data
      .token;
    await call('/user_auth/send_code', { mobile: DEMO_TENANT_MOBILE });
    const code = await codeSentTo([server], DEMO_TENANT_MOBILE);
    const tenant = (await call('/user_auth/login', { mobile: DEMO_TENANT_MOBILE, code })).data.token;
    const started = Date.now();
    const acknowledged: string[] = [];
    const paidInstallments: string[] = [];
    let failed = 0;
    let sent = 0;
    /** A lease on the 1-fen house and its 7-fen first installment paid from the held deposit. */
    const rent = async () => {
      sent += 1;
      try {
        const lease = await call(
          '/user_contract/save',
          leaseForm(formatShanghaiDate(Date.now() + 86_400_000)),
          tenant,
        );
        if (lease.code !== 0) {
          failed += 1;
          return;
        }
        const pay = await call(
          '/user_order/longPay',
          { id: lease.data.id, is_d_deposit: 1, u_p_id: lease.data.u_p_id },
          tenant,
        );
        if (pay.code === 0) paidInstallments.push(lease.data.u_p_id);
        else failed += 1;
      } catch {
        failed += 1;
      }
    };
    const order = async () => {
      sent += 1;
      try {
        const answer = await call(
          '/api/loan-orders',
          {
            order_type: 1,
            city: '北京市',
            appointment_time: '2030-06-02 10:00',
            customer_name: `客户${sent}`,
          },
          token,
        );
        if (answer.code === 1) acknowledged.push(answer.data.son_order_id);
        else failed += 1;
      } catch {
        failed += 1;
      }
    };
    // Eight clients write without pause; the server dies under them once 60 orders are in.
    let killed = false;
    const worker = async () => {
      while (sent < 400 && !killed) {
        await (sent % 3 === 2 ? rent() : order());
        if (!killed && acknowledged.length >= 60) {
          killed = true;
          await server.kill();
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    assert.ok(killed, 'the server was killed mid-load');

    server = await startServerProcess(env);
    const stored = await db.kysely
      .selectFrom('loan_orders')
      .select('son_order_id')
      .where('son_order_id', 'in', acknowledged)
      .execute();
    assert.equal(stored.length, acknowledged.length, `acknowledged ${acknowledged.length}, failed ${failed}`);
    // Each order's audit row came with it, or neither did.
    const audited = await db.kysely
      .selectFrom('audit_log')
      .select('entity_id')
      .where('entity', '=', 'loan_order')
      .where('action', '=', 'create')
      .execute();
    const orders = await db.kysely
      .selectFrom('loan_orders')
      .select('son_order_id')
      .where('created_at', '>=', started)
      .execute();
    assert.deepEqual(new Set(audited.map((a) => a.entity_id)), new Set(orders.map((o) => o.son_order_id)));
    if (testDialect() === 'sqlite') {
      const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db.kysely);
      assert.deepEqual(check.rows, [{ integrity_check: 'ok' }]);
    }
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
    // The money: every acknowledged pay is paid, and what left the deposit is what was paid.
    const payments = await db.kysely
      .selectFrom('payments')
      .selectAll()
      .where('purpose', '=', 'lease_installment')
      .execute();
    const paid = payments.filter((p) => p.status === 'paid');
    assert.deepEqual(
      paidInstallments.filter((id) => !paid.some((p) => p.subject_id === id)),
      [],
      'no acknowledged payment missing',
    );
    const held = await db.kysely
      .selectFrom('tenants')
      .select('deposit_held')
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    assert.equal(Number(held.deposit_held) + paid.reduce((sum, p) => sum + p.amount, 0), DEMO_TENANT_DEPOSIT);
    assert.ok(paidInstallments.length > 0, 'payments were part of the load');
    t.diagnostic(
      `acknowledged ${acknowledged.length} orders and ${paidInstallments.length} deposit payments before SIGKILL; ${failed} requests cut off; all found`,
    );
  });
});
