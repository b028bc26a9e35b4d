import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkLedger } from '../../../src/modules/ledger/index.js';
import type { PayoutSandbox } from '../../../src/platform/payouts/index.js';
import { memorySmsProvider } from '../../../src/platform/sms/sms-provider.js';
import { bearer, startTestApp, type TestApp } from '../../helpers/test-app.js';
import { testDialect } from '../../helpers/test-database.js';
import { cardNumber, createRequest, phone } from '../../modules/escrow/escrow-fixtures.js';

describe('family 3: escrow money (pay-in, maker-checker release and refund, payouts)', () => {
  let t: TestApp;
  const sms = memorySmsProvider();
  let buyer: string;
  let landlord: string;
  let no: string;
  let maker: string;
  let checker: string;
  let kefu: string;
  let sandbox: PayoutSandbox;

  before(async () => {
    t = await startTestApp({ sms });
    sandbox = t.app.runtime.modules.escrow.payoutProvider as PayoutSandbox;
    const escrow = t.app.runtime.modules.escrow;
    const isv = await escrow.isvs.create(
      { appKey: 'funds-isv', secret: 'funds-isv-secret-012345', methods: '*', storeIds: '*' },
      t.clock.now(),
      'test',
    );
    const answer = await escrow.operate(
      { id: isv.id, appKey: isv.appKey, storeIds: '*' },
      createRequest(7, {
        house_contract_infos: [
          { contract_online_flag: 'Y', contract_type: 'DEPOSIT', depository_amount_types: ['deposit_pay'] },
          {
            contract_online_flag: 'Y',
            contract_type: 'SALES',
            depository_amount_types: ['down_pay', 'balance_pay'],
          },
        ],
      }),
      t.clock.now(),
    );
    no = answer.house_order_no;
    buyer = new URL(answer.buyer_url).pathname.split('/').at(-1)!;
    landlord = new URL(answer.landlord_url).pathname.split('/').at(-1)!;
    maker = await t.tokenFor('escrow');
    checker = await t.tokenFor('escrow');
    kefu = await t.tokenFor('kefu');
  });
  after(() => t?.close());

  const api = async (
    method: 'GET' | 'POST',
    url: string,
    payload?: Record<string, unknown>,
    token?: string,
  ) => {
    const res = await t.app.inject({
      method,
      url,
      ...(payload ? { payload } : {}),
      ...(token ? { headers: bearer(token) } : {}),
    });
    assert.equal(res.statusCode < 500, true, res.body);
    return res.json();
  };
  const accept = async (token: string, mobile: string) => {
    t.clock.advance(61_000);
    await api('POST', `/escrow/api/invitations/${token}/send-code`, {});
    const code = sms.sent.filter((m) => m.phone === mobile).at(-1)!.params.code!;
    return api('POST', `/escrow/api/invitations/${token}/accept`, { code });
  };
  const pay = (amount_type: string, token = buyer) =>
    api('POST', `/escrow/api/invitations/${token}/pay`, { amount_type, open_id: 'oBuyer-1' });
  const view = async () => (await api('GET', `/api/escrow-orders/${no}`, undefined, checker)).data;
  const account = async (code: string) =>
    t.db.kysely.selectFrom('ledger_accounts').selectAll().where('code', '=', code).executeTakeFirst();
  const net = async (code: string) => {
    const a = await account(code);
    return a ? Number(a.credits_posted) - Number(a.debits_posted) : 0;
  };
  const fundTransfers = (outTradeNo: string) =>
    t.db.kysely
      .selectFrom('ledger_transfers')
      .selectAll()
      .where('key', '=', `escrow.fund:${outTradeNo}`)
      .execute();

  it('refuses to take money before both parties signed', async () => {
    const early = await pay('deposit_pay');
    assert.equal(early.code, -1);
    assert.match(early.msg, /尚未完成应约/);
    assert.equal((await accept(buyer, phone(7, 1))).data.state, 'inviting');
    const halfway = (await view()).parties as Array<Record<string, unknown>>;
    assert.deepEqual(
      halfway.map((p) => [p.role, p.role_label, p.decision, typeof p.decided_at]),
      [
        ['buyer', '买方', 'accepted', 'string'],
        ['landlord', '房东', 'pending', 'object'],
      ],
    );
    // Staff see the parties masked, as every back-office list shows people.
    for (const party of halfway) {
      assert.match(String(party.phone_masked), /^1\d{7}\*{3}$/);
      assert.match(String(party.id_card_masked), /\*/);
    }
    assert.equal((await accept(landlord, phone(7, 2))).data.state, 'signed');
    assert.deepEqual(
      ((await view()).parties as Array<{ decision: string }>).map((p) => p.decision),
      ['accepted', 'accepted'],
    );
  });

  it('the buyer pays the deposit through the sandbox: held = amount; a replayed notify posts once', async () => {
    const answer = await pay('deposit_pay');
    assert.equal(answer.code, 0, JSON.stringify(answer));
    assert.equal(answer.data.amount, 10_000_000);
    assert.match(answer.data.pay_params.package, /^prepay_id=/);
    const outTradeNo = answer.data.out_trade_no as string;
    const again = await pay('deposit_pay');
    assert.equal(again.data.out_trade_no, outTradeNo, 'a retried pay answers the same open payment');
    const sandboxV3 = t.app.runtime.sandboxV3()!;
    assert.equal(await sandboxV3.settle(outTradeNo, 'SUCCESS'), 204);
    assert.equal(await net(`escrow:${no}:held`), 10_000_000);
    const held = await account(`escrow:${no}:held`);
    assert.equal(Number(held!.debits_must_not_exceed_credits), 1);
    const replay = sandboxV3.notify(outTradeNo);
    const res = await t.app.inject({
      method: 'POST',
      url: '/payments/wechat/v3/notify',
      headers: { ...replay.headers, 'content-type': 'application/json' },
      payload: replay.body,
    });
    assert.equal(res.statusCode, 204);
    assert.equal((await fundTransfers(outTradeNo)).length, 1);
    assert.equal(await net(`escrow:${no}:held`), 10_000_000);
    const paidAgain = await pay('deposit_pay');
    assert.equal(paidAgain.code, -1);
    assert.match(paidAgain.msg, /已支付/);
  });

  it('only the buyer pays, only escrowed types with an amount', async () => {
    const byLandlord = await pay('down_pay', landlord);
    assert.equal(byLandlord.code, -1);
    assert.match(byLandlord.msg, /买方/);
    const zero = await pay('balance_pay');
    assert.equal(zero.code, -1);
    assert.equal(zero.errors[0].field, 'amount_type');
    const down = await pay('down_pay');
    assert.equal(down.code, 0);
    assert.equal(await t.app.runtime.sandboxV3()!.settle(down.data.out_trade_no, 'SUCCESS'), 204);
    const status = (await view()).funds;
    assert.equal(status.held, 40_000_000);
    assert.deepEqual(
      status.types.map((x: { amount_type: string; due: number; paid: number }) => [
        x.amount_type,
        x.due,
        x.paid,
      ]),
      [
        ['deposit_pay', 10_000_000, 10_000_000],
        ['down_pay', 30_000_000, 30_000_000],
        ['balance_pay', 0, 0],
      ],
    );
  });

  it('maker-checker: the escrow role only; the requester cannot approve; approving twice is refused', async () => {
    const notEscrow = await api('GET', `/api/escrow-orders/${no}`, undefined, kefu);
    assert.equal(notEscrow.code, 0);
    const requested = await api(
      'POST',
      `/api/escrow-orders/${no}/releases`,
      { kind: 'release', amount: 20_000_000, reason: '过户完成' },
      maker,
    );
    assert.equal(requested.code, 1, JSON.stringify(requested));
    const id = requested.data.id as number;
    // The checkers' queue across orders shows it waiting, marked for the one who asked.
    const queued = async (token: string, query = '') =>
      (await api('GET', `/api/escrow-releases${query}`, undefined, token)).data as {
        total: number;
        releases: Array<{ id: number; house_order_no: string; mine: boolean; state: string }>;
      };
    const waiting = await queued(checker);
    assert.deepEqual(
      waiting.releases.map((r) => [r.id, r.house_order_no, r.mine, r.state]),
      [[id, no, false, 'requested']],
    );
    assert.equal(waiting.total, 1);
    assert.deepEqual(
      (await queued(maker)).releases.map((r) => r.mine),
      [true],
    );
    const badQueue = await api('GET', '/api/escrow-releases?state=paid&page=0', undefined, checker);
    assert.deepEqual(
      badQueue.errors.map((e: { field: string }) => e.field),
      ['state', 'page'],
    );
    assert.equal((await api('GET', '/api/escrow-releases', undefined, kefu)).code, 0);
    const self = await api('POST', `/api/escrow-releases/${id}/approve`, {}, maker);
    assert.equal(self.code, 0);
    assert.match(self.msg, /申请人不能审批/);
    const approved = await api('POST', `/api/escrow-releases/${id}/approve`, {}, checker);
    assert.equal(approved.code, 1, JSON.stringify(approved));
    assert.equal(approved.data.release.fee, 100_000);
    assert.equal(approved.data.payout.amount, 19_900_000);
    assert.equal(approved.data.payout.state, 'paid');
    assert.equal((await queued(checker)).total, 0, 'an approved request leaves the waiting queue');
    assert.deepEqual(
      (await queued(checker, '?state=approved')).releases.map((r) => r.id),
      [id],
    );
    const twice = await api('POST', `/api/escrow-releases/${id}/approve`, {}, checker);
    assert.equal(twice.code, 0);
    assert.match(twice.msg, /已处理/);
    // The maker is told the rule that is theirs, not the request's state.
    const makerLater = await api('POST', `/api/escrow-releases/${id}/approve`, {}, maker);
    assert.equal(makerLater.code, 0);
    assert.match(makerLater.msg, /申请人不能审批/);
    assert.equal(await net(`escrow:${no}:held`), 20_000_000);
    assert.equal(await net(`escrow:${no}:payable-landlord`), 0);
    assert.equal(await net('platform:fees'), 100_000);
    assert.equal(sandbox.calls.at(-1)!.cardNo, cardNumber());
    assert.equal(sandbox.calls.at(-1)!.name, '李四');
    // The database refuses a decision by the requester even past the service.
    await assert.rejects(
      t.db.kysely
        .updateTable('escrow_releases')
        .set({
          state: 'approved',
          decided_by: Number(
            (
              await t.db.kysely
                .selectFrom('escrow_releases')
                .select('requested_by')
                .where('id', '=', id)
                .executeTakeFirstOrThrow()
            ).requested_by,
          ),
          decided_at: 1,
        })
        .where('id', '=', id)
        .execute(),
    );
  });

  it('a second release takes no fee; a rejection moves nothing', async () => {
    const r = await api(
      'POST',
      `/api/escrow-orders/${no}/releases`,
      { kind: 'release', amount: 1_000, reason: '尾差' },
      maker,
    );
    const rejected = await api(
      'POST',
      `/api/escrow-releases/${r.data.id}/reject`,
      { reason: '金额有误' },
      checker,
    );
    assert.equal(rejected.data.state, 'rejected');
    const r2 = await api(
      'POST',
      `/api/escrow-orders/${no}/releases`,
      { kind: 'release', amount: 1_000, reason: '尾差' },
      maker,
    );
    const ok2 = await api('POST', `/api/escrow-releases/${r2.data.id}/approve`, {}, checker);
    assert.equal(ok2.data.release.fee, 0);
    assert.equal(ok2.data.payout.amount, 1_000);
    assert.equal(await net(`escrow:${no}:held`), 19_999_000);
  });

  it('a refund whose payout fails leaves the money payable; the retry pays it', async () => {
    const card = cardNumber('621700000000000');
    const r = await api(
      'POST',
      `/api/escrow-orders/${no}/releases`,
      {
        kind: 'refund',
        amount: 4_999_000,
        reason: '买方违约退款',
        payee_card_no: card,
        payee_bank: '建设银行',
      },
      maker,
    );
    assert.equal(r.code, 1, JSON.stringify(r));
    sandbox.failNext(1);
    const approved = await api('POST', `/api/escrow-releases/${r.data.id}/approve`, {}, checker);
    assert.equal(approved.data.payout.state, 'failed');
    assert.equal(approved.data.payout.failure_code, 'BANK_REJECTED');
    assert.equal(await net(`escrow:${no}:refund-buyer`), 4_999_000);
    const retried = await api('POST', `/api/escrow-payouts/${approved.data.payout.id}/retry`, {}, maker);
    assert.equal(retried.data.state, 'paid', JSON.stringify(retried));
    assert.equal(retried.data.attempts, 2);
    assert.equal(await net(`escrow:${no}:refund-buyer`), 0);
    assert.equal(sandbox.calls.at(-1)!.cardNo, card);
    const again = await api('POST', `/api/escrow-payouts/${approved.data.payout.id}/retry`, {}, maker);
    assert.equal(again.code, 0);
    assert.equal(await net(`escrow:${no}:held`), 15_000_000);
  });

  it(`never overdraws the held account under concurrent approvals (${testDialect()})`, async () => {
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await api(
        'POST',
        `/api/escrow-orders/${no}/releases`,
        { kind: 'release', amount: 6_000_000, reason: `并发${i}` },
        maker,
      );
      ids.push(r.data.id);
    }
    const answers = await Promise.all(
      ids.map((id) => api('POST', `/api/escrow-releases/${id}/approve`, {}, checker)),
    );
    const approved = answers.filter((a) => a.code === 1);
    const refused = answers.filter((a) => a.code === 0);
    assert.equal(approved.length, 2, JSON.stringify(answers));
    assert.equal(refused.length, 2);
    for (const r of refused) assert.match(r.msg, /余额不足/);
    assert.equal(await net(`escrow:${no}:held`), 3_000_000);
    const status = await view();
    assert.equal(status.funds.held, 3_000_000);
    assert.equal(status.funds.fee_taken, 100_000);
    assert.equal(status.funds.refunded, 4_999_000);
    assert.equal(
      status.releases.filter((r: { state: string }) => r.state === 'requested').length,
      2,
      'the refused approvals left their requests as they were',
    );
  });

  it('the ledger adds up after all of it', async () => {
    const report = await checkLedger(t.db.kysely);
    assert.deepEqual(report.problems, []);
    assert.equal(report.ok, true);
  });
});
