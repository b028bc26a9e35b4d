import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { balance, checkLedger } from '../../../src/modules/ledger/index.js';
import { checkDeposits, depositAccount, giveDeposit } from '../../../src/modules/tenants/index.js';
import { memorySmsProvider } from '../../../src/platform/sms/sms-provider.js';
import { DEMO_TENANT_DEPOSIT, DEMO_TENANT_MOBILE } from '../../../src/seed/demo-rental.js';
import { leaseForm } from '../../helpers/lease-form.js';
import { bearer, body, startTestApp, type TestApp } from '../../helpers/test-app.js';
import { testDialect } from '../../helpers/test-database.js';

const SUCCESS_REPLY =
  '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>';

describe(`family 2's deposits move through the ledger (${testDialect()})`, () => {
  let t: TestApp;
  const sms = memorySmsProvider();
  const tokens = new Map<string, string>();
  before(async () => {
    t = await startTestApp({ demo: true, sms });
  });
  after(() => t.close());

  async function tokenOf(mobile: string): Promise<string> {
    const known = tokens.get(mobile);
    if (known) return known;
    await t.app.inject({ method: 'POST', url: '/user_auth/send_code', payload: { mobile } });
    const code = /(\d{6})/.exec(sms.sent.filter((m) => m.phone === mobile).at(-1)!.text)![1];
    const token = body(
      await t.app.inject({ method: 'POST', url: '/user_auth/login', payload: { mobile, code } }),
    ).data.token;
    tokens.set(mobile, token);
    return token;
  }
  const post = (url: string, token: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url, headers: bearer(token), payload }).then(body);
  const save = async (token: string, change: Record<string, string> = {}) =>
    (await post('/user_contract/save', token, { ...leaseForm(), ...change })).data as {
      id: string;
      u_p_id: string;
    };
  const notify = (xml: string) =>
    t.app.inject({
      method: 'POST',
      url: '/payments/wechat/notify',
      headers: { 'content-type': 'text/xml' },
      payload: xml,
    });
  const tenantIdOf = async (mobile: string) => {
    const hash = t.app.runtime.pii.blindIndex(mobile, 'mobile');
    const row = await t.db.kysely
      .selectFrom('tenants')
      .select(['id', 'deposit_held'])
      .where('mobile_hash', '=', hash)
      .executeTakeFirstOrThrow();
    return Number(row.id);
  };
  const held = async (tenantId: number) =>
    Number(
      (
        await t.db.kysely
          .selectFrom('tenants')
          .select('deposit_held')
          .where('id', '=', tenantId)
          .executeTakeFirstOrThrow()
      ).deposit_held,
    );
  const inLedger = async (tenantId: number) => (await balance(t.db.kysely, depositAccount(tenantId))).net;
  const transfersKeyed = (key: string) =>
    t.db.kysely.selectFrom('ledger_transfers').selectAll().where('key', '=', key).execute();
  const payment = (id: number | string) =>
    t.db.kysely.selectFrom('payments').selectAll().where('id', '=', Number(id)).executeTakeFirstOrThrow();
  async function assertBooksAgree(): Promise<void> {
    const ledger = await checkLedger(t.db.kysely);
    assert.deepEqual(ledger.problems, []);
    assert.equal(ledger.ok, true);
    assert.deepEqual(await checkDeposits(t.db.kysely), { ok: true, disagreements: [] });
  }
  /** Puts `amount` fen into a tenant's held deposit, as a test's opening balance. */
  const fund = (tenantId: number, amount: number, key: string) =>
    t.db.kysely
      .transaction()
      .execute((trx) =>
        giveDeposit(
          trx,
          tenantId,
          { key, amount, counterpart: 'opening', ledger: 'opening', subject: `tenant:${tenantId}` },
          t.clock.now(),
        ),
      );

  it("the demo's deposit is an opening transfer into the tenant's own account", async () => {
    const tenantId = await tenantIdOf(DEMO_TENANT_MOBILE);
    const [opening] = await transfersKeyed(`opening:tenant:${tenantId}`);
    assert.equal(Number(opening!.amount), DEMO_TENANT_DEPOSIT);
    const account = await balance(t.db.kysely, depositAccount(tenantId));
    assert.equal(account.net, DEMO_TENANT_DEPOSIT);
    assert.equal(account.debitsMustNotExceedCredits, true, 'a deposit can never go negative');
    await assertBooksAgree();
  });

  it('a booking paid through WeChat posts booking:<out_trade_no> once, however often the notify comes', async () => {
    const token = await tokenOf('13900000001');
    const tenantId = await tenantIdOf('13900000001');
    const order = await save(token, { h_i_id: '1' });
    const booking = await post('/user_order/booking', token, {
      id: order.id,
      is_d_deposit: 0,
      u_p_id: order.u_p_id,
    });
    assert.ok(booking.data.prepayid);
    const paid = await payment(booking.data.id);
    assert.equal(await t.app.runtime.sandbox!.pay(paid.out_trade_no), SUCCESS_REPLY);
    const xml = t.app.runtime.sandbox!.notifyXml(paid.out_trade_no);
    for (const reply of [
      await notify(xml),
      await notify(xml),
      ...(await Promise.all([1, 2, 3, 4].map(() => notify(xml)))),
    ]) {
      assert.equal(reply.body, SUCCESS_REPLY);
    }
    const posted = await transfersKeyed(`booking:${paid.out_trade_no}`);
    assert.equal(posted.length, 1);
    assert.equal(Number(posted[0]!.amount), 50_000);
    assert.equal(await held(tenantId), 50_000);
    assert.equal(await inLedger(tenantId), 50_000);
    await assertBooksAgree();
  });

  it('deposit paying an installment is deposit.take:<payment id>; a failed WeChat rest gives it back as deposit.give:<payment id>', async () => {
    const token = await tokenOf('13900000002');
    const tenantId = await tenantIdOf('13900000002');
    await fund(tenantId, 10, 'test:fund:take-give');
    // Covered: 7 fen from the deposit, paid at once.
    const covered = await save(token);
    const first = await post('/user_order/longPay', token, {
      id: covered.id,
      is_d_deposit: 1,
      u_p_id: covered.u_p_id,
    });
    assert.equal(typeof first.data.id, 'string');
    const [take] = await transfersKeyed(`deposit.take:${first.data.id}`);
    assert.equal(Number(take!.amount), 7);
    assert.equal(await held(tenantId), 3);
    // Not covered: 3 fen set aside, WeChat asked for 4; asking again reuses that payment and
    // moves nothing more; WeChat failing gives the 3 fen back.
    const partial = await save(token);
    const second = await post('/user_order/longPay', token, {
      id: partial.id,
      is_d_deposit: 1,
      u_p_id: partial.u_p_id,
    });
    const again = await post('/user_order/longPay', token, {
      id: partial.id,
      is_d_deposit: 1,
      u_p_id: partial.u_p_id,
    });
    assert.equal(again.data.id, second.data.id);
    const open = await payment(second.data.id);
    assert.equal(Number(open.amount), 4);
    assert.equal(Number((await transfersKeyed(`deposit.take:${open.id}`))[0]!.amount), 3);
    const moved = await t.db.kysely
      .selectFrom('ledger_transfers')
      .select('key')
      .where('subject', '=', `lease_installment:${partial.u_p_id}`)
      .execute();
    assert.deepEqual(
      moved.map((r) => r.key),
      [`deposit.take:${open.id}`],
    );
    assert.equal(await held(tenantId), 0);
    await assertBooksAgree();
    await t.app.runtime.sandbox!.fail(open.out_trade_no);
    assert.equal(Number((await transfersKeyed(`deposit.give:${open.id}`))[0]!.amount), 3);
    assert.equal(await held(tenantId), 3);
    assert.equal(await inLedger(tenantId), 3);
    await assertBooksAgree();

    // WeChat reports it paid after all: the 4 fen are credited once, credit:<out_trade_no>.
    const late = t.app.runtime.sandbox!.notifyXml(open.out_trade_no, {
      result_code: 'SUCCESS',
      err_code: '',
      transaction_id: '4200000000000000000000000001',
    });
    assert.equal((await notify(late)).body, SUCCESS_REPLY);
    assert.equal((await notify(late)).body, SUCCESS_REPLY);
    assert.equal((await payment(open.id)).status, 'credited');
    const credits = await transfersKeyed(`credit:${open.out_trade_no}`);
    assert.equal(credits.length, 1);
    assert.equal(Number(credits[0]!.amount), 4);
    assert.equal(await held(tenantId), 7);
    await assertBooksAgree();
  });

  it('a booking covered by the deposit sets the fee aside and gives it back as deposit', async () => {
    const token = await tokenOf('13900000003');
    const tenantId = await tenantIdOf('13900000003');
    await fund(tenantId, 60_000, 'test:fund:booking');
    const order = await save(token, { h_i_id: '1' });
    assert.deepEqual(
      await post('/user_order/booking', token, { id: order.id, is_d_deposit: 1, u_p_id: order.u_p_id }),
      {
        code: 0,
      },
    );
    const booked = await t.db.kysely
      .selectFrom('payments')
      .selectAll()
      .where('purpose', '=', 'lease_booking')
      .where('subject_id', '=', order.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number((await transfersKeyed(`deposit.take:${booked.id}`))[0]!.amount), 50_000);
    assert.equal(Number((await transfersKeyed(`deposit.give:${booked.id}`))[0]!.amount), 50_000);
    assert.deepEqual(await transfersKeyed(`booking:${booked.out_trade_no}`), [], 'WeChat collected nothing');
    assert.equal(await held(tenantId), 60_000);
    await assertBooksAgree();
  });

  it('concurrent deposit-paid installments never take more than the deposit holds', async () => {
    const mobile = '13900000004';
    const token = await tokenOf(mobile);
    const tenantId = await tenantIdOf(mobile);
    await fund(tenantId, 30, 'test:fund:concurrent');
    const orders = [];
    for (let i = 0; i < 12; i++) orders.push(await save(token));
    const answers = await Promise.all(
      orders.map((o) => post('/user_order/longPay', token, { id: o.id, is_d_deposit: 1, u_p_id: o.u_p_id })),
    );
    assert.ok(
      answers.every((a) => a.code === 0),
      JSON.stringify(answers.filter((a) => a.code !== 0)),
    );
    const takes = await t.db.kysely
      .selectFrom('ledger_transfers')
      .select('amount')
      .where('ledger', '=', 'deposit.take')
      .where('debit_account_id', '=', (await balance(t.db.kysely, depositAccount(tenantId))).id)
      .execute();
    const taken = takes.reduce((sum, r) => sum + Number(r.amount), 0);
    assert.equal(taken, 30, 'every fen used, none twice');
    assert.equal(
      answers.filter((a) => typeof a.data.id === 'string').length,
      4,
      '4 × 7 fen paid by the deposit',
    );
    assert.equal(await held(tenantId), 0);
    assert.equal(await inLedger(tenantId), 0);
    await assertBooksAgree();
  });

  it('checkLedger and the deposit projection agree after the whole flow', async () => {
    await assertBooksAgree();
  });
});
