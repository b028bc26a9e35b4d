import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentOpenId } from '../auth.js';
import { ReturnCodeFailure } from './order.renew.route.js';
import { strict, TAGS, typed, Value } from './shared.js';

const Str = (description: string) => Type.String({ description });

const PayAnswer = Type.Object(
  {
    timestamp: Str('响应时间 (epoch ms)'),
    returnCode: Type.Literal('T'),
    returnMsg: Type.Literal('OK'),
    isSuccess: Type.Literal('true'),
    msg: Str('响应信息'),
    prOrderPayRes: Type.Object(
      {
        secuParam: Type.Object(
          {
            appId: Str('公众号 appId'),
            timeStamp: Str('时间戳 (秒)'),
            nonceStr: Str('随机串'),
            package: Str('prepay_id=…'),
            signType: Str('RSA'),
            paySign: Str('签名 (WeChat Pay v3, 商户私钥)'),
          },
          { ...strict, description: '三方支付加密信息：WeixinJSBridge getBrandWCPayRequest 的参数' },
        ),
        prPayId: Str('支付订单id (商户订单号 out_trade_no)'),
        period: Type.Integer({ description: '三方下单超时时间 (秒)，300' }),
        payState: Type.Literal('CREATE', { description: 'CREATE 发起支付' }),
      },
      strict,
    ),
  },
  strict,
);

/**
 * POST /parking/api/order/wechat-pay (call 7, 微信购买车位支付) {omPrOrderId, openId}: WeChat Pay v3
 * JSAPI for the caller's own unpaid order (approved first when its product reviews before pay);
 * `openId` must be the caller's. A retried call answers the same open payment.
 */
export function orderWechatPayRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).post(
    '/parking/api/order/wechat-pay',
    {
      // Every refusal, the family's error handler's included, in this call's own shape.
      config: { parkingReturnCode: true },
      // The session is checked before the body: a field the schema refuses is thrown in the handler.
      attachValidation: true,
      schema: {
        tags: TAGS,
        summary: '微信购买车位支付 (WeChat Pay v3 JSAPI)',
        body: Type.Object({ omPrOrderId: Value(64, '订单ID'), openId: Value(128, '微信公众号ID') }),
        response: { 200: Type.Union([PayAnswer, ReturnCodeFailure]), default: ReturnCodeFailure },
      },
    },
    async (request) => {
      if (request.validationError) throw request.validationError;
      const text = (value: unknown) =>
        value === undefined || value === null ? undefined : String(value).trim();
      const pay = await ctx.modules.parkingOrders.pay(
        currentOpenId(request),
        { omPrOrderId: text(request.body.omPrOrderId), openId: text(request.body.openId) },
        ctx.clock.now(),
      );
      return {
        timestamp: String(ctx.clock.now()),
        returnCode: 'T' as const,
        returnMsg: 'OK' as const,
        isSuccess: 'true' as const,
        msg: '下单成功，请在5分钟内完成支付',
        prOrderPayRes: pay,
      };
    },
  );
}
