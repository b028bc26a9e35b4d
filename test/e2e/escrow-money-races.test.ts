import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Db, openDatabase } from '../../src/database.js';
import { WECHAT_V3_NOTIFY_PATH } from '../../src/dialects/payments/payments.wechat.v3.notify.route.js';
import { createStaff } from '../../src/modules/staff/index.js';
import {
  type Answer,
  type CapturedV3Notify,
  escrowDriver,
  fangtongCommand,
  httpCall,
  rawHttpCall,
  startWechatV3Sandbox,
} from '../helpers/escrow-e2e.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { TEST_PII_KEY } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase, testDialect } from '../helpers/test-database.js';
import { cardNumber } from '../modules/escrow/escrow-fixtures.js';

const ISV = { appKey: 'money-isv', secret: 'money-isv-secret-0123456789' };
/** The fixture's deposit, the one amount its DEPOSIT contract escrows, and its service fee. */
const DEPOSIT = 10_000_000;
const FEE = 100_000;
const SELF_APPROVAL = '申请人不能审批自己的申请，请由另一位资金监管人员审批';
const ALREADY_DECIDED = '该申请已处理，不能重复审批';
const INSUFFICIENT = /^监管账户余额不足：可用\d+分，本次需要\d+分$/;

/**
 * Family 3's money raced over real HTTP against real `fangtong serve` processes — two on one
 * PostgreSQL database, where transactions really overlap, one on SQLite — paying through WeChat
 * Pay v3 as production does: the servers run in live mode against a v3 sandbox HTTP server whose
 * keys the test holds (startWechatV3Sandbox), so WeChat's signed notify is accepted by every
 * server and can be replayed at all of them at once. Staff decide through the back office's API;
 * the assertions read the answers' bodies, the database's rows and the ledger's balances.
 */
