import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { openPayment, type PaymentRow, requestJsapiPay } from '../../../src/modules/payments/index.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

describe('payments over WeChat Pay v3 JSAPI (against the in-process sandbox)', () => {
  let t: TestApp;
  let subject = 0;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  const open = async (): Promise<PaymentRow> => {
    subject += 1;
    return t.db.kysely.transaction().execute((trx) =>
      openPayment(trx, {
        purpose: 'parking',
        subjectId: String(subject),
        payer: 'wechat:oUser',
        amount: 30_000,
        channel: 'wechat_jsapi',
        now: t.clock.now(),
      }),
    );
  };
  const status = async (outTradeNo: string) =>
    (
      await t.db.kysely
        .selectFrom('payments')
        .select('status')
        .where('out_trade_no', '=', outTradeNo)
        .executeTakeFirstOrThrow()
    ).status;

  it('places a signed JSAPI order and answers the page parameters', async () => {
    const payment = await open();
    const params = await requestJsapiPay(t.app.runtime.payments, payment, {
      description: '月租车位',
      openId: 'oUser',
    });
    assert.equal(params.appId, t.app.runtime.payments.wechat.merchant.appId);
    assert.equal(params.signType, 'RSA');
    assert.match(params.package, /^prepay_id=wx[0-9a-f]{28}$/);
    assert.equal(params.timeStamp, String(Math.floor(t.clock.now() / 1000)));
    assert.match(params.paySign, /^[A-Za-z0-9+/]+=*$/);
  });

  it('settles a paid notify after checking its signature and decrypting it; the reply is 204', async () => {
    const payment = await open();
    await requestJsapiPay(t.app.runtime.payments, payment, { description: '月租车位', openId: 'oUser' });
    const statusCode = await t.app.runtime.sandboxV3()!.settle(payment.out_trade_no, 'SUCCESS');
    assert.equal(statusCode, 204);
    assert.equal(await status(payment.out_trade_no), 'paid');
    const row = await t.db.kysely
      .selectFrom('payments')
      .selectAll()
      .where('out_trade_no', '=', payment.out_trade_no)
      .executeTakeFirstOrThrow();
    assert.match(row.transaction_id!, /^4200/);
  });

  it('refuses a notify signed by someone else, or tampered, with 401 and {code: FAIL}', async () => {
    const payment = await open();
    await requestJsapiPay(t.app.runtime.payments, payment, { description: '月租车位', openId: 'oUser' });
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    assert.equal(
      await t.app.runtime
        .sandboxV3()!
        .settle(payment.out_trade_no, 'SUCCESS', { signWith: stranger.privateKey }),
      401,
    );
    assert.equal(await status(payment.out_trade_no), 'created');
    const { headers, body } = t.app.runtime.sandboxV3()!.notify(payment.out_trade_no);
    const tampered = body.replace('"ciphertext":"', '"ciphertext":"AAAA');
    const res = await t.app.inject({
      method: 'POST',
      url: '/payments/wechat/v3/notify',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: tampered,
    });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(res.json(), { code: 'FAIL', message: '签名或报文错误' });
    const replayed = await t.app.inject({
      method: 'POST',
      url: '/payments/wechat/v3/notify',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: body,
    });
    assert.equal(replayed.statusCode, 204, 'the genuine notify is taken');
    t.clock.advance(301_000);
    const stale = await t.app.inject({
      method: 'POST',
      url: '/payments/wechat/v3/notify',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: body,
    });
    assert.equal(stale.statusCode, 401, 'a notify older than 300 s is refused');
  });

  it('records a failed payment from a PAYERROR notify', async () => {
    const payment = await open();
    await requestJsapiPay(t.app.runtime.payments, payment, { description: '月租车位', openId: 'oUser' });
    assert.equal(await t.app.runtime.sandboxV3()!.settle(payment.out_trade_no, 'PAYERROR'), 204);
    assert.equal(await status(payment.out_trade_no), 'failed');
  });

  it('leaves a payment open on a NOTPAY notify, so the SUCCESS that follows pays it (not late money)', async () => {
    const payment = await open();
    await requestJsapiPay(t.app.runtime.payments, payment, { description: '月租车位', openId: 'oUser' });
    const { headers, body } = t.app.runtime.sandboxV3()!.notify(payment.out_trade_no);
    const early = await t.app.inject({
      method: 'POST',
      url: '/payments/wechat/v3/notify',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: body,
    });
    assert.equal(early.statusCode, 204);
    assert.equal(await status(payment.out_trade_no), 'created');
    assert.equal(await t.app.runtime.sandboxV3()!.settle(payment.out_trade_no, 'SUCCESS'), 204);
    assert.equal(await status(payment.out_trade_no), 'paid');
  });
});
