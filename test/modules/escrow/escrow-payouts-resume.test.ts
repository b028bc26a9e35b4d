import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Db, openDatabase } from '../../../src/database.js';
import { migrateToLatest } from '../../../src/migrations.js';
import {
  createEscrowModule,
  ESCROW_PAYMENT_HOOKS,
  type EscrowModule,
  PAYOUT_CLAIM_MS,
  providerPayoutNo,
} from '../../../src/modules/escrow/index.js';
import { checkLedger } from '../../../src/modules/ledger/index.js';
import type { PaymentDeps, PaymentRow } from '../../../src/modules/payments/index.js';
import type { StaffMember } from '../../../src/modules/staff/index.js';
import { type PayoutProvider, PayoutSandbox } from '../../../src/platform/payouts/index.js';
import { createPii } from '../../../src/platform/pii.js';
import { memorySmsProvider } from '../../../src/platform/sms/sms-provider.js';
import { createTestDatabase, testDialect } from '../../helpers/test-database.js';
import { createRequest } from './escrow-fixtures.js';

const NOW = Date.parse('2024-06-01T10:00:00+08:00');
const MINUTE = 60_000;
const pii = createPii(Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex'));
const templates = { login: 'SMS_1001', bind_card: 'SMS_1002', escrow: 'SMS_1003', parking: 'SMS_1004' };
const maker: StaffMember = { id: 901, username: 'maker', displayName: '甲', roles: ['escrow'] };
const checker: StaffMember = { id: 902, username: 'checker', displayName: '乙', roles: ['escrow'] };

/** A provider the test opens and closes: each call waits until `release()` (a slow bank). */
function gatedProvider(inner: PayoutProvider) {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const entered: string[] = [];
  return {
    entered,
    release: () => open(),
    provider: {
      async transfer(request) {
        entered.push(request.payoutNo);
        await gate;
        return inner.transfer(request);
      },
    } satisfies PayoutProvider,
  };
}

describe(`escrow payouts resumed after a crash (${testDialect()})`, () => {
  let url: string;
  let drop: () => Promise<void>;
  let dbA: Db;
  let dbB: Db;
  const sandbox = new PayoutSandbox();
  const sms = memorySmsProvider();
  let ip = 0;
  let caseNo = 30;

  const moduleOver = (db: Db, payouts: PayoutProvider): EscrowModule =>
    createEscrowModule({
      db: db.kysely,
      pii,
      sms: { provider: sms, signName: '房通', templates },
      publicBaseUrl: 'https://fangtong.test',
      replayMs: 30 * 24 * 3_600_000,
      payments: {} as PaymentDeps,
      payouts,
    });
  // Server A's process "dies" while asking the provider: its call never comes back to it.
  const dying: PayoutProvider = {
    transfer: () => new Promise(() => {}),
  };
  let serverA: EscrowModule;
  let serverB: EscrowModule;
  let crashing: EscrowModule;

  before(async () => {
    const database = await createTestDatabase();
    url = database.url;
    drop = database.drop;
    dbA = openDatabase(url, { poolSize: 4 });
    await migrateToLatest(dbA.kysely, dbA.dialect);
    dbB = openDatabase(url, { poolSize: 4 });
    serverA = moduleOver(dbA, sandbox);
    serverB = moduleOver(dbB, sandbox);
    crashing = moduleOver(dbA, dying);
    await serverA.isvs.create(
      { appKey: 'isv_resume', secret: 's'.repeat(32), methods: '*', storeIds: '*' },
      NOW,
      't',
    );
  });
  after(async () => {
    await dbB.close();
    await dbA.close();
    await drop();
  });

  const resume = (module: EscrowModule, at: number) =>
    module.jobs.find((j) => j.name === 'escrow.resume-payouts')!.run(at);
  const accept = async (module: EscrowModule, url: string, at: number) => {
    const token = url.slice('https://fangtong.test/escrow/accept/'.length);
    await module.acceptance.sendCode(token, `10.7.0.${++ip}`, at);
    const code = /验证码(\d{6})，/.exec(sms.sent.at(-1)!.text)![1]!;
    return module.acceptance.accept(token, { code, ip: '192.0.2.7' }, at);
  };
  /** A signed order holding 10,000,000 fen. */
  const heldOrder = async () => {
    const isv = (await serverA.isvs.find('isv_resume'))!;
    const answer = await serverA.operate(isv, createRequest(++caseNo), NOW);
    await accept(serverA, answer.buyer_url, NOW + 1);
    await accept(serverA, answer.landlord_url, NOW + 2);
    await dbA.kysely.transaction().execute(async (trx) => {
      const payment = {
        subject_id: `${answer.house_order_no}:deposit_pay`,
        out_trade_no: `T${caseNo}`,
        amount: 10_000_000,
      };
      await ESCROW_PAYMENT_HOOKS.escrow_fund!.onPaid(trx, payment as PaymentRow, NOW + 10);
    });
    return answer.house_order_no;
  };
  /** A release approved on a server that dies before the provider answers: the payout stays pending. */
  const stuckPayout = async (no: string, amount: number, at = NOW + 20) => {
    const request = await serverA.funds.request(maker, no, { kind: 'release', amount, reason: '放款' }, at);
    // The approval commits, then its provider call never returns (the process is gone).
    void crashing.funds.approve(checker, request.id, at);
    const payout = await waitFor(async () =>
      dbA.kysely
        .selectFrom('escrow_payouts')
        .selectAll()
        .where('release_id', '=', request.id)
        .executeTakeFirst(),
    );
    assert.equal(payout.state, 'pending');
    return payout;
  };
  const payout = (id: number) =>
    dbA.kysely.selectFrom('escrow_payouts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const net = async (code: string) => {
    const row = await dbA.kysely
      .selectFrom('ledger_accounts')
      .select(['credits_posted', 'debits_posted'])
      .where('code', '=', code)
      .executeTakeFirst();
    return row ? Number(row.credits_posted) - Number(row.debits_posted) : 0;
  };
  const payoutTransfers = (payoutNo: string) =>
    dbA.kysely
      .selectFrom('ledger_transfers')
      .select('id')
      .where('key', '=', `escrow.payout:${payoutNo}`)
      .execute();
  const notifications = (payoutNo: string) =>
    dbA.kysely
      .selectFrom('escrow_notifications')
      .select(['event', 'data'])
      .where('dedupe_key', 'like', `payout:${payoutNo}:%`)
      .execute();

  it('a payout whose server died before the provider answered is paid by the job once its claim runs out, once', async () => {
    const no = await heldOrder();
    const stuck = await stuckPayout(no, 2_000_000);
    assert.equal(Number(stuck.claimed_until), NOW + 20 + PAYOUT_CLAIM_MS);
    assert.equal(await net(`escrow:${no}:payable-landlord`), 1_900_000);

    await resume(serverB, NOW + 20 + MINUTE);
    assert.equal(sandbox.callsFor(stuck.payout_no), 0, 'its server may still be asking: left alone');

    const later = NOW + 20 + PAYOUT_CLAIM_MS;
    await resume(serverB, later);
    assert.equal(sandbox.callsFor(stuck.payout_no), 1);
    const call = sandbox.calls.at(-1)!;
    assert.equal(call.payoutNo, stuck.payout_no, 'asked with the same number');
    assert.equal(call.amount, 1_900_000);
    assert.equal(call.name, '李四');
    assert.equal(call.description, `放款 ${no}`);
    const paid = await payout(Number(stuck.id));
    assert.equal(paid.state, 'paid');
    assert.equal(paid.provider_id, sandbox.paid.get(stuck.payout_no)!.providerId);
    assert.equal(Number(paid.claimed_until), 0);
    assert.equal(Number(paid.updated_at), later);
    assert.equal(await net(`escrow:${no}:payable-landlord`), 0);
    assert.equal((await payoutTransfers(stuck.payout_no)).length, 1);
    assert.deepEqual(
      (await notifications(stuck.payout_no)).map((n) => n.event),
      [],
      'the ISV of this test has no callback URL: nothing queued',
    );

    await resume(serverA, later + 10 * MINUTE);
    await resume(serverB, later + 10 * MINUTE);
    assert.equal(sandbox.callsFor(stuck.payout_no), 1, 'a paid payout is never asked again');
  });

  it('the provider paid but the answer was lost: the job asks again with the same number and records the one payment', async () => {
    const no = await heldOrder();
    const request = await serverA.funds.request(
      maker,
      no,
      { kind: 'release', amount: 1_000_000, reason: '放款' },
      NOW + 30,
    );
    sandbox.loseAnswerNext();
    const approved = await serverA.funds.approve(checker, request.id, NOW + 30);
    assert.equal(approved.payout.state, 'pending');
    assert.equal(approved.payout.failure_code, 'NO_ANSWER');
    assert.match(approved.payout.failure_message!, /answer was lost/);
    const payoutNo = approved.payout.payout_no;
    assert.ok(sandbox.paid.has(payoutNo), 'the money did leave');
    assert.equal(await net(`escrow:${no}:payable-landlord`), 900_000, 'not recorded as paid yet');

    await resume(serverB, NOW + 30 + 5 * MINUTE);
    assert.equal(sandbox.callsFor(payoutNo), 2);
    const paid = await payout(approved.payout.id);
    assert.equal(paid.state, 'paid');
    assert.equal(paid.failure_code, null);
    assert.equal(paid.provider_id, sandbox.paid.get(payoutNo)!.providerId);
    assert.equal((await payoutTransfers(payoutNo)).length, 1);
    assert.equal(await net(`escrow:${no}:payable-landlord`), 0);
  });

  it('a system error keeps it pending and asks again later with the same number', async () => {
    const no = await heldOrder();
    const stuck = await stuckPayout(no, 1_000_000, NOW + 40);
    sandbox.unsureNext(1);
    const first = NOW + 40 + PAYOUT_CLAIM_MS;
    await resume(serverA, first);
    let row = await payout(Number(stuck.id));
    assert.equal(row.state, 'pending');
    assert.equal(row.failure_code, 'SYSTEMERROR');
    assert.equal(Number(row.claimed_until), first + 5 * MINUTE);
    await resume(serverA, first + MINUTE);
    assert.equal(sandbox.callsFor(stuck.payout_no), 1, 'not before its recheck');
    await resume(serverA, first + 5 * MINUTE);
    row = await payout(Number(stuck.id));
    assert.equal(row.state, 'paid');
    assert.deepEqual(
      sandbox.calls.filter((c) => c.payoutNo.startsWith(stuck.payout_no)).map((c) => c.payoutNo),
      [stuck.payout_no, stuck.payout_no],
    );
  });

  it('a final failure the job hears stays failed and visible for retryPayout, which asks under the next attempt number', async () => {
    const no = await heldOrder();
    const stuck = await stuckPayout(no, 1_000_000, NOW + 50);
    sandbox.failNext(1, 'BANK_FAIL', '银行退票');
    await resume(serverB, NOW + 50 + PAYOUT_CLAIM_MS);
    const failed = await payout(Number(stuck.id));
    assert.equal(failed.state, 'failed');
    assert.equal(failed.failure_code, 'BANK_FAIL');
    assert.equal(await net(`escrow:${no}:payable-landlord`), 900_000, 'the money waits to be paid');
    await resume(serverB, NOW + 50 + 10 * PAYOUT_CLAIM_MS);
    assert.equal(sandbox.callsFor(stuck.payout_no), 1, 'the job leaves a failed payout to the desk');

    const retried = await serverA.funds.retryPayout(maker, Number(stuck.id), NOW + 60 * MINUTE);
    assert.equal(retried.state, 'paid');
    assert.equal(retried.attempts, 2);
    assert.equal(sandbox.calls.at(-1)!.payoutNo, providerPayoutNo(stuck.payout_no, 2));
    assert.equal(sandbox.calls.at(-1)!.payoutNo, `${stuck.payout_no}R2`);
    assert.equal(await net(`escrow:${no}:payable-landlord`), 0);
    assert.equal((await payoutTransfers(stuck.payout_no)).length, 1);
  });

  it('two servers running the job at once ask about each stuck payout once and record one outcome each', async () => {
    const no = await heldOrder();
    const stuck = [];
    for (let i = 0; i < 6; i++) stuck.push(await stuckPayout(no, 1_000_000 + i, NOW + 100 + i));
    // A bank that takes its time, so the runs overlap: each waits 30 ms on every call.
    const asked: string[] = [];
    const slowBank: PayoutProvider = {
      async transfer(request) {
        asked.push(request.payoutNo);
        await new Promise((resolve) => setTimeout(resolve, 30));
        return sandbox.transfer(request);
      },
    };
    const slowA = moduleOver(dbA, slowBank);
    const slowB = moduleOver(dbB, slowBank);
    const at = NOW + 200 + PAYOUT_CLAIM_MS;
    await Promise.all([resume(slowA, at), resume(slowB, at), resume(slowA, at), resume(slowB, at)]);
    assert.deepEqual(asked.sort(), stuck.map((p) => p.payout_no).sort(), 'each asked once, by one server');
    for (const p of stuck) {
      assert.equal(sandbox.callsFor(p.payout_no), 1);
      const row = await payout(Number(p.id));
      assert.equal(row.state, 'paid');
      assert.equal(row.provider_id, sandbox.paid.get(p.payout_no)!.providerId);
      assert.equal((await payoutTransfers(p.payout_no)).length, 1);
      const audits = await dbA.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('entity', '=', 'escrow_payout')
        .where('entity_id', '=', p.payout_no)
        .execute();
      assert.deepEqual(
        audits.map((a) => a.action),
        ['paid'],
      );
    }
    assert.equal(await net(`escrow:${no}:payable-landlord`), 0);
  });

  it('a server still waiting on the provider when its claim runs out: both ask the same number, the money leaves once, one outcome is recorded', async () => {
    const no = await heldOrder();
    const stuck = await stuckPayout(no, 3_000_000, NOW + 300);
    const gate = gatedProvider(sandbox);
    const slow = moduleOver(dbA, gate.provider);
    const first = NOW + 300 + PAYOUT_CLAIM_MS;
    const slowRun = resume(slow, first);
    await waitFor(async () => (gate.entered.length === 1 ? true : undefined));
    // Its claim runs out while it waits; the other server takes the payout over.
    await resume(serverB, first + PAYOUT_CLAIM_MS);
    assert.equal((await payout(Number(stuck.id))).state, 'paid');
    gate.release();
    await slowRun;
    assert.equal(sandbox.callsFor(stuck.payout_no), 2, 'asked twice, under one number');
    assert.equal([...sandbox.paid.keys()].filter((k) => k === stuck.payout_no).length, 1);
    assert.equal((await payoutTransfers(stuck.payout_no)).length, 1);
    assert.equal(await net(`escrow:${no}:payable-landlord`), 0);
    const audits = await dbA.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'escrow_payout')
      .where('entity_id', '=', stuck.payout_no)
      .execute();
    assert.deepEqual(
      audits.map((a) => a.action),
      ['paid'],
    );
  });

  it('the ledger adds up after all of it', async () => {
    const report = await checkLedger(dbA.kysely);
    assert.deepEqual(report.problems, []);
    assert.equal(report.ok, true);
  });
});

async function waitFor<T>(check: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