describe('escrow money races over HTTP against the real server', { timeout: 300_000 }, () => {
  let database: TestDatabase;
  let db: Db;
  let wechat: Awaited<ReturnType<typeof startWechatV3Sandbox>>;
  let servers: ServerProcess[] = [];
  let cli: Record<string, string>;
  let driver: ReturnType<typeof escrowDriver>;

  before(async () => {
    database = await createTestDatabase();
    wechat = await startWechatV3Sandbox();
    const env = {
      DATABASE_URL: database.url,
      FANGTONG_JOBS: 'off',
      FANGTONG_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-escrow-money-')),
      PUBLIC_BASE_URL: 'https://escrow.fangtong.test',
      ...wechat.env,
      // Payouts through the in-process sandbox (a live WeChat Pay setting would pay bank cards).
      PAYOUT_PROVIDER: 'sandbox',
    };
    servers.push(await startServerProcess(env));
    if (testDialect() === 'postgres') servers.push(await startServerProcess(env));
    cli = {
      DATABASE_URL: database.url,
      FANGTONG_DATA_DIR: env.FANGTONG_DATA_DIR,
      FANGTONG_PII_KEY: TEST_PII_KEY,
    };
    // With a callback URL, so each change queues one notification to the ISV (jobs are off:
    // nothing is sent, the rows stay for the assertions).
    const added = await fangtongCommand(
      cli,
      'isv',
      'add',
      '--app-key',
      ISV.appKey,
      '--secret',
      ISV.secret,
      '--stores',
      '10223',
      '--callback',
      'http://127.0.0.1:9/escrow-notify',
    );
    assert.equal(added.code, 0, added.stderr);
    db = openDatabase(database.url);
    driver = escrowDriver(servers, ISV);
  });
  after(async () => {
    for (const server of servers) await server.stop();
    servers = [];
    await db?.close();
    await wechat?.close();
    await database?.drop();
  });

  const server = (i: number) => servers[i % servers.length]!;
  const burst = <T>(n: number, one: (i: number) => Promise<T>) =>
    Promise.all(Array.from({ length: n }, (_, i) => one(i)));
  const no5xx = (answers: Array<{ status: number }>) =>
    assert.deepEqual(
      answers.filter((a) => a.status >= 500),
      [],
    );
  function tally<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
    return counts;
  }
  const pay = (on: number, token: string, openId = 'oMoneyBuyer-1') =>
    httpCall(driver.page(on, token, '/pay'), { json: { amount_type: 'deposit_pay', open_id: openId } });
  /** WeChat's notify delivered to server `on` exactly as the sandbox signed it. */
  const deliver = (on: number, notify: CapturedV3Notify) =>
    rawHttpCall(`${server(on).url}${WECHAT_V3_NOTIFY_PATH}`, {
      body: notify.body,
      headers: { ...notify.headers, 'content-type': 'application/json' },
    });
  /** The payer pays at WeChat: the sandbox marks the order paid and signs the notify. */
  async function payAtWechat(outTradeNo: string): Promise<CapturedV3Notify> {
    const before = wechat.notifies.length;
    assert.equal(await wechat.sandbox.settle(outTradeNo, 'SUCCESS'), 204);
    assert.equal(wechat.notifies.length, before + 1);
    return wechat.notifies.at(-1)!;
  }

  const paymentsOf = (no: string) =>
    db.kysely
      .selectFrom('payments')
      .selectAll()
      .where('purpose', '=', 'escrow_fund')
      .where('subject_id', '=', `${no}:deposit_pay`)
      .execute();
  const account = (code: string) =>
    db.kysely.selectFrom('ledger_accounts').selectAll().where('code', '=', code).executeTakeFirst();
  /** An account's posted net (credits − debits), 0 when it was never opened. */
  async function net(code: string): Promise<number> {
    const row = await account(code);
    return row ? Number(row.credits_posted) - Number(row.debits_posted) : 0;
  }
  const transfersKeyed = (key: string) =>
    db.kysely.selectFrom('ledger_transfers').selectAll().where('key', '=', key).execute();
  const heldTransfers = async (no: string) => {
    const held = await account(`escrow:${no}:held`);
    if (!held) return [];
    return db.kysely
      .selectFrom('ledger_transfers')
      .select(['key', 'ledger', 'amount', 'debit_account_id', 'credit_account_id'])
      .where((eb) => eb.or([eb('debit_account_id', '=', held.id), eb('credit_account_id', '=', held.id)]))
      .orderBy('id')
      .execute();
  };
  const auditOf = (no: string, action: string) =>
    db.kysely
      .selectFrom('audit_log')
      .select(['actor', 'reason'])
      .where('entity', '=', 'escrow_order')
      .where('entity_id', '=', no)
      .where('action', '=', action)
      .execute();
  const notificationsOf = (no: string, event: 'funds_in' | 'released' | 'refunded') =>
    db.kysely
      .selectFrom('escrow_notifications')
      .select(['dedupe_key', 'data'])
      .where('house_order_no', '=', no)
      .where('event', '=', event)
      .execute();

  /** The whole ledger adds up, said by the command an operator runs. */
  async function ledgerChecks(): Promise<void> {
    const check = await fangtongCommand(cli, 'ledger', 'check');
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /^ledger: ok$/m);
  }

  /** Asserts order `no` was funded exactly once by `outTradeNo`: one transfer, one audit, one notification. */
  async function fundedOnce(no: string, outTradeNo: string, transactionId: string | undefined) {
    const payments = await paymentsOf(no);
    assert.equal(payments.length, 1, JSON.stringify(payments));
    assert.equal(payments[0]!.out_trade_no, outTradeNo);
    assert.equal(payments[0]!.status, 'paid');
    assert.equal(payments[0]!.transaction_id, transactionId);
    const fund = await transfersKeyed(`escrow.fund:${outTradeNo}`);
    assert.equal(fund.length, 1, JSON.stringify(fund));
    assert.equal(Number(fund[0]!.amount), DEPOSIT);
    assert.equal(fund[0]!.ledger, 'escrow.fund');
    assert.deepEqual(
      (await heldTransfers(no)).map((t) => [t.key, t.ledger, Number(t.amount)]),
      [[`escrow.fund:${outTradeNo}`, 'escrow.fund', DEPOSIT]],
    );
    const held = (await account(`escrow:${no}:held`))!;
    assert.deepEqual(
      [
        Number(held.credits_posted),
        Number(held.debits_posted),
        Number(held.credits_pending),
        Number(held.debits_pending),
      ],
      [DEPOSIT, 0, 0, 0],
    );
    assert.equal((await auditOf(no, 'funded')).length, 1);
    assert.equal((await auditOf(no, 'funded_late')).length, 0);
    const paidAudit = await db.kysely
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('entity', '=', 'payment')
      .where('entity_id', '=', outTradeNo)
      .execute();
    assert.deepEqual(paidAudit, [{ action: 'paid', actor: 'wechat:notify-v3' }]);
    const fundsIn = await notificationsOf(no, 'funds_in');
    assert.equal(fundsIn.length, 1);
    assert.deepEqual(JSON.parse(fundsIn[0]!.data), {
      amount_type: 'deposit_pay',
      amount: DEPOSIT,
      out_trade_no: outTradeNo,
      late: false,
    });
  }

  // ---- staff --------------------------------------------------------------------------------

  const staffIds: Record<string, number> = {};
  const sessions: Record<string, Record<string, string>> = {};
  async function escrowStaff(...usernames: string[]) {
    for (const username of usernames) {
      if (sessions[username]) continue;
      const made = await createStaff(
        db.kysely,
        { username, password: 'escrow-pass-1', roles: ['escrow'] },
        Date.now(),
        'test',
      );
      staffIds[username] = made.id;
      const answer = await httpCall(`${server(0).url}/api/auth/login`, {
        json: { username, password: 'escrow-pass-1' },
      });
      assert.equal(answer.body.code, 1, JSON.stringify(answer.body));
      sessions[username] = { authorization: `Bearer ${answer.body.data.token}` };
    }
  }
  const desk = async (no: string) => {
    const view = await httpCall(`${server(1).url}/api/escrow-orders/${no}`, { headers: sessions.alice! });
    assert.equal(view.body.code, 1, JSON.stringify(view.body));
    return view.body.data;
  };

  /** Case `n` signed, its deposit paid at WeChat and notified once: DEPOSIT held. */
  async function fundedInvitation(n: number) {
    const inv = await driver.signedInvitation(n);
    const paid = await pay(0, inv.buyer.token);
    assert.equal(paid.body.code, 0, JSON.stringify(paid.body));
    const notify = await payAtWechat(paid.body.data.out_trade_no);
    assert.equal((await deliver(n, notify)).status, 204);
    assert.equal(await net(`escrow:${inv.no}:held`), DEPOSIT);
    return inv;
  }

  it('10 concurrent pays by the buyer over both servers open one payment; its notify 10× at once posts once', async () => {
    const inv = await driver.signedInvitation(1);
    // The landlord cannot pay, and the terms say what the buyer owes.
    const landlordPay = await pay(0, inv.landlord.token);
    assert.deepEqual(landlordPay.body, { code: -1, msg: '只有买方可以支付监管资金' });

    const jsapiBefore = wechat.requests['POST /v3/pay/transactions/jsapi'] ?? 0;
    const pays = await burst(10, (i) => pay(i, inv.buyer.token));
    no5xx(pays);
    const counts = tally(pays, (a) => `${a.body.code} ${a.body.msg ?? ''}`.trim());
    assert.deepEqual(counts, { 0: 10 }, JSON.stringify(pays.map((a) => a.body)));
    const tradeNos = new Set(pays.map((a) => a.body.data.out_trade_no));
    assert.equal(tradeNos.size, 1, [...tradeNos].join(', '));
    const [outTradeNo] = [...tradeNos] as [string];
    const prepayIds = new Set<string>();
    for (const a of pays) {
      assert.equal(a.body.data.house_order_no, inv.no);
      assert.equal(a.body.data.amount_type, 'deposit_pay');
      assert.equal(a.body.data.amount, DEPOSIT);
      assert.equal(a.body.data.pay_params.signType, 'RSA');
      assert.match(a.body.data.pay_params.package, /^prepay_id=wx[0-9a-f]{28}$/);
      prepayIds.add(a.body.data.pay_params.package.slice('prepay_id='.length));
    }
    const payments = await paymentsOf(inv.no);
    assert.equal(payments.length, 1, JSON.stringify(payments));
    assert.equal(payments[0]!.out_trade_no, outTradeNo);
    assert.equal(payments[0]!.status, 'created');
    assert.equal(payments[0]!.amount, DEPOSIT);
    assert.equal(payments[0]!.channel, 'wechat_jsapi');
    // The payment keeps one of the prepay ids WeChat gave; every one of them is the same order.
    assert.ok(prepayIds.has(payments[0]!.prepay_id!), `${payments[0]!.prepay_id} not in ${[...prepayIds]}`);
    const jsapiCalls = (wechat.requests['POST /v3/pay/transactions/jsapi'] ?? 0) - jsapiBefore;
    const closeCalls = Object.entries(wechat.requests)
      .filter(([k]) => k.endsWith('/close'))
      .reduce((s, [, v]) => s + v, 0);
    assert.equal(closeCalls, 0, 'no concurrent pay closed the order at WeChat');
    assert.equal(await net(`escrow:${inv.no}:held`), 0);

    // The buyer pays; WeChat's notify is delivered 10 times at once, 5 to each server (on
    // PostgreSQL): the same bytes, as a retry after a lost answer resends them.
    const notify = await payAtWechat(outTradeNo);
    const deliveries = await burst(10, (i) => deliver(i, notify));
    no5xx(deliveries);
    assert.deepEqual(
      deliveries.map((d) => [d.status, d.text]),
      Array.from({ length: 10 }, () => [204, '']),
    );
    const settled = (await paymentsOf(inv.no))[0]!;
    assert.match(settled.transaction_id ?? '', /^4200[0-9a-f]{24}$/);
    await fundedOnce(inv.no, outTradeNo, settled.transaction_id ?? undefined);

    // 10 more, each signed afresh (new id, nonce, timestamp), as WeChat's later retries are.
    const fresh = await burst(10, (i) =>
      deliver(i + 1, wechat.sandbox.notify(outTradeNo) as CapturedV3Notify),
    );
    assert.deepEqual(
      fresh.map((d) => d.status),
      Array.from({ length: 10 }, () => 204),
    );
    await fundedOnce(inv.no, outTradeNo, settled.transaction_id ?? undefined);

    // The desk reads the same from the ledger; paying again is refused and opens nothing.
    await escrowStaff('alice');
    const funds = (await desk(inv.no)).funds;
    assert.equal(funds.held, DEPOSIT);
    assert.deepEqual(
      funds.types.map((t: { amount_type: string; due: number; paid: number; late_paid: number }) => [
        t.amount_type,
        t.due,
        t.paid,
        t.late_paid,
      ]),
      [['deposit_pay', DEPOSIT, DEPOSIT, 0]],
    );
    const again = await pay(1, inv.buyer.token);
    assert.deepEqual(again.body, { code: -1, msg: '定金已支付' });
    assert.equal((await paymentsOf(inv.no)).length, 1);
    console.log(
      `pay-in (${testDialect()}, ${servers.length} server(s)): 10 concurrent pays → ${JSON.stringify(counts)}, ` +
        `1 payment, ${jsapiCalls} JSAPI orders asked of WeChat, ${prepayIds.size} distinct prepay_id(s); ` +
        `20 notifies (10 identical + 10 re-signed) → all 204, 1 ledger transfer, held ${funds.held}`,
    );
    await ledgerChecks();
  });

  it('pays racing the notify: each answers the open payment or 定金已支付, never a second payment', async () => {
    const inv = await driver.signedInvitation(2);
    const first = await pay(0, inv.buyer.token);
    assert.equal(first.body.code, 0, JSON.stringify(first.body));
    const outTradeNo = first.body.data.out_trade_no as string;
    const notify = await payAtWechat(outTradeNo);
    // 10 notifies and 10 pays at once, interleaved over both servers.
    // Pair i: for even i the pay leaves i ms before the notify, for odd i the notify i ms before
    // the pay, so that both orders of arrival are raced.
    const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const [pays, deliveries] = await Promise.all([
      burst(10, (i) => later(i % 2 === 0 ? 0 : i).then(() => pay(i + 1, inv.buyer.token))),
      burst(10, (i) => later(i % 2 === 0 ? i : 0).then(() => deliver(i, notify))),
    ]);
    no5xx([...deliveries, ...pays]);
    assert.deepEqual(
      deliveries.map((d) => d.status),
      Array.from({ length: 10 }, () => 204),
    );
    const counts = tally(pays, (a) =>
      a.body.code === 0
        ? `0 ${a.body.data.out_trade_no === outTradeNo ? 'same' : 'OTHER'}`
        : `${a.body.code} ${a.body.msg}`,
    );
    for (const key of Object.keys(counts))
      assert.ok(['0 same', '-1 定金已支付'].includes(key), JSON.stringify(counts));
    const settled = (await paymentsOf(inv.no))[0]!;
    await fundedOnce(inv.no, outTradeNo, settled.transaction_id ?? undefined);
    console.log(
      `pays racing 10 notifies (${testDialect()}): ${JSON.stringify(counts)}; 1 payment, 1 ledger transfer`,
    );
    await ledgerChecks();
  });

  it('releases and refunds requested and decided concurrently never pay out more than was held; maker-checker holds', async () => {
    const inv = await fundedInvitation(3);
    await escrowStaff('alice', 'bob', 'carol');
    const members = ['alice', 'bob', 'carol'] as const;
    const refundCard = cardNumber('621700000000000');

    // 8 requests of 3,000,000 at once (releases and refunds alternately, makers in turn):
    // 24,000,000 asked of 10,000,000 held.
    const asked = await burst(8, (i) =>
      httpCall(`${server(i).url}/api/escrow-orders/${inv.no}/releases`, {
        json:
          i % 2 === 0
            ? { kind: 'release', amount: 3_000_000, reason: `并发放款${i}` }
            : {
                kind: 'refund',
                amount: 3_000_000,
                reason: `并发退款${i}`,
                payee_card_no: refundCard,
                payee_bank: '建设银行',
              },
        headers: sessions[members[i % 3]!]!,
      }),
    );
    no5xx(asked);
    for (const a of asked) assert.equal(a.body.code, 1, JSON.stringify(a.body));
    const requests = asked.map((a, i) => ({
      id: a.body.data.id as number,
      kind: i % 2 === 0 ? 'release' : 'refund',
      maker: members[i % 3]!,
    }));
    // Nothing moved yet.
    assert.equal(await net(`escrow:${inv.no}:held`), DEPOSIT);

    // Every decision at once: each request approved by its maker (never allowed), approved by
    // both other members (one at most wins), and for two of them also rejected.
    type Call = { request: number; who: string; action: 'approve' | 'reject'; answer?: Answer };
    const calls: Call[] = requests.flatMap((_request, i) => [
      ...members.map((who) => ({ request: i, who, action: 'approve' as const })),
      ...(i % 4 === 3 ? [{ request: i, who: members[(i + 1) % 3]!, action: 'reject' as const }] : []),
    ]);
    await burst(calls.length, async (k) => {
      const c = calls[k]!;
      const r = requests[c.request]!;
      c.answer = await httpCall(`${server(k).url}/api/escrow-releases/${r.id}/${c.action}`, {
        json: c.action === 'reject' ? { reason: '并发驳回' } : {},
        headers: sessions[c.who]!,
      });
    });
    const answers = calls.map((c) => c.answer!);
    no5xx(answers);
    const counts = tally(calls, (c) =>
      c.answer!.body.code === 1
        ? `${c.action === 'approve' ? 'approved' : 'rejected'}`
        : `${c.answer!.body.msg.replace(/\d+/g, 'N')}${c.who === requests[c.request]!.maker ? ' (maker)' : ''}`,
    );
    console.log(
      `${calls.length} concurrent decisions on 8 requests of 3,000,000 over ${DEPOSIT} held (${testDialect()}): ${JSON.stringify(counts)}`,
    );

    // The maker never decides their own request: told so, or (the state is checked first) that
    // another member already has.
    for (const c of calls.filter((x) => x.who === requests[x.request]!.maker)) {
      assert.notEqual(c.answer!.body.code, 1, JSON.stringify(c.answer!.body));
      assert.ok([SELF_APPROVAL, ALREADY_DECIDED].includes(c.answer!.body.msg), c.answer!.body.msg);
    }
    // Each request is decided at most once; every other answer says why not.
    for (const [i, r] of requests.entries()) {
      const won = calls.filter((c) => c.request === i && c.answer!.body.code === 1);
      assert.ok(won.length <= 1, JSON.stringify(won.map((c) => c.answer!.body)));
      for (const c of won) assert.notEqual(c.who, r.maker);
    }
    for (const c of calls.filter((x) => x.answer!.body.code !== 1 && x.who !== requests[x.request]!.maker)) {
      const msg = c.answer!.body.msg as string;
      assert.ok(msg === ALREADY_DECIDED || (c.action === 'approve' && INSUFFICIENT.test(msg)), msg);
    }
    const approved = calls.filter((c) => c.action === 'approve' && c.answer!.body.code === 1);
    // 10,000,000 holds three of 3,000,000 and not a fourth; two rejections leave at least six.
    assert.equal(approved.length, 3, JSON.stringify(counts));
    let feeTaken = 0;
    for (const c of approved) {
      const { release, payout } = c.answer!.body.data;
      assert.equal(release.state, 'approved');
      assert.equal(release.amount, 3_000_000);
      assert.equal(payout.state, 'paid');
      assert.equal(payout.amount, 3_000_000 - release.fee);
      feeTaken += release.fee;
    }
    const releasesApproved = approved.filter((c) => requests[c.request]!.kind === 'release').length;
    // The fee is taken once, out of the order's first approved release (none if only refunds won).
    assert.equal(feeTaken, releasesApproved > 0 ? FEE : 0);

    // The rows agree: decisions by someone other than the maker, payouts of what was approved.
    const rows = await db.kysely
      .selectFrom('escrow_releases')
      .selectAll()
      .where(
        'order_id',
        '=',
        (
          await db.kysely
            .selectFrom('escrow_orders')
            .select('id')
            .where('house_order_no', '=', inv.no)
            .executeTakeFirstOrThrow()
        ).id,
      )
      .execute();
    assert.equal(rows.length, 8);
    for (const row of rows)
      if (row.decided_by !== null) assert.notEqual(Number(row.decided_by), Number(row.requested_by));
    const byState = tally(rows, (r) => r.state);
    assert.equal(byState.approved, 3);
    assert.ok((byState.rejected ?? 0) <= 2);
    const payouts = await db.kysely
      .selectFrom('escrow_payouts')
      .selectAll()
      .where('order_id', '=', rows[0]!.order_id)
      .execute();
    assert.equal(payouts.length, 3);
    assert.ok(payouts.every((p) => p.state === 'paid'));
    const paidOut = payouts.reduce((s, p) => s + Number(p.amount), 0);
    assert.equal(paidOut + feeTaken, 9_000_000);
    assert.equal(await net(`escrow:${inv.no}:held`), DEPOSIT - 9_000_000);
    assert.equal(await net(`escrow:${inv.no}:payable-landlord`), 0);
    assert.equal(await net(`escrow:${inv.no}:refund-buyer`), 0);
    await ledgerChecks();

    // What is left goes back to the buyer: bob asks, bob may not approve, carol does (racing
    // alice: one wins). Then nothing is left, and a 1-fen release is refused by the ledger.
    const rest = DEPOSIT - 9_000_000;
    const last = await httpCall(`${server(0).url}/api/escrow-orders/${inv.no}/releases`, {
      json: {
        kind: 'refund',
        amount: rest,
        reason: '余额退还买方',
        payee_card_no: refundCard,
        payee_bank: '建设银行',
      },
      headers: sessions.bob!,
    });
    assert.equal(last.body.code, 1, JSON.stringify(last.body));
    const approveLast = (who: string, on: number) =>
      httpCall(`${server(on).url}/api/escrow-releases/${last.body.data.id}/approve`, {
        json: {},
        headers: sessions[who]!,
      });
    const own = await approveLast('bob', 0);
    assert.deepEqual([own.body.code === 1, own.body.msg], [false, SELF_APPROVAL]);
    assert.equal(await net(`escrow:${inv.no}:held`), rest);
    const [byCarol, byAlice] = await Promise.all([approveLast('carol', 0), approveLast('alice', 1)]);
    const lastWins = [byCarol, byAlice].filter((a) => a.body.code === 1);
    assert.equal(lastWins.length, 1, JSON.stringify([byCarol.body, byAlice.body]));
    assert.equal(lastWins[0]!.body.data.payout.state, 'paid');
    const crumb = await httpCall(`${server(1).url}/api/escrow-orders/${inv.no}/releases`, {
      json: { kind: 'release', amount: 1, reason: '再放一分' },
      headers: sessions.carol!,
    });
    assert.equal(crumb.body.code, 1, JSON.stringify(crumb.body));
    const refused = await httpCall(`${server(0).url}/api/escrow-releases/${crumb.body.data.id}/approve`, {
      json: {},
      headers: sessions.alice!,
    });
    assert.notEqual(refused.body.code, 1);
    assert.match(refused.body.msg, releasesApproved > 0 ? /^监管账户余额不足：可用0分，本次需要1分$/ : /./);

    // In the end exactly what was held left the order, to the payout accounts and the fee.
    const status = await desk(inv.no);
    assert.equal(status.funds.held, 0);
    assert.equal(await net(`escrow:${inv.no}:held`), 0);
    const allPayouts = await db.kysely
      .selectFrom('escrow_payouts')
      .select(['amount', 'state'])
      .where('order_id', '=', rows[0]!.order_id)
      .execute();
    const totalOut = allPayouts.reduce((s, p) => s + (p.state === 'paid' ? Number(p.amount) : 0), 0);
    assert.equal(totalOut + feeTaken, DEPOSIT);
    assert.ok(totalOut + feeTaken <= DEPOSIT);
    await ledgerChecks();
  });
});
