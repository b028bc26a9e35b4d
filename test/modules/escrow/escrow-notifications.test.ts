import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { topSign } from '../../../src/core/top-sign.js';
import {
  createEscrowModule,
  ESCROW_NOTIFY_METHOD,
  ESCROW_PAYMENT_HOOKS,
  type EscrowModule,
} from '../../../src/modules/escrow/index.js';
import { RETRY_DELAYS_S } from '../../../src/modules/outbox/index.js';
import type { PaymentDeps, PaymentRow } from '../../../src/modules/payments/index.js';
import type { StaffMember } from '../../../src/modules/staff/index.js';
import { PayoutSandbox } from '../../../src/platform/payouts/index.js';
import { createPii } from '../../../src/platform/pii.js';
import { memorySmsProvider } from '../../../src/platform/sms/sms-provider.js';
import { openMigratedTestDatabase } from '../../helpers/test-database.js';
import { createRequest } from './escrow-fixtures.js';

type TestDb = Awaited<ReturnType<typeof openMigratedTestDatabase>>['db'];

const NOW = Date.parse('2024-06-01T10:00:00+08:00');
const HOUR = 3_600_000;
const pii = createPii(Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex'));
const BASE = 'https://fangtong.test';
const SECRET = 'isv-notify-secret-0123456789';
const templates = { login: 'SMS_1001', bind_card: 'SMS_1002', escrow: 'SMS_1003', parking: 'SMS_1004' };
const maker: StaffMember = { id: 901, username: 'maker', displayName: '甲', roles: ['escrow'] };
const checker: StaffMember = { id: 902, username: 'checker', displayName: '乙', roles: ['escrow'] };

/** A local ISV: records every form it receives and answers what `answer` says. */
function startReceiver() {
  const received: Array<Record<string, string>> = [];
  const state = {
    answer: { status: 200, body: 'success' } as { status: number; body: string },
    delayMs: 0,
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push(Object.fromEntries(new URLSearchParams(body)));
      setTimeout(() => {
        res.writeHead(state.answer.status, { 'content-type': 'text/plain' });
        res.end(state.answer.body);
      }, state.delayMs);
    });
  });
  return { server, received, state };
}

