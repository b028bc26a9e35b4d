import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../shared/dialect-context.js';

export const DEV_SANDBOX_PREFIX = '/dev/wechat-sandbox';

const TradeNo = Type.Object(
  {
    out_trade_no: Type.String({ minLength: 1, maxLength: 32, description: 'the payment as WeChat knows it' }),
  },
  { additionalProperties: false },
);

const RefundNo = Type.Object(
  {
    out_refund_no: Type.String({ minLength: 1, maxLength: 64, description: 'the refund as WeChat knows it' }),
    outcome: Type.Optional(
      Type.Union([Type.Literal('SUCCESS'), Type.Literal('FAILED')], {
        description: 'SUCCESS (the default), or FAILED: the money could not go back',
      }),
    ),
  },
  { additionalProperties: false },
);

const TAGS = ['Development: WeChat Pay sandbox'];

/**
 * The in-process WeChat Pay sandbox has no HTTP face, so in development nobody could finish a
 * payment by hand. These routes play the customer at WeChat: pay or fail an order, and the
 * sandbox sends its signed notify into this app exactly as WeChat would. They exist only with
 * NODE_ENV=development and WECHAT_PAY_MODE=sandbox; anywhere else the URLs answer 404.
 */
export async function devSandboxRoutes(app: FastifyInstance, ctx: DialectContext): Promise<void> {
  const { sandbox } = ctx;
  if (ctx.config.env !== 'development' || ctx.config.wechat.mode !== 'sandbox' || !sandbox) return;
  app.log.info(
    `WeChat Pay sandbox: POST ${DEV_SANDBOX_PREFIX}/pay {"out_trade_no":"…"} pays an order, ` +
      `POST ${DEV_SANDBOX_PREFIX}/fail fails it, GET ${DEV_SANDBOX_PREFIX}/orders lists them and the refunds, ` +
      `POST ${DEV_SANDBOX_PREFIX}/refund {"out_refund_no":"…"} finishes a v3 refund`,
  );

  app.get(
    `${DEV_SANDBOX_PREFIX}/orders`,
    { schema: { tags: TAGS, summary: 'The orders the sandbox holds, to find an out_trade_no' } },
    async () => ({
      orders: [
        ...sandbox.listOrders().map((order) => ({
          out_trade_no: order.outTradeNo,
          prepay_id: order.prepayId,
          total_fee: order.totalFee,
          trade_type: order.tradeType,
          state: order.state,
        })),
        ...(ctx.sandboxV3()?.listOrders() ?? []).map((order) => ({
          out_trade_no: order.outTradeNo,
          prepay_id: null,
          total_fee: order.total,
          trade_type: 'JSAPI (v3)',
          state: order.state,
        })),
      ],
      // The v3 (JSAPI) refunds: parking orders' and escrow pay-ins'.
      refunds: (ctx.sandboxV3()?.listRefunds() ?? []).map((refund) => ({
        out_refund_no: refund.outRefundNo,
        out_trade_no: refund.outTradeNo,
        state: refund.status,
      })),
    }),
  );

  // A v3 refund stays PROCESSING at the sandbox until someone finishes it, as a bank's does for a
  // while. The v2 sandbox's refunds (the rental's) are not reachable here.
  app.post(
    `${DEV_SANDBOX_PREFIX}/refund`,
    {
      schema: {
        tags: TAGS,
        summary: 'WeChat finishes a v3 refund (parking, escrow): its refund notify follows',
        body: RefundNo,
      },
    },
    async (request, reply) => {
      const { out_refund_no: outRefundNo, outcome = 'SUCCESS' } = request.body as Static<typeof RefundNo>;
      const v3 = ctx.sandboxV3();
      if (v3?.listRefunds().some((refund) => refund.outRefundNo === outRefundNo)) {
        const status = await v3.settleRefund(outRefundNo, outcome === 'SUCCESS' ? 'SUCCESS' : 'ABNORMAL');
        return { out_refund_no: outRefundNo, merchant_reply: String(status) };
      }
      return reply.status(404).send({ code: 404, msg: `the sandbox holds no refund ${outRefundNo}` });
    },
  );

  for (const action of ['pay', 'fail'] as const) {
    app.post(
      `${DEV_SANDBOX_PREFIX}/${action}`,
      {
        schema: {
          tags: TAGS,
          summary:
            action === 'pay'
              ? 'The customer pays: WeChat notifies this app of success'
              : 'The payment fails at WeChat: a FAIL notify follows',
          body: TradeNo,
        },
      },
      async (request, reply) => {
        const { out_trade_no: outTradeNo } = request.body as Static<typeof TradeNo>;
        // A v3 (JSAPI) order: WeChat's v3 half pays or fails it and sends its signed notify.
        const v3 = ctx.sandboxV3();
        const v3Order = v3?.listOrders().find((order) => order.outTradeNo === outTradeNo);
        if (v3 && v3Order) {
          const status = await v3.settle(outTradeNo, action === 'pay' ? 'SUCCESS' : 'PAYERROR');
          return { out_trade_no: outTradeNo, state: v3Order.state, merchant_reply: String(status) };
        }
        if (!sandbox.order(outTradeNo)) {
          return reply.status(404).send({ code: 404, msg: `the sandbox holds no order ${outTradeNo}` });
        }
        const merchantReply =
          action === 'pay' ? await sandbox.pay(outTradeNo) : await sandbox.fail(outTradeNo);
        return {
          out_trade_no: outTradeNo,
          state: sandbox.order(outTradeNo)?.state,
          // Our notify endpoint's answer to WeChat: SUCCESS means the payment was settled here.
          merchant_reply: merchantReply,
        };
      },
    );
  }
}
