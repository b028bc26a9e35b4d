import { Type } from '@sinclair/typebox';
import { DEPOSITORY_AMOUNT_TYPES } from '../../../modules/escrow/index.js';
import { ok } from './envelope.js';
import { type PageRouteFile, TAGS, TokenParams, typed } from './shared.js';

const PayBody = Type.Object({
  amount_type: Type.Union(
    DEPOSITORY_AMOUNT_TYPES.map((t) => Type.Literal(t)),
    { description: 'deposit_pay 定金，down_pay 首付款，balance_pay 尾款' },
  ),
  open_id: Type.String({ maxLength: 128, description: '买方在公众号下的 openid' }),
});

/**
 * POST /escrow/api/invitations/:token/pay: the buyer pays one depository amount into escrow by
 * WeChat Pay v3 JSAPI; answers the parameters for WeixinJSBridge's chooseWXPay.
 */
export const escrowApiInvitationsPayRoute: PageRouteFile = (app, ctx) => {
  typed(app).post(
    '/escrow/api/invitations/:token/pay',
    { schema: { tags: TAGS, summary: '买方支付监管资金（微信JSAPI）', params: TokenParams, body: PayBody } },
    async (request) =>
      ok(
        await ctx.modules.escrow.pay(
          request.params.token,
          { amountType: request.body.amount_type, openId: request.body.open_id },
          ctx.clock.now(),
        ),
      ),
  );
};
