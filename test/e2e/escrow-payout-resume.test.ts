import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Db, openDatabase } from '../../src/database.js';
import { migrateToLatest } from '../../src/migrations.js';
import {
  createEscrowModule,
  ESCROW_FUND_PURPOSE,
  ESCROW_PAYMENT_HOOKS,
  PAYOUT_CLAIM_MS,
} from '../../src/modules/escrow/index.js';
import { openPayment, type PaymentDeps, settlePayment } from '../../src/modules/payments/index.js';
import type { StaffMember } from '../../src/modules/staff/index.js';
import type { PayoutProvider } from '../../src/platform/payouts/index.js';
import { createPii } from '../../src/platform/pii.js';
import { memorySmsProvider } from '../../src/platform/sms/sms-provider.js';
import { fangtongCommand } from '../helpers/escrow-e2e.js';
import { eventually, type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { TEST_PII_KEY } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase, testDialect } from '../helpers/test-database.js';
import { createRequest } from '../modules/escrow/escrow-fixtures.js';

const maker: StaffMember = { id: 901, username: 'maker', displayName: '甲', roles: ['escrow'] };
const checker: StaffMember = { id: 902, username: 'checker', displayName: '乙', roles: ['escrow'] };
const templates = { login: 'SMS_1001', bind_card: 'SMS_1002', escrow: 'SMS_1003', parking: 'SMS_1004' };

/**
 * A server that died between the approval's commit and the payout provider's answer, played
 * in-process on the test's database: three releases approved ten minutes ago whose provider call
 * never came back. Then real `fangtong serve` processes (two on PostgreSQL) start on that
 * database, and their job escrow.resume-payouts pays each, once, through WeChat's 企业付款 (the
 * servers' in-process WeChat sandbox, PAYOUT_PROVIDER=wechat); `fangtong ledger check` passes.
 */
