import Fastify, { type FastifyInstance } from 'fastify';
import { type NotifyDelivery, WechatPaySandbox } from './sandbox.js';
import { GET_PUBLIC_KEY_PATH, PAY_BANK_PATH, QUERY_BANK_PATH } from './v2-bank.js';
import type { V2Merchant } from './v2-gateway.js';

/** Delivers notifies over HTTP, as WeChat does, bounded in time. */
export const httpNotifyDelivery: NotifyDelivery = async (url, xml) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: xml,
    signal: AbortSignal.timeout(10_000),
  });
  return response.text();
};

/**
 * The WeChat Pay sandbox as its own HTTP server (`fangtong wechat-sandbox`): the v2 API paths
 * WeChat serves, plus a small control surface to pay or fail an order and list what it holds.
 */
export function buildSandboxServer(
  merchants: readonly V2Merchant[],
  deliver: NotifyDelivery = httpNotifyDelivery,
): {
  app: FastifyInstance;
  sandbox: WechatPaySandbox;
} {
  const sandbox = new WechatPaySandbox(merchants, deliver);
  const app = Fastify({ logger: { level: 'info' } });
  app.addContentTypeParser(
    ['text/xml', 'application/xml'],
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_req, body, done) => done(null, body),
  );
  for (const path of [
    '/pay/unifiedorder',
    '/pay/orderquery',
    '/pay/closeorder',
    '/secapi/pay/refund',
    '/pay/refundquery',
    PAY_BANK_PATH,
    QUERY_BANK_PATH,
    GET_PUBLIC_KEY_PATH,
  ]) {
    app.post(path, async (request, reply) => {
      const xml = typeof request.body === 'string' ? request.body : '';
      return reply.type('text/xml').send(await sandbox.handle(path, xml));
    });
  }
  const control =
    (action: 'pay' | 'fail') =>
    async (
      request: { params: unknown },
      reply: { status(code: number): { send(body: unknown): unknown } },
    ) => {
      const { out_trade_no: outTradeNo } = request.params as { out_trade_no: string };
      if (!sandbox.order(outTradeNo)) return reply.status(404).send({ error: `no order ${outTradeNo}` });
      const merchantReply = action === 'pay' ? await sandbox.pay(outTradeNo) : await sandbox.fail(outTradeNo);
      return {
        out_trade_no: outTradeNo,
        state: sandbox.order(outTradeNo)?.state,
        merchant_reply: merchantReply,
      };
    };
  app.post('/sandbox/orders/:out_trade_no/pay', control('pay'));
  app.post('/sandbox/orders/:out_trade_no/fail', control('fail'));
  app.get('/sandbox/orders', async () => ({ orders: sandbox.listOrders() }));
  // Bank payouts (企业付款到银行卡): what the sandbox holds, card numbers masked; settle one.
  app.get('/sandbox/bank-payouts', async () => ({
    payouts: sandbox.listBankPayouts().map(({ bankNo, trueName, ...rest }) => ({
      ...rest,
      bank_no: `${bankNo.slice(0, 6)}…${bankNo.slice(-4)}`,
    })),
  }));
  app.post('/sandbox/bank-payouts/:partner_trade_no/:status', async (request, reply) => {
    const { partner_trade_no: no, status } = request.params as { partner_trade_no: string; status: string };
    if (!sandbox.bankPayout(no)) return reply.status(404).send({ error: `no bank payout ${no}` });
    if (status !== 'SUCCESS' && status !== 'FAILED' && status !== 'BANK_FAIL')
      return reply.status(400).send({ error: 'status must be SUCCESS, FAILED or BANK_FAIL' });
    sandbox.settlePayout(no, status);
    return { partner_trade_no: no, status: sandbox.bankPayout(no)?.status };
  });
  return { app, sandbox };
}
