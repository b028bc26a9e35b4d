import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { httpTransport } from '../../../src/platform/wechat-pay/http-transport.js';
import { buildSandboxServer } from '../../../src/platform/wechat-pay/sandbox-server.js';
import { createV2Gateway, type V2Merchant } from '../../../src/platform/wechat-pay/v2-gateway.js';
import { verifyV2 } from '../../../src/platform/wechat-pay/v2-sign.js';
import { parseV2Xml } from '../../../src/platform/wechat-pay/v2-xml.js';

// WeChat's published test merchant, as the sandbox uses it in development.
const MERCHANT: V2Merchant = {
  appId: 'wxd930ea5d5a258f4f',
  mchId: '10000100',
  apiKey: '192006250b4c09247ec02edce69f6a2d',
  signType: 'MD5',
};

describe('fangtong wechat-sandbox: the sandbox over real HTTP', () => {
  const delivered: Array<{ url: string; xml: string }> = [];
  const { app } = buildSandboxServer([MERCHANT], async (url, xml) => {
    delivered.push({ url, xml });
    return '<xml><return_code><![CDATA[SUCCESS]]></return_code></xml>';
  });
  let gateway: ReturnType<typeof createV2Gateway>;
  before(async () => {
    app.log.level = 'silent';
    await app.listen({ host: '127.0.0.1', port: 0 });
    gateway = createV2Gateway(
      MERCHANT,
      httpTransport(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`),
    );
  });
  after(() => app.close());

  it('places, queries, pays (with a signed notify) and refuses to close a paid order', async () => {
    const prepayId = await gateway.unifiedOrder({
      body: '房租',
      outTradeNo: 'P2406011000001',
      totalFee: 700,
      clientIp: '127.0.0.1',
      notifyUrl: 'http://127.0.0.1:3000/payments/wechat/notify',
      tradeType: 'APP',
    });
    assert.match(prepayId, /^wx/);
    assert.equal((await gateway.orderQuery('P2406011000001')).trade_state, 'NOTPAY');
    const paid = await app.inject({ method: 'POST', url: '/sandbox/orders/P2406011000001/pay' });
    assert.equal(paid.json().state, 'SUCCESS');
    assert.equal(delivered.length, 1);
    assert.equal(delivered[0]!.url, 'http://127.0.0.1:3000/payments/wechat/notify');
    const notify = parseV2Xml(delivered[0]!.xml)!;
    assert.equal(verifyV2(notify, MERCHANT.apiKey), true);
    assert.deepEqual(
      [notify.result_code, notify.total_fee, notify.out_trade_no],
      ['SUCCESS', '700', 'P2406011000001'],
    );
    assert.equal((await gateway.orderQuery('P2406011000001')).trade_state, 'SUCCESS');
    assert.equal(await gateway.closeOrder('P2406011000001'), false, 'a paid order cannot be closed');
  });

  it('refuses a request signed with another key, and a JSAPI order without openid', async () => {
    const forged = createV2Gateway(
      { ...MERCHANT, apiKey: '0'.repeat(32) },
      httpTransport(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`),
    );
    await assert.rejects(forged.orderQuery('P1'), /签名错误/);
    await assert.rejects(
      gateway.unifiedOrder({
        body: 'x',
        outTradeNo: 'P2',
        totalFee: 1,
        clientIp: '127.0.0.1',
        notifyUrl: 'http://x/n',
        tradeType: 'JSAPI',
      }),
      /JSAPI支付必须传openid/,
    );
    const unknown = await app.inject({ method: 'POST', url: '/sandbox/orders/NOPE/pay' });
    assert.equal(unknown.statusCode, 404);
  });
});