describe(`payouts left pending by a crash, resumed by fangtong serve (${testDialect()})`, {
  timeout: 300_000,
}, () => {
  let database: TestDatabase;
  let db: Db;
  let servers: ServerProcess[] = [];
  let cli: Record<string, string>;
  let houseOrderNo: string;
  let stuck: Array<{ id: number; payout_no: string; amount: number }>;
  const then = Date.now() - 10 * 60_000;

  before(async () => {
    database = await createTestDatabase();
    const setup = openDatabase(database.url);
    await migrateToLatest(setup.kysely, setup.dialect);
    const sms = memorySmsProvider();
    const neverAnswers: PayoutProvider = { transfer: () => new Promise(() => {}) };
    const escrow = createEscrowModule({
      db: setup.kysely,
      pii: createPii(Buffer.from(TEST_PII_KEY, 'hex')),
      sms: { provider: sms, signName: '房通', templates },
      publicBaseUrl: 'https://escrow.fangtong.test',
      replayMs: 30 * 86_400_000,
      payments: {} as PaymentDeps,
      payouts: neverAnswers,
    });
    await escrow.isvs.create(
      { appKey: 'isv_crash', secret: 's'.repeat(32), methods: '*', storeIds: '*' },
      then,
      't',
    );
    const isv = (await escrow.isvs.find('isv_crash'))!;
    const answer = await escrow.operate(isv, createRequest(7), then);
    houseOrderNo = answer.house_order_no;
    let ip = 0;
    for (const url of [answer.buyer_url, answer.landlord_url]) {
      const token = url.slice('https://escrow.fangtong.test/escrow/accept/'.length);
      await escrow.acceptance.sendCode(token, `10.8.0.${++ip}`, then);
      const code = /验证码(\d{6})，/.exec(sms.sent.at(-1)!.text)![1]!;
      await escrow.acceptance.accept(token, { code, ip: '192.0.2.7' }, then);
    }
    // The buyer's deposit, paid by WeChat and settled as its notify would: a payments row, and
    // escrow's hook moving it into the order's held account.
    const payment = await setup.kysely.transaction().execute((trx) =>
      openPayment(trx, {
        purpose: ESCROW_FUND_PURPOSE,
        subjectId: `${houseOrderNo}:deposit_pay`,
        payer: 'wechat:oCrashBuyer',
        amount: 10_000_000,
        channel: 'wechat_jsapi',
        now: then,
      }),
    );
    await settlePayment(
      { db: setup.kysely, hooks: ESCROW_PAYMENT_HOOKS },
      payment.out_trade_no,
      { kind: 'paid', amount: 10_000_000, transactionId: `4200${then}`, paidAt: then },
      then,
      'test:wechat-v3-notify',
    );
    for (const amount of [2_000_000, 1_000_000, 500_000]) {
      const request = await escrow.funds.request(
        maker,
        houseOrderNo,
        { kind: 'release', amount, reason: '放款' },
        then,
      );
      // The approval commits; the process "dies" before the provider answers.
      void escrow.funds.approve(checker, request.id, then);
      await eventually(
        async () =>
          (await setup.kysely
            .selectFrom('escrow_payouts')
            .select('id')
            .where('release_id', '=', request.id)
            .executeTakeFirst()) ?? undefined,
        5_000,
        'the approval to commit',
      );
    }
    const rows = await setup.kysely.selectFrom('escrow_payouts').selectAll().orderBy('id').execute();
    assert.deepEqual(
      rows.map((r) => [r.state, Number(r.claimed_until)]),
      rows.map(() => ['pending', then + PAYOUT_CLAIM_MS]),
    );
    stuck = rows.map((r) => ({ id: Number(r.id), payout_no: r.payout_no, amount: Number(r.amount) }));
    await setup.close();

    const env = {
      DATABASE_URL: database.url,
      FANGTONG_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-payout-resume-')),
      FANGTONG_JOB_POLL_SECONDS: '0.2',
      PAYOUT_PROVIDER: 'wechat',
    };
    servers.push(await startServerProcess(env));
    if (testDialect() === 'postgres') servers.push(await startServerProcess(env));
    cli = { ...env, FANGTONG_PII_KEY: TEST_PII_KEY };
    db = openDatabase(database.url);
  });
  after(async () => {
    for (const server of servers) await server.stop();
    servers = [];
    await db?.close();
    await database?.drop();
  });

  it('the job pays each stuck payout once through WeChat 企业付款, with its own number, and the ledger checks', async () => {
    const paid = await eventually(
      async () => {
        const rows = await db.kysely.selectFrom('escrow_payouts').selectAll().orderBy('id').execute();
        return rows.every((r) => r.state === 'paid') ? rows : undefined;
      },
      30_000,
      'every stuck payout to be paid',
    );
    assert.deepEqual(
      paid.map((r) => [r.payout_no, Number(r.amount), r.state, Number(r.attempts), r.failure_code]),
      stuck.map((s) => [s.payout_no, s.amount, 'paid', 1, null]),
    );
    for (const row of paid) {
      // WeChat's payment_no, as the servers' WeChat sandbox answered query_bank.
      assert.match(row.provider_id!, /^1000018301[0-9a-f]{18}$/);
      assert.equal(Number(row.claimed_until), 0);
      const transfers = await db.kysely
        .selectFrom('ledger_transfers')
        .select(['amount', 'metadata'])
        .where('key', '=', `escrow.payout:${row.payout_no}`)
        .execute();
      assert.equal(transfers.length, 1);
      assert.equal(Number(transfers[0]!.amount), Number(row.amount));
      assert.equal(JSON.parse(transfers[0]!.metadata!).provider_id, row.provider_id);
      const audits = await db.kysely
        .selectFrom('audit_log')
        .select(['action', 'actor'])
        .where('entity', '=', 'escrow_payout')
        .where('entity_id', '=', row.payout_no)
        .execute();
      assert.deepEqual(audits, [{ action: 'paid', actor: 'payouts' }]);
    }
    const payable = await db.kysely
      .selectFrom('ledger_accounts')
      .select(['credits_posted', 'debits_posted'])
      .where('code', '=', `escrow:${houseOrderNo}:payable-landlord`)
      .executeTakeFirstOrThrow();
    assert.equal(Number(payable.credits_posted), 3_400_000);
    assert.equal(Number(payable.debits_posted), 3_400_000);

    const health = (await (await fetch(`${servers[0]!.url}/healthz`)).json()) as {
      jobs: Array<{ name: string; lastRunAt: number | null; lastError: string | null }>;
    };
    const job = health.jobs.find((j) => j.name === 'escrow.resume-payouts');
    assert.ok(job?.lastRunAt, JSON.stringify(health.jobs));
    assert.equal(job.lastError, null);

    for (const server of servers) assert.equal(await server.stop(), 0);
    servers = [];
    const check = await fangtongCommand(cli, 'ledger', 'check');
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /^ledger: ok$/m);
  });
});
