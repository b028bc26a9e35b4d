import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CloseAtWechatFirst,
  closeAtWechat,
  openPayment,
  type PaymentHook,
  reconcilePayments,
  requestAppPay,
} from '../../../src/modules/payments/index.js';
import type { PaymentRow } from '../../../src/modules/payments/payment.table.js';
import { signV2 } from '../../../src/platform/wechat-pay/v2-sign.js';
import { parseV2Xml } from '../../../src/platform/wechat-pay/v2-xml.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

const SUCCESS_REPLY =
  '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>';

describe('payments over WeChat Pay v2 (against the in-process sandbox)', () => {
  let t: TestApp;
  const paid: string[] = [];
  const failed: string[] = [];
  const credited: string[] = [];
  let subject = 0;
  before(async () => {
    t = await startTestApp();
    const hook: PaymentHook = {
      async lockSubject() {},
      async onPaidLate(_trx, payment) {
        credited.push(payment.out_trade_no);
      },
      async onPaid(_trx, payment) {
        paid.push(payment.out_trade_no);
      },
      async onFailed(_trx, payment) {
        failed.push(payment.out_trade_no);
      },
    };
    (t.app.runtime.payments.hooks as Record<string, PaymentHook>).test = hook;
  });
  after(() => t.close());

  const sandbox = () => t.app.runtime.sandbox!;
  const open = async (amount = 12_345): Promise<PaymentRow> => {
    subject += 1;
    return t.db.kysely.transaction().execute((trx) =>
      openPayment(trx, {
        purpose: 'test',
        subjectId: String(subject),
        payer: 'tenant:1',
        amount,
        channel: 'wechat_app',
        now: t.clock.now(),
      }),
    );
  };
  const status = async (outTradeNo: string) =>
    await t.db.kysely
      .selectFrom('payments')
      .select(['status', 'version'])
      .where('out_trade_no', '=', outTradeNo)
      .executeTakeFirstOrThrow();
  const notify = (xml: string) =>
    t.app.inject({
      method: 'POST',
      url: '/payments/wechat/notify',
      headers: { 'content-type': 'text/xml' },
      payload: xml,
    });

  it('places a unified order and answers APP pay parameters signed over exactly six fields', async () => {
    const payment = await open();
    const params = await requestAppPay(t.app.runtime.payments, payment, {
      description: '租金',
      clientIp: '127.0.0.1',
    });
    const merchant = t.app.runtime.payments.wechat.merchant;
    assert.equal(params.appid, merchant.appId);
    assert.equal(params.partnerid, merchant.mchId);
    assert.equal(params.package, 'Sign=WXPay');
    assert.equal(params.timestamp, Math.floor(t.clock.now() / 1000));
    assert.match(params.prepayid, /^wx[0-9a-f]{28}$/);
    const { sign, ...six } = params;
    assert.deepEqual(Object.keys(six).sort(), [
      'appid',
      'noncestr',
      'package',
      'partnerid',
      'prepayid',
      'timestamp',
    ]);
    assert.equal(sign, signV2(six, merchant.apiKey, 'MD5'));
    const order = sandbox().order(payment.out_trade_no)!;
    assert.deepEqual([order.totalFee, order.tradeType, order.state], [12_345, 'APP', 'NOTPAY']);
    // Asking again reuses the prepay_id rather than placing a second order.
    const again = await requestAppPay(
      t.app.runtime.payments,
      { ...payment, prepay_id: params.prepayid },
      { description: '租金', clientIp: '127.0.0.1' },
    );
    assert.equal(again.prepayid, params.prepayid);
  });

  it('settles a paid notify once; duplicates are answered SUCCESS and change nothing', async () => {
    const payment = await open();
    await requestAppPay(t.app.runtime.payments, payment, { description: '租金', clientIp: '127.0.0.1' });
    const reply = await sandbox().pay(payment.out_trade_no);
    assert.equal(reply, SUCCESS_REPLY);
    const after = await status(payment.out_trade_no);
    assert.equal(after.status, 'paid');
    const duplicate = await notify(sandbox().notifyXml(payment.out_trade_no));
    assert.equal(duplicate.body, SUCCESS_REPLY);
    assert.equal(duplicate.headers['content-type'], 'text/xml');
    assert.deepEqual(await status(payment.out_trade_no), after, 'no second update');
    assert.equal(paid.filter((n) => n === payment.out_trade_no).length, 1, 'the purpose hook ran once');
    const row = await t.db.kysely
      .selectFrom('payments')
      .selectAll()
      .where('out_trade_no', '=', payment.out_trade_no)
      .executeTakeFirstOrThrow();
    assert.match(row.transaction_id!, /^4200/);
    const audit = await t.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'payment')
      .where('entity_id', '=', payment.out_trade_no)
      .execute();
    assert.deepEqual(
      audit.map((a) => [a.actor, a.from_state, a.to_state]),
      [['wechat:notify', 'created', 'paid']],
    );
  });

  it('refuses a forged notify (wrong key) and a wrong amount with FAIL, record unchanged', async () => {
    const payment = await open();
    await requestAppPay(t.app.runtime.payments, payment, { description: '租金', clientIp: '127.0.0.1' });
    await sandbox().pay(payment.out_trade_no, { notify: false });
    const before = await status(payment.out_trade_no);
    const forged = parseV2Xml(
      (await notify(sandbox().notifyXml(payment.out_trade_no, {}, 'f'.repeat(32)))).body,
    );
    assert.deepEqual(forged, { return_code: 'FAIL', return_msg: '签名错误' });
    const cheap = parseV2Xml(
      (await notify(sandbox().notifyXml(payment.out_trade_no, { total_fee: '1', cash_fee: '1' }))).body,
    );
    assert.equal(cheap?.return_code, 'FAIL');
    assert.equal(cheap?.return_msg, '支付金额不符：应付12345分，实付1分');
    const garbage = parseV2Xml((await notify('definitely not xml')).body);
    assert.deepEqual(garbage, { return_code: 'FAIL', return_msg: 'XML格式错误' });
    const unknown = parseV2Xml(
      (await notify(sandbox().notifyXml(payment.out_trade_no, { out_trade_no: 'P000' }))).body,
    );
    assert.deepEqual(unknown, { return_code: 'FAIL', return_msg: '支付记录不存在' });
    assert.deepEqual(await status(payment.out_trade_no), before);
    assert.equal(paid.includes(payment.out_trade_no), false);
  });

  it('never moves a record backwards: a FAIL notify after payment; a SUCCESS after failure is credited, not dropped', async () => {
    const good = await open();
    await requestAppPay(t.app.runtime.payments, good, { description: '租金', clientIp: '127.0.0.1' });
    await sandbox().pay(good.out_trade_no);
    const late = await notify(
      sandbox().notifyXml(good.out_trade_no, { result_code: 'FAIL', err_code: 'PAYERROR' }),
    );
    assert.equal(late.body, SUCCESS_REPLY);
    assert.equal((await status(good.out_trade_no)).status, 'paid');

    const bad = await open();
    await requestAppPay(t.app.runtime.payments, bad, { description: '租金', clientIp: '127.0.0.1' });
    await sandbox().fail(bad.out_trade_no);
    assert.equal((await status(bad.out_trade_no)).status, 'failed');
    assert.ok(failed.includes(bad.out_trade_no));
    await notify(sandbox().notifyXml(bad.out_trade_no, { result_code: 'SUCCESS', err_code: '' }));
    assert.equal((await status(bad.out_trade_no)).status, 'credited');
    assert.deepEqual(
      credited.filter((n) => n === bad.out_trade_no),
      [bad.out_trade_no],
    );
    await notify(sandbox().notifyXml(bad.out_trade_no, { result_code: 'SUCCESS', err_code: '' }));
    assert.equal(credited.filter((n) => n === bad.out_trade_no).length, 1, 'credited once');
  });

  it('a SUCCESS for a payment we closed is recorded as credited with an audit row, once', async () => {
    const payment = await open();
    await requestAppPay(t.app.runtime.payments, payment, { description: '租金', clientIp: '127.0.0.1' });
    await sandbox().pay(payment.out_trade_no, { notify: false });
    // As if it had been closed here while the payer was paying at WeChat.
    await t.db.kysely
      .updateTable('payments')
      .set({ status: 'closed' })
      .where('out_trade_no', '=', payment.out_trade_no)
      .execute();
    const reply = await notify(sandbox().notifyXml(payment.out_trade_no));
    assert.equal(reply.body, SUCCESS_REPLY);
    const row = await t.db.kysely
      .selectFrom('payments')
      .selectAll()
      .where('out_trade_no', '=', payment.out_trade_no)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'credited');
    assert.match(row.transaction_id!, /^4200/);
    assert.equal(credited.filter((n) => n === payment.out_trade_no).length, 1);
    assert.equal(paid.includes(payment.out_trade_no), false, 'not counted as paying its subject');
    const audit = await t.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'from_state', 'to_state'])
      .where('entity_id', '=', payment.out_trade_no)
      .execute();
    assert.deepEqual(audit, [{ action: 'paid_late', from_state: 'closed', to_state: 'credited' }]);
  });

  it('replacing an open payment WeChat knows closes it at WeChat first; one already paid there is settled paid', async () => {
    const input = () => ({
      purpose: 'test',
      subjectId: `w${subject}`,
      payer: 'tenant:1',
      amount: 700,
      channel: 'wechat_app' as const,
      now: t.clock.now(),
    });
    subject += 1;
    const first = await t.db.kysely.transaction().execute((trx) => openPayment(trx, input()));
    await requestAppPay(t.app.runtime.payments, first, { description: '租金', clientIp: '127.0.0.1' });
    await assert.rejects(
      t.db.kysely.transaction().execute((trx) => openPayment(trx, { ...input(), amount: 600 })),
      (error) => error instanceof CloseAtWechatFirst && error.payment.out_trade_no === first.out_trade_no,
    );
    const open = await t.db.kysely
      .selectFrom('payments')
      .selectAll()
      .where('out_trade_no', '=', first.out_trade_no)
      .executeTakeFirstOrThrow();
    await closeAtWechat(t.app.runtime.payments, open, t.clock.now());
    assert.equal(sandbox().order(first.out_trade_no)!.state, 'CLOSED');
    const closed = await t.db.kysely
      .selectFrom('payments')
      .select(['status', 'wechat_final_at'])
      .where('out_trade_no', '=', first.out_trade_no)
      .executeTakeFirstOrThrow();
    assert.deepEqual(closed, { status: 'closed', wechat_final_at: t.clock.now() });

    subject += 1;
    const second = await t.db.kysely.transaction().execute((trx) => openPayment(trx, input()));
    await requestAppPay(t.app.runtime.payments, second, { description: '租金', clientIp: '127.0.0.1' });
    await sandbox().pay(second.out_trade_no, { notify: false });
    const row = await t.db.kysely
      .selectFrom('payments')
      .selectAll()
      .where('out_trade_no', '=', second.out_trade_no)
      .executeTakeFirstOrThrow();
    await closeAtWechat(t.app.runtime.payments, row, t.clock.now());
    assert.equal((await status(second.out_trade_no)).status, 'paid');
    assert.ok(paid.includes(second.out_trade_no));
  });

  it('a prepay_id that arrives after the payment was closed is closed at WeChat and not handed out', async () => {
    const payment = await open();
    await t.db.kysely
      .updateTable('payments')
      .set({ status: 'closed' })
      .where('out_trade_no', '=', payment.out_trade_no)
      .execute();
    await assert.rejects(
      requestAppPay(t.app.runtime.payments, payment, { description: '租金', clientIp: '127.0.0.1' }),
      /支付已变更，请重新发起支付/,
    );
    assert.equal(sandbox().order(payment.out_trade_no)!.state, 'CLOSED');
  });

  it('opens at most one live payment per subject and reuses it for the same amount', async () => {
    subject += 1;
    const input = {
      purpose: 'test',
      subjectId: `s${subject}`,
      payer: 'tenant:1',
      amount: 500,
      channel: 'wechat_app' as const,
      now: t.clock.now(),
    };
    const first = await t.db.kysely.transaction().execute((trx) => openPayment(trx, input));
    const second = await t.db.kysely.transaction().execute((trx) => openPayment(trx, input));
    assert.equal(second.out_trade_no, first.out_trade_no);
    const changed = await t.db.kysely
      .transaction()
      .execute((trx) => openPayment(trx, { ...input, amount: 400 }));
    assert.notEqual(changed.out_trade_no, first.out_trade_no);
    assert.equal((await status(first.out_trade_no)).status, 'closed');
  });

  it('reconciles: a lost notify is settled from orderquery; an expired unpaid order is closed here and at WeChat', async () => {
    const lost = await open();
    await requestAppPay(t.app.runtime.payments, lost, { description: '租金', clientIp: '127.0.0.1' });
    await sandbox().pay(lost.out_trade_no, { notify: false });
    const unpaid = await open();
    await requestAppPay(t.app.runtime.payments, unpaid, { description: '租金', clientIp: '127.0.0.1' });
    t.clock.advance(10 * 60_000);
    await reconcilePayments(t.app.runtime.payments, t.clock.now());
    assert.equal((await status(lost.out_trade_no)).status, 'paid');
    assert.equal((await status(unpaid.out_trade_no)).status, 'created', 'not yet expired: left open');
    t.clock.advance(30 * 60_000);
    const ran = await t.app.runtime.jobs.tick();
    assert.ok(ran.includes('payments.reconcile'));
    assert.equal((await status(unpaid.out_trade_no)).status, 'closed');
    assert.equal(sandbox().order(unpaid.out_trade_no)!.state, 'CLOSED');
  });

  it('reconciliation asks about payments we closed until WeChat confirms them: one paid there is credited', async () => {
    const payment = await open();
    await requestAppPay(t.app.runtime.payments, payment, { description: '租金', clientIp: '127.0.0.1' });
    await sandbox().pay(payment.out_trade_no, { notify: false });
    const quiet = await open();
    await requestAppPay(t.app.runtime.payments, quiet, { description: '租金', clientIp: '127.0.0.1' });
    await t.db.kysely
      .updateTable('payments')
      .set({ status: 'closed' })
      .where('out_trade_no', 'in', [payment.out_trade_no, quiet.out_trade_no])
      .execute();
    await reconcilePayments(t.app.runtime.payments, t.clock.now());
    assert.equal((await status(payment.out_trade_no)).status, 'credited');
    assert.equal(credited.filter((n) => n === payment.out_trade_no).length, 1);
    assert.equal(sandbox().order(quiet.out_trade_no)!.state, 'CLOSED', 'still open at WeChat: closed there');
    const confirmed = await t.db.kysely
      .selectFrom('payments')
      .select(['out_trade_no', 'status', 'wechat_final_at'])
      .where('out_trade_no', 'in', [payment.out_trade_no, quiet.out_trade_no])
      .orderBy('id')
      .execute();
    assert.deepEqual(confirmed, [
      { out_trade_no: payment.out_trade_no, status: 'credited', wechat_final_at: t.clock.now() },
      { out_trade_no: quiet.out_trade_no, status: 'closed', wechat_final_at: t.clock.now() },
    ]);
  });
});
