import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatShanghaiDateTime } from '../../src/core/time.js';
import { topSign } from '../../src/core/top-sign.js';
import { type Db, openDatabase } from '../../src/database.js';
import { ESCROW_PAYMENT_HOOKS } from '../../src/modules/escrow/index.js';
import { settlePayment } from '../../src/modules/payments/index.js';
import { createStaff } from '../../src/modules/staff/index.js';
import { type Answer, escrowCodeSentTo, fangtongCommand, httpCall } from '../helpers/escrow-e2e.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { TEST_PII_KEY } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase, testDialect } from '../helpers/test-database.js';
import { cardNumber, createRequest } from '../modules/escrow/escrow-fixtures.js';

const APP_KEY = 'race-isv';
const SECRET = 'race-isv-secret-0123456789';
const OPERATE = 'tmall.alihouse.trade.order.second.house.operate';
const RESPONSE = 'tmall_alihouse_trade_order_second_house_operate_response';
const TERMS_CHANGED = '邀约内容已变更，请刷新后重新确认';

/**
 * Family 3 (escrow) raced over real HTTP against real `fangtong serve` processes: two of them on
 * one database when it is PostgreSQL, where transactions really overlap, one on SQLite. The ISV
 * calls the TOP gateway signed as a taobao-sdk client signs; parties prove themselves with the
 * codes the servers log (SMS_PROVIDER=log); staff approve through the back office's API.
 */
