import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { formatShanghaiDate } from '../../src/core/time.js';
import { type Db, openDatabase } from '../../src/database.js';
import { createStaff } from '../../src/modules/staff/index.js';
import { DEMO_TENANT_MOBILE } from '../../src/seed/demo-rental.js';
import { leaseForm } from '../helpers/lease-form.js';
import {
  codeSentTo,
  type ServerProcess,
  startServerProcess,
  startWechatSandbox,
} from '../helpers/server-process.js';
import { createTestDatabase, type TestDatabase, testDialect } from '../helpers/test-database.js';

// biome-ignore lint/suspicious/noExplicitAny: answers of five envelopes, read by the assertions
type Answer = { status: number; body: any };

/**
 * Money and limits raced over real HTTP against real `fangtong serve` processes — two of them
 * on one database when it is PostgreSQL, as production runs, where transactions really overlap.
 * WeChat is the sandbox as its own HTTP server, delivering notifies over HTTP.
 */
describe('races over HTTP against the real server', { timeout: 180_000 }, () => {
  let database: TestDatabase;
  let db: Db;
  let servers: ServerProcess[] = [];
  let wechat: Awaited<ReturnType<typeof startWechatSandbox>>;
  let turn = 0;

  before(async () => {
    database = await createTestDatabase();
    wechat = await startWechatSandbox();
    const env = {
      DATABASE_URL: database.url,
      FANGTONG_DEMO: '1',
      FANGTONG_JOBS: 'off',
      ...wechat.env,
    };
    // The first server migrates and seeds the demo; the second starts on what it made.
    servers.push(await startServerProcess(env));
    if (testDialect() === 'postgres') servers.push(await startServerProcess(env));
    db = openDatabase(database.url);
  });
  after(async () => {
    for (const server of servers) await server.stop();
    servers = [];
    await wechat.close();
    await db?.close();
    await database.drop();
  });

  /** Requests alternate between the servers, as a proxy in front of them would spread them. */
  async function call(
    url: string,
    payload: Record<string, unknown> | undefined,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const server = servers[turn++ % servers.length]!;
    const response = await fetch(server.url + url, {
      method: payload ? 'POST' : 'GET',
      headers: payload ? { 'content-type': 'application/json', ...headers } : headers,
      ...(payload ? { body: JSON.stringify(payload) } : {}),
    });
    return { status: response.status, body: await response.json() };
  }
  const burst = (n: number, one: (i: number) => Promise<Answer>) =>
    Promise.all(Array.from({ length: n }, (_, i) => one(i)));
  const messages = (answers: Answer[]) => {
    const counts: Record<string, number> = {};
    for (const a of answers) {
      const key = `${a.status} ${a.body.code} ${a.body.msg ?? ''}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  };
  const no5xx = (answers: Answer[]) =>
    assert.deepEqual(
      answers.filter((a) => a.status >= 500),
      [],
    );

  let tenant = '';
  const auth = () => ({ authorization: `Bearer ${tenant}` });
  const held = async () =>
    Number(
      (
        await db.kysely
          .selectFrom('tenants')
          .select('deposit_held')
          .where('id', '=', 1)
          .executeTakeFirstOrThrow()
      ).deposit_held,
    );

  /** A 6-month lease on the demo's 1-fen house: its first installment is 7 fen (6 rent + 1 deposit). */
  async function newLease(): Promise<{ id: string; u_p_id: string }> {
    const saved = await call(
      '/user_contract/save',
      leaseForm(formatShanghaiDate(Date.now() + 86_400_000)),
      auth(),
    );
    assert.equal(saved.body.code, 0, JSON.stringify(saved.body));
    assert.equal(saved.body.data.total, 7);
    return { id: saved.body.data.id, u_p_id: saved.body.data.u_p_id };
  }
  const paymentsOf = (purpose: string, subject: string) =>
    db.kysely
      .selectFrom('payments')
      .selectAll()
      .where('purpose', '=', purpose)
      .where('subject_id', '=', subject)
      .orderBy('id')
      .execute();

  it('logs the demo tenant in with the code its phone got', async () => {
    assert.equal((await call('/user_auth/send_code', { mobile: DEMO_TENANT_MOBILE })).body.code, 0);
    const login = await call('/user_auth/login', {
      mobile: DEMO_TENANT_MOBILE,
      code: await codeSentTo(servers, DEMO_TENANT_MOBILE),
    });
    assert.equal(login.body.code, 0, JSON.stringify(login.body));
    tenant = login.body.data.token;
  });

  it('20 concurrent deposit pays of one 7-fen installment pay it once and take 7 fen once', async () => {
    const lease = await newLease();
    const before = await held();
    const answers = await burst(20, () =>
      call('/user_order/longPay', { id: lease.id, is_d_deposit: 1, u_p_id: lease.u_p_id }, auth()),
    );
    no5xx(answers);
    assert.deepEqual(messages(answers), { '200 0 ': 1, '200 -1 该期已支付': 19 });
    const payments = await paymentsOf('lease_installment', lease.u_p_id);
    assert.deepEqual(
      payments.map((p) => [p.status, p.channel, p.amount]),
      [['paid', 'deposit', 7]],
    );
    assert.equal(before - (await held()), 7);
  });

  it('20 concurrent bookings of one order book it once; the fee moves into the deposit once', async () => {
    const lease = await newLease();
    const before = await held();
    const answers = await burst(20, () =>
      call('/user_order/booking', { id: lease.id, is_d_deposit: 1, u_p_id: lease.u_p_id }, auth()),
    );
    no5xx(answers);
    assert.deepEqual(messages(answers), { '200 0 ': 1, '200 -1 该订单已预订': 19 });
    const payments = await paymentsOf('lease_booking', lease.id);
    assert.deepEqual(
      payments.map((p) => [p.status, p.channel, p.amount]),
      [['paid', 'deposit', 1]],
    );
    assert.equal(await held(), before, 'taken from the deposit and credited back as the booking');
    const booked = await db.kysely
      .selectFrom('audit_log')
      .select('id')
      .where('entity', '=', 'lease')
      .where('entity_id', '=', lease.id)
      .where('action', '=', 'booked')
      .execute();
    assert.equal(booked.length, 1);
  });

  it('deposit and WeChat pays mixed, the tenant paying at WeChat meanwhile: paid once, every fen WeChat took recorded', async () => {
    const lease = await newLease();
    const before = await held();
    const paidAtWechat: Promise<unknown>[] = [];
    const answers = await burst(20, async (i) => {
      const answer = await call(
        '/user_order/longPay',
        { id: lease.id, is_d_deposit: i % 2, u_p_id: lease.u_p_id },
        auth(),
      );
      // The tenant's app pays at once with the parameters it was given.
      if (answer.body.code === 0 && answer.body.data?.prepayid) {
        const payment = await db.kysely
          .selectFrom('payments')
          .select('out_trade_no')
          .where('prepay_id', '=', answer.body.data.prepayid)
          .executeTakeFirst();
        if (payment) paidAtWechat.push(wechat.sandbox.pay(payment.out_trade_no).catch(() => undefined));
      }
      return answer;
    });
    await Promise.all(paidAtWechat);
    no5xx(answers);
    const payments = await paymentsOf('lease_installment', lease.u_p_id);
    assert.ok(payments.filter((p) => p.status === 'paid').length === 1, JSON.stringify(payments));
    assert.deepEqual(
      payments.filter((p) => p.status === 'created'),
      [],
    );
    const tradeNos = new Set(payments.map((p) => p.out_trade_no));
    const takenByWechat = wechat.sandbox
      .listOrders()
      .filter((o) => tradeNos.has(o.outTradeNo) && o.state === 'SUCCESS')
      .reduce((sum, o) => sum + o.totalFee, 0);
    const recordedFromWechat = payments
      .filter((p) => p.channel !== 'deposit' && (p.status === 'paid' || p.status === 'credited'))
      .reduce((sum, p) => sum + p.amount, 0);
    assert.equal(recordedFromWechat, takenByWechat, 'no fen WeChat took goes unrecorded');
    const fromDeposit = payments
      .filter((p) => p.channel === 'deposit' && p.status === 'paid')
      .reduce((sum, p) => sum + p.amount, 0);
    const credited = payments.filter((p) => p.status === 'credited').reduce((sum, p) => sum + p.amount, 0);
    assert.equal((await held()) - before, credited - fromDeposit);
  });

  it('30 concurrent wrong passwords get 5 guesses; after 4 failures, 11 wrong and 1 right get one', async () => {
    for (const username of ['racer', 'racer2']) {
      await createStaff(db.kysely, { username, password: 'right-pass', roles: ['kefu'] }, Date.now(), 'test');
    }
    const login = (username: string, password: string) => call('/api/auth/login', { username, password });
    const burstAnswers = await burst(30, () => login('racer', 'wrong-pass'));
    no5xx(burstAnswers);
    const guessed = burstAnswers.filter((a) => a.body.msg === '用户名或密码错误').length;
    const refused = burstAnswers.filter((a) => a.body.msg === '登录失败次数过多，请15分钟后再试').length;
    assert.deepEqual([guessed, refused], [5, 25]);
    assert.equal((await login('racer', 'right-pass')).body.msg, '登录失败次数过多，请15分钟后再试');

    for (let i = 0; i < 4; i++) await login('racer2', 'wrong-pass');
    const mixed = await burst(12, (i) => login('racer2', i === 11 ? 'right-pass' : 'wrong-pass'));
    no5xx(mixed);
    const checked = mixed.filter((a) => a.body.msg !== '登录失败次数过多，请15分钟后再试');
    assert.equal(checked.length, 1, JSON.stringify(messages(mixed)));
  });

  it('10 concurrent send_code to one phone send one SMS; 40 concurrent wrong codes count 5 tries', async () => {
    const mobile = '13700000002';
    const sends = await burst(10, () => call('/user_auth/send_code', { mobile }));
    no5xx(sends);
    assert.deepEqual(messages(sends), { '200 0 ': 1, '429 -1 验证码发送过于频繁，请1分钟后再试': 9 });
    const code = await codeSentTo(servers, mobile);
    const wrong = code === '000000' ? '111111' : '000000';
    const guesses = await burst(40, () => call('/user_auth/login', { mobile, code: wrong }));
    no5xx(guesses);
    assert.deepEqual(Object.keys(messages(guesses)), [`${guesses[0]!.status} -1 验证码错误或已失效`]);
    const row = await db.kysely
      .selectFrom('sms_codes')
      .select('attempts')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(row.attempts, 5);
    assert.equal((await call('/user_auth/login', { mobile, code })).body.msg, '验证码错误或已失效', 'voided');
  });

  it('X-Forwarded-For from a client no proxy vouches for is ignored: the per-address limit holds', async () => {
    const answers = await burst(12, (i) =>
      call(
        '/user_auth/send_code',
        { mobile: `1360000${String(i).padStart(4, '0')}` },
        { 'x-forwarded-for': `203.0.113.${i}` },
      ),
    );
    no5xx(answers);
    assert.ok(
      answers.some((a) => a.body.msg === '请求过于频繁，请稍后再试'),
      JSON.stringify(messages(answers)),
    );
    const forged = await db.kysely
      .selectFrom('sms_codes')
      .select('ip')
      .where('ip', 'like', '203.0.113.%')
      .execute();
    assert.deepEqual(forged, []);
    const fromHere = await db.kysely
      .selectFrom('sms_codes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ip', '=', '127.0.0.1')
      .executeTakeFirstOrThrow();
    assert.equal(Number(fromHere.n), 10, 'the limit of 10 a minute per address, no more');
  });
});