describe('escrow notifications to the ISV', () => {
  let db: TestDb;
  let close: () => Promise<void>;
  let escrow: EscrowModule;
  const sms = memorySmsProvider();
  const payouts = new PayoutSandbox();
  const receiver = startReceiver();
  let isv: NonNullable<Awaited<ReturnType<EscrowModule['isvs']['find']>>>;
  let quiet: NonNullable<Awaited<ReturnType<EscrowModule['isvs']['find']>>>;
  let ip = 0;
  let caseNo = 20;

  before(async () => {
    ({ db, close } = await openMigratedTestDatabase());
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    const port = (receiver.server.address() as AddressInfo).port;
    escrow = createEscrowModule({
      db: db.kysely,
      pii,
      sms: { provider: sms, signName: '房通', templates },
      publicBaseUrl: BASE,
      replayMs: 30 * 24 * HOUR,
      payments: {} as PaymentDeps,
      payouts,
    });
    await escrow.isvs.create(
      {
        appKey: 'isv_notified',
        secret: SECRET,
        methods: '*',
        storeIds: '*',
        callbackUrl: `http://127.0.0.1:${port}/notify`,
      },
      NOW,
      'test',
    );
    await escrow.isvs.create(
      { appKey: 'isv_quiet', secret: 'q'.repeat(32), methods: '*', storeIds: '*' },
      NOW,
      'test',
    );
    isv = (await escrow.isvs.find('isv_notified'))!;
    quiet = (await escrow.isvs.find('isv_quiet'))!;
  });
  after(async () => {
    receiver.server.close();
    await close();
  });
  beforeEach(async () => {
    // Each test starts with an empty outbox and an ISV that takes everything.
    await db.kysely.deleteFrom('escrow_notifications').execute();
    receiver.received.length = 0;
    receiver.state.answer = { status: 200, body: 'success' };
    receiver.state.delayMs = 0;
  });

  const deliver = (at: number) => escrow.jobs.find((j) => j.name === 'escrow.deliver-notifications')!.run(at);
  const rows = () => db.kysely.selectFrom('escrow_notifications').selectAll().orderBy('id').execute();
  const tokenOf = (url: string) => url.slice(`${BASE}/escrow/accept/`.length);
  const accept = async (url: string, at: number) => {
    const token = tokenOf(url);
    await escrow.acceptance.sendCode(token, `10.9.0.${++ip}`, at);
    const code = /验证码(\d{6})，/.exec(sms.sent.at(-1)!.text)![1]!;
    return escrow.acceptance.accept(token, { code, ip: '192.0.2.7' }, at);
  };
  const signedOrder = async (by = isv) => {
    const answer = await escrow.operate(by, createRequest(++caseNo), NOW);
    await accept(answer.buyer_url, NOW + 1);
    await accept(answer.landlord_url, NOW + 2);
    return answer;
  };
  const payIn = (houseOrderNo: string, amount: number, outTradeNo: string) =>
    db.kysely.transaction().execute(async (trx) => {
      const payment = { subject_id: `${houseOrderNo}:deposit_pay`, out_trade_no: outTradeNo, amount };
      await ESCROW_PAYMENT_HOOKS.escrow_fund!.onPaid(trx, payment as PaymentRow, NOW + 10);
    });

  it('queues accepted (per party) and signed in the transactions that made them; delivers them signed the TOP way', async () => {
    const answer = await signedOrder();
    const queued = await rows();
    assert.deepEqual(
      queued.map((r) => [r.event, r.state, r.status]),
      [
        ['accepted', 'inviting', 'pending'],
        ['accepted', 'signed', 'pending'],
        ['signed', 'signed', 'pending'],
      ],
    );
    assert.deepEqual(
      queued.map((r) => JSON.parse(r.data).role),
      ['buyer', 'landlord', undefined],
    );
    assert.equal(await deliver(NOW + 5), undefined);
    assert.equal(receiver.received.length, 3);
    const ids = new Set<string>();
    for (const form of receiver.received) {
      const { sign, ...params } = form;
      assert.equal(sign, topSign(params, SECRET, 'hmac-sha256'));
      assert.equal(params.method, ESCROW_NOTIFY_METHOD);
      assert.equal(params.app_key, 'isv_notified');
      assert.equal(params.v, '2.0');
      assert.equal(params.sign_method, 'hmac-sha256');
      assert.equal(params.timestamp, '2024-06-01 10:00:00');
      assert.equal(params.house_order_no, answer.house_order_no);
      ids.add(params.notify_id!);
    }
    assert.equal(ids.size, 3, 'notify_id is unique');
    const first = receiver.received[0]!;
    assert.equal(first.event, 'accepted');
    assert.deepEqual(JSON.parse(first.data!).role, 'buyer');
    // Nothing personal travels: no name, phone or ID number.
    assert.ok(!JSON.stringify(receiver.received).includes('张三'));
    assert.deepEqual(
      (await rows()).map((r) => r.status),
      ['delivered', 'delivered', 'delivered'],
    );
    await deliver(NOW + HOUR);
    assert.equal(receiver.received.length, 3, 'a delivered notification is not sent again');
  });

  it('an ISV without a callback URL gets nothing queued', async () => {
    await signedOrder(quiet);
    assert.deepEqual(await rows(), []);
  });

  it('queues declined and timed_out', async () => {
    const declined = await escrow.operate(isv, createRequest(++caseNo), NOW);
    const token = tokenOf(declined.landlord_url);
    await escrow.acceptance.sendCode(token, `10.9.1.${++ip}`, NOW);
    const code = /验证码(\d{6})，/.exec(sms.sent.at(-1)!.text)![1]!;
    await escrow.acceptance.decline(token, { code, ip: '192.0.2.7', reason: '价格不合适' }, NOW + 1);
    const overdue = await escrow.operate(isv, createRequest(++caseNo), NOW);
    await escrow.jobs.find((j) => j.name === 'escrow.close-overdue')!.run(NOW + 25 * HOUR);
    const queued = await rows();
    assert.deepEqual(
      queued.map((r) => [r.house_order_no, r.event, r.state]),
      [
        [declined.house_order_no, 'declined', 'declined'],
        [overdue.house_order_no, 'timed_out', 'timed_out'],
      ],
    );
    assert.deepEqual(JSON.parse(queued[0]!.data), {
      role: 'landlord',
      seq: 0,
      out_id: 'L1',
      has_reason: true,
    });
  });

  it('queues funds_in with the hook, and nothing when its transaction rolls back', async () => {
    const answer = await signedOrder();
    await db.kysely.deleteFrom('escrow_notifications').execute();
    await assert.rejects(
      db.kysely.transaction().execute(async (trx) => {
        const payment = {
          subject_id: `${answer.house_order_no}:deposit_pay`,
          out_trade_no: 'T-RB',
          amount: 5,
        };
        await ESCROW_PAYMENT_HOOKS.escrow_fund!.onPaid(trx, payment as PaymentRow, NOW + 10);
        assert.equal((await trx.selectFrom('escrow_notifications').select('id').execute()).length, 1);
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.deepEqual(await rows(), []);
    await payIn(answer.house_order_no, 10_000_000, 'T-1');
    // A replayed hook (same payment) queues nothing more.
    await payIn(answer.house_order_no, 10_000_000, 'T-1');
    const queued = await rows();
    assert.equal(queued.length, 1);
    assert.equal(queued[0]!.event, 'funds_in');
    assert.deepEqual(JSON.parse(queued[0]!.data), {
      amount_type: 'deposit_pay',
      amount: 10_000_000,
      out_trade_no: 'T-1',
      late: false,
    });
  });

  it('queues released, then payout_failed and payout_paid, each with masked card only', async () => {
    const answer = await signedOrder();
    await payIn(answer.house_order_no, 10_000_000, 'T-2');
    await db.kysely.deleteFrom('escrow_notifications').execute();
    const request = await escrow.funds.request(
      maker,
      answer.house_order_no,
      { kind: 'release', amount: 1_000_000, reason: '放款' },
      NOW + 20,
    );
    payouts.failNext();
    const approved = await escrow.funds.approve(checker, request.id, NOW + 30);
    assert.equal(approved.payout.state, 'failed');
    await escrow.funds.retryPayout(maker, approved.payout.id, NOW + 40);
    const queued = await rows();
    assert.deepEqual(
      queued.map((r) => r.event),
      ['released', 'payout_failed', 'payout_paid'],
    );
    const released = JSON.parse(queued[0]!.data);
    assert.equal(released.amount, 1_000_000);
    assert.equal(released.fee, 100_000);
    assert.match(released.payee_card_no, /\*/);
    assert.equal(JSON.parse(queued[1]!.data).failure_code, 'BANK_REJECTED');
  });

  it('retries after a 500 with the outbox delays, and gives up (dead) after the last', async () => {
    await signedOrder();
    await db.kysely.deleteFrom('escrow_notifications').where('event', '<>', 'signed').execute();
    receiver.state.answer = { status: 500, body: 'oops' };
    const T = NOW + 5;
    await deliver(T);
    let [row] = await rows();
    assert.equal(row!.status, 'pending');
    assert.equal(row!.attempts, 1);
    assert.equal(Number(row!.next_attempt_at), T + RETRY_DELAYS_S[0] * 1000);
    assert.match(row!.last_error!, /HTTP 500 oops/);
    await deliver(T + 1000);
    assert.equal(receiver.received.length, 1, 'not due yet');
    // A 200 whose body is not `success` is a failure too.
    receiver.state.answer = { status: 200, body: 'ok' };
    let at = T + RETRY_DELAYS_S[0] * 1000;
    await deliver(at);
    [row] = await rows();
    assert.equal(row!.attempts, 2);
    assert.equal(row!.status, 'pending');
    for (const delay of RETRY_DELAYS_S.slice(1)) {
      at += delay * 1000;
      await deliver(at);
    }
    [row] = await rows();
    assert.equal(row!.status, 'dead');
    assert.equal(row!.attempts, RETRY_DELAYS_S.length + 1);
    assert.equal(receiver.received.length, RETRY_DELAYS_S.length + 1);
    await deliver(at + 365 * 24 * HOUR);
    assert.equal(receiver.received.length, RETRY_DELAYS_S.length + 1, 'dead is never sent again');
  });

  it('retried after a 500 and delivered on the next try', async () => {
    await signedOrder();
    await db.kysely.deleteFrom('escrow_notifications').where('event', '<>', 'signed').execute();
    receiver.state.answer = { status: 500, body: '' };
    await deliver(NOW + 5);
    receiver.state.answer = { status: 200, body: 'success\n' };
    await deliver(NOW + 5 + RETRY_DELAYS_S[0] * 1000);
    const [row] = await rows();
    assert.equal(row!.status, 'delivered');
    assert.equal(row!.attempts, 2);
    assert.equal(receiver.received.length, 2);
    assert.equal(receiver.received[0]!.notify_id, receiver.received[1]!.notify_id);
  });

  it('two concurrent ticks never deliver the same notification twice', async () => {
    for (let i = 0; i < 3; i++) await signedOrder();
    const queued = await rows();
    assert.equal(queued.length, 9);
    receiver.state.delayMs = 20;
    await Promise.all([deliver(NOW + 5), deliver(NOW + 5), deliver(NOW + 5)]);
    const sent = receiver.received.map((f) => f.notify_id);
    assert.equal(sent.length, 9);
    assert.equal(new Set(sent).size, 9);
    assert.deepEqual(
      (await rows()).map((r) => [r.status, r.attempts]),
      queued.map(() => ['delivered', 1]),
    );
  });

  it('the admin list shows the outbox by status', async () => {
    await signedOrder();
    receiver.state.answer = { status: 500, body: '' };
    await deliver(NOW + 5);
    const pending = await escrow.notifications('pending');
    assert.equal(pending.length, 3);
    assert.equal(pending[0]!.event, 'signed');
    assert.equal(pending[0]!.last_error, 'HTTP 500 ');
    assert.deepEqual(await escrow.notifications('delivered'), []);
  });
});