describe('escrow races over HTTP against the real server', { timeout: 300_000 }, () => {
  let database: TestDatabase;
  let db: Db;
  let servers: ServerProcess[] = [];
  let cli: Record<string, string>;
  let serial = 0;
  let nextAddress = 0;

  before(async () => {
    database = await createTestDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-escrow-races-'));
    const env = {
      DATABASE_URL: database.url,
      FANGTONG_JOBS: 'off',
      FANGTONG_DATA_DIR: dataDir,
      // One public address for both, as behind the production domain: the parties' URLs are the same
      // whichever server answers.
      PUBLIC_BASE_URL: 'https://escrow.fangtong.test',
    };
    // The first server migrates; the second starts on what it made.
    servers.push(await startServerProcess(env));
    if (testDialect() === 'postgres') servers.push(await startServerProcess(env));
    cli = { ...env, FANGTONG_PII_KEY: TEST_PII_KEY };
    const added = await fangtongCommand(
      cli,
      'isv',
      'add',
      '--app-key',
      APP_KEY,
      '--secret',
      SECRET,
      '--stores',
      '10223',
    );
    assert.equal(added.code, 0, added.stderr);
    db = openDatabase(database.url);
  });
  after(async () => {
    for (const server of servers) await server.stop();
    servers = [];
    await db?.close();
    await database?.drop();
  });

  const server = (i: number) => servers[i % servers.length]!;
  /** A loopback address of its own for each code sent: the per-address limit is 10 a minute. */
  const freshAddress = () => `127.0.0.${2 + (nextAddress++ % 250)}`;
  const burst = (n: number, one: (i: number) => Promise<Answer>) =>
    Promise.all(Array.from({ length: n }, (_, i) => one(i)));
  const no5xx = (answers: Answer[]) =>
    assert.deepEqual(
      answers.filter((a) => a.status >= 500),
      [],
    );
  function tally<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
    return counts;
  }

  /** An operate call signed afresh (md5), as a taobao-sdk client sends it. */
  function operate(request: Record<string, unknown>, on: number): Promise<Answer> {
    const params: Record<string, string> = {
      method: OPERATE,
      app_key: APP_KEY,
      timestamp: formatShanghaiDateTime(Date.now()),
      v: '2.0',
      sign_method: 'md5',
      format: 'json',
      // Each call signed on its own, so none is taken for a replay of another.
      partner_id: `race-${++serial}`,
      operate_request: JSON.stringify(request),
    };
    return httpCall(`${server(on).url}/router/rest`, {
      form: { ...params, sign: topSign(params, SECRET, 'md5') },
    });
  }

  /** A mobile whose masked form (first 8 digits) no other party shares, so its code is found in the log. */
  const mobileOf = (n: number, k: number) => `139${String(n * 2 + k).padStart(5, '0')}000`;

  /** Case `n`'s CREATE request: the fixture's terms, with phones of its own. */
  function caseRequest(n: number, overrides: Record<string, unknown> = {}) {
    const request = createRequest(n, overrides);
    const withPhone = (key: string, k: number) =>
      (request[key] as Array<Record<string, unknown>>).map((p) => ({ ...p, phone: mobileOf(n, k) }));
    return {
      ...request,
      source_no: `RACE-${n}`,
      buyer_infos: withPhone('buyer_infos', 0),
      landlord_infos: withPhone('landlord_infos', 1),
    };
  }
  const tokenOf = (url: string) => new URL(url).pathname.split('/').at(-1)!;

  async function invitation(n: number) {
    const answer = await operate(caseRequest(n), n);
    const result = answer.body[RESPONSE]?.result;
    assert.equal(result?.code, '200', JSON.stringify(answer.body));
    return {
      no: result.data.house_order_no as string,
      buyer: { token: tokenOf(result.data.buyer_url), mobile: mobileOf(n, 0) },
      landlord: { token: tokenOf(result.data.landlord_url), mobile: mobileOf(n, 1) },
    };
  }

  const page = (on: number, token: string, action = '') =>
    `${server(on).url}/escrow/api/invitations/${token}${action}`;

  /** The party's page: a code texted (from a device of its own), the terms it shows. */
  async function prepare(party: { token: string; mobile: string }, on: number) {
    const sent = await httpCall(page(on, party.token, '/send-code'), {
      json: {},
      localAddress: freshAddress(),
    });
    assert.equal(sent.body.code, 0, JSON.stringify(sent.body));
    const code = await escrowCodeSentTo(servers, party.mobile);
    const view = await httpCall(page(on + 1, party.token));
    assert.equal(view.body.code, 0, JSON.stringify(view.body));
    return { code, terms_hash: view.body.data.terms_hash as string };
  }
  async function accept(party: { token: string; mobile: string }, on: number) {
    const decision = await prepare(party, on);
    const answer = await httpCall(page(on, party.token, '/accept'), { json: decision });
    assert.equal(answer.body.code, 0, JSON.stringify(answer.body));
    return answer.body.data as { state: string; all_accepted: boolean };
  }

  const orderRow = (no: string) =>
    db.kysely
      .selectFrom('escrow_orders')
      .selectAll()
      .where('house_order_no', '=', no)
      .executeTakeFirstOrThrow();
  const partiesOf = (orderId: number) =>
    db.kysely
      .selectFrom('escrow_parties')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('id')
      .execute();

  it('20 concurrent identical CREATEs over both servers answer one house_order_no; one row', async () => {
    const request = caseRequest(1);
    const answers = await burst(20, (i) => operate(request, i));
    no5xx(answers);
    const results = answers.map((a) => a.body[RESPONSE]?.result);
    assert.deepEqual(
      tally(answers, (a) => String(a.body[RESPONSE]?.result?.code ?? JSON.stringify(a.body))),
      { 200: 20 },
    );
    const numbers = new Set(results.map((r) => r.data.house_order_no));
    assert.equal(numbers.size, 1, [...numbers].join(', '));
    assert.equal(new Set(results.map((r) => `${r.data.buyer_url} ${r.data.landlord_url}`)).size, 1);
    const rows = await db.kysely
      .selectFrom('escrow_orders')
      .select(['house_order_no', 'id'])
      .where('source', '=', 'LIANGCE_TRADE_CENTER')
      .where('source_no', '=', 'RACE-1')
      .execute();
    assert.deepEqual(
      rows.map((r) => r.house_order_no),
      [...numbers],
    );
    assert.equal((await partiesOf(Number(rows[0]!.id))).length, 2);
    const created = await db.kysely
      .selectFrom('audit_log')
      .select('id')
      .where('entity', '=', 'escrow_order')
      .where('entity_id', '=', rows[0]!.house_order_no)
      .where('action', '=', 'create')
      .execute();
    assert.equal(created.length, 1);
  });

  it("a MODIFY racing the last party's accept never both wins (20 rounds); the database agrees", async () => {
    const outcomes = { signed: 0, modified: 0 };
    /** Per skew (ms the MODIFY is sent after the accept; negative: before), who won. */
    const bySkew: Record<string, { signed: number; modified: number }> = {};
    for (let round = 0; round < 20; round++) {
      const n = 10 + round;
      const inv = await invitation(n);
      assert.deepEqual(await accept(inv.buyer, round), { state: 'inviting', all_accepted: false });
      const decision = await prepare(inv.landlord, round);
      const before = await orderRow(inv.no);
      assert.equal(before.terms_hash, decision.terms_hash);
      // Fired together, on different servers when there are two; one or the other is held back a
      // few milliseconds in some rounds (-3 … 9 ms), so that both orders of arrival are raced.
      const skew = ((round % 5) - 1) * 3;
      const after = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
      const [modify, accepted] = await Promise.all([
        after(skew).then(() =>
          operate(
            {
              operate_type: 'MODIFY',
              house_order_no: inv.no,
              house_address: `浙江省杭州市西湖区文三路${100 + round}号`,
            },
            round,
          ),
        ),
        after(-skew).then(() => httpCall(page(round + 1, inv.landlord.token, '/accept'), { json: decision })),
      ]);
      no5xx([modify, accepted]);
      const result = modify.body[RESPONSE]?.result;
      const order = await orderRow(inv.no);
      const parties = await partiesOf(Number(order.id));
      const what = JSON.stringify({ round, modify: modify.body, accept: accepted.body, state: order.state });
      if (accepted.body.code === 0) {
        // The accept won: signed on the terms both parties saw; the MODIFY came too late.
        assert.deepEqual(accepted.body.data, { state: 'signed', all_accepted: true }, what);
        assert.equal(result?.code, '4090', what);
        assert.equal(result.is_success, false, what);
        assert.equal(order.state, 'signed', what);
        assert.equal(order.terms_hash, decision.terms_hash, what);
        for (const p of parties) {
          assert.notEqual(p.accepted_at, null, what);
          assert.equal(p.decision_terms_hash, order.terms_hash, what);
        }
        outcomes.signed += 1;
        bySkew[skew] = { signed: (bySkew[skew]?.signed ?? 0) + 1, modified: bySkew[skew]?.modified ?? 0 };
      } else {
        // The MODIFY won: new terms, every acceptance reset, the accept refused.
        assert.equal(result?.code, '200', what);
        assert.equal(result.data.house_order_no, inv.no, what);
        assert.equal(accepted.body.code, -1, what);
        assert.equal(accepted.body.msg, TERMS_CHANGED, what);
        assert.equal(order.state, 'inviting', what);
        assert.notEqual(order.terms_hash, decision.terms_hash, what);
        for (const p of parties) assert.equal(p.accepted_at, null, what);
        outcomes.modified += 1;
        bySkew[skew] = { signed: bySkew[skew]?.signed ?? 0, modified: (bySkew[skew]?.modified ?? 0) + 1 };
      }
    }
    console.log(
      `MODIFY vs last accept over 20 rounds (${testDialect()}): ${JSON.stringify(outcomes)}, by skew ${JSON.stringify(bySkew)}`,
    );
    assert.equal(outcomes.signed + outcomes.modified, 20);
    // Over every invitation: no signed order whose parties accepted other terms, no acceptance
    // standing on terms that are no longer the order's.
    const rows = await db.kysely
      .selectFrom('escrow_parties as p')
      .innerJoin('escrow_orders as o', 'o.id', 'p.order_id')
      .select(['o.house_order_no', 'o.state', 'o.terms_hash', 'p.accepted_at', 'p.decision_terms_hash'])
      .execute();
    const wrong = rows.filter(
      (r) =>
        (r.state === 'signed' && (r.accepted_at === null || r.decision_terms_hash !== r.terms_hash)) ||
        (r.accepted_at !== null && r.decision_terms_hash !== r.terms_hash),
    );
    assert.deepEqual(wrong, []);
  });

  it('10 concurrent accepts by one party with one valid code record exactly one decision', async () => {
    const inv = await invitation(40);
    const decision = await prepare(inv.buyer, 0);
    const answers = await burst(10, (i) => httpCall(page(i, inv.buyer.token, '/accept'), { json: decision }));
    no5xx(answers);
    const counts = tally(answers, (a) => `${a.body.code} ${a.body.msg ?? JSON.stringify(a.body.data)}`);
    console.log(`10 accepts with one code (${testDialect()}): ${JSON.stringify(counts)}`);
    const won = answers.filter((a) => a.body.code === 0);
    assert.equal(won.length, 1, JSON.stringify(counts));
    assert.deepEqual(won[0]!.body.data, { state: 'inviting', all_accepted: false });
    for (const a of answers.filter((x) => x.body.code !== 0)) {
      assert.equal(a.body.code, -1);
      assert.ok(
        ['验证码错误或已失效', '您已应约，无需重复操作'].includes(a.body.msg),
        JSON.stringify(a.body),
      );
    }
    const decisions = await db.kysely
      .selectFrom('audit_log')
      .select(['actor', 'to_state'])
      .where('entity', '=', 'escrow_order')
      .where('entity_id', '=', inv.no)
      .where('action', 'in', ['accept', 'decline'])
      .execute();
    assert.deepEqual(decisions, [{ actor: 'escrow_party:buyer:0', to_state: 'inviting' }]);
    const order = await orderRow(inv.no);
    const buyer = (await partiesOf(Number(order.id))).find((p) => p.role === 'buyer')!;
    assert.notEqual(buyer.accepted_at, null);
    assert.equal(buyer.decision_terms_hash, decision.terms_hash);
  });

  it('concurrent release approvals by a second escrow member never take more than is held; the ledger checks', async () => {
    const inv = await invitation(50);
    await accept(inv.buyer, 0);
    assert.equal((await accept(inv.landlord, 1)).state, 'signed');
    // The buyer pays the 10,000,000-fen deposit by WeChat Pay v3 through the server.
    const pay = await httpCall(page(0, inv.buyer.token, '/pay'), {
      json: { amount_type: 'deposit_pay', open_id: 'oRaceBuyer-1' },
    });
    assert.equal(pay.body.code, 0, JSON.stringify(pay.body));
    assert.equal(pay.body.data.amount, 10_000_000);
    // The sandbox the server pays through is in its process, keyed afresh at each start, so nothing
    // outside can sign its notify: the test settles the payment as the verified notify does, through
    // the payments module with escrow's hook (the order's lock, the keyed ledger transfer).
    const now = Date.now();
    await settlePayment(
      { db: db.kysely, hooks: ESCROW_PAYMENT_HOOKS },
      pay.body.data.out_trade_no,
      { kind: 'paid', amount: 10_000_000, transactionId: `4200${now}`, paidAt: now },
      now,
      'test:wechat-v3-notify',
    );

    for (const username of ['race.maker', 'race.checker'])
      await createStaff(db.kysely, { username, password: 'escrow-pass-1', roles: ['escrow'] }, now, 'test');
    const login = async (username: string) => {
      const answer = await httpCall(`${server(0).url}/api/auth/login`, {
        json: { username, password: 'escrow-pass-1' },
      });
      assert.equal(answer.body.code, 1, JSON.stringify(answer.body));
      return { authorization: `Bearer ${answer.body.data.token}` };
    };
    const maker = await login('race.maker');
    const checker = await login('race.checker');
    const desk = async () => {
      const view = await httpCall(`${server(1).url}/api/escrow-orders/${inv.no}`, { headers: checker });
      assert.equal(view.body.code, 1, JSON.stringify(view.body));
      return view.body.data;
    };
    assert.equal((await desk()).funds.held, 10_000_000);

    // 8 requests of 3,000,000 fen each (releases and refunds), 24,000,000 asked of 10,000,000 held.
    const ids: number[] = [];
    for (let i = 0; i < 8; i++) {
      const body =
        i % 2 === 0
          ? { kind: 'release', amount: 3_000_000, reason: `并发放款${i}` }
          : {
              kind: 'refund',
              amount: 3_000_000,
              reason: `并发退款${i}`,
              payee_card_no: cardNumber('621700000000000'),
              payee_bank: '建设银行',
            };
      const r = await httpCall(`${server(i).url}/api/escrow-orders/${inv.no}/releases`, {
        json: body,
        headers: maker,
      });
      assert.equal(r.body.code, 1, JSON.stringify(r.body));
      ids.push(r.body.data.id);
    }
    const answers = await burst(ids.length, (i) =>
      httpCall(`${server(i).url}/api/escrow-releases/${ids[i]}/approve`, { json: {}, headers: checker }),
    );
    no5xx(answers);
    const counts = tally(answers, (a) => `${a.body.code} ${a.body.msg.replace(/\d+/g, 'N')}`);
    console.log(
      `8 approvals of 3,000,000 over 10,000,000 held (${testDialect()}): ${JSON.stringify(counts)}`,
    );
    const approved = answers.filter((a) => a.body.code === 1);
    const refused = answers.filter((a) => a.body.code !== 1);
    assert.equal(approved.length, 3, JSON.stringify(counts));
    for (const r of refused) assert.match(r.body.msg, /^监管账户余额不足：可用\d+分，本次需要3000000分$/);
    const approvedTotal = approved.reduce((sum, a) => sum + a.body.data.release.amount, 0);
    assert.equal(approvedTotal, 9_000_000);
    assert.ok(approvedTotal <= 10_000_000);
    for (const a of approved) assert.equal(a.body.data.payout.state, 'paid');

    const status = await desk();
    assert.equal(status.funds.held, 1_000_000);
    assert.deepEqual(
      tally(status.releases as Array<{ state: string }>, (r) => r.state),
      {
        approved: 3,
        requested: 5,
      },
    );
    assert.equal(status.payouts.length, 3);
    const held = await db.kysely
      .selectFrom('ledger_accounts')
      .select(['credits_posted', 'debits_posted'])
      .where('code', '=', `escrow:${inv.no}:held`)
      .executeTakeFirstOrThrow();
    assert.equal(Number(held.credits_posted) - Number(held.debits_posted), 1_000_000);

    const check = await fangtongCommand(cli, 'ledger', 'check');
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /^ledger: ok$/m);
  });
});
