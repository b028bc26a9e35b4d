import { Type } from '@sinclair/typebox';
import type { PartnerCall } from './call.js';

const Text = (description: string) => Type.String({ description });

/** BindCard.applyBindCard: bind the borrower's card (an SMS code first when the rules ask). */
export const bindCardApplyBindCardCall: PartnerCall = {
  name: 'BindCard.applyBindCard',
  summary: '申请绑卡',
  args: Type.Object({
    order_sn: Type.Optional(Text('order_sn')),
    bank_code: Text('bank_code (BindCard.getValidBankList)'),
    user_name: Text('user_name'),
    user_idcard: Text('user_idcard'),
    card_number: Text('card_number: 12-19 digits'),
    card_phone: Text('card_phone: the mobile the bank holds'),
    user_phone: Text('user_phone'),
    echo_data: Text('echo_data: returned in the bindFeedback callback'),
    verify_code: Type.Optional(Text('verify_code: the SMS code, when bind_status 100 asked for it')),
    card_type: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2)])),
  }),
  response: Type.Object(
    {
      bind_status: Type.String({
        description:
          '200 bound, 100 SMS code needed, 401 identity mismatch, 402 wrong bank, 501 too many failures, 505 refused',
      }),
      remark: Type.String(),
    },
    { additionalProperties: false, description: 'BindCard.applyBindCard' },
  ),
  handle: (args, ctx, ua) => ctx.modules.partner.applyBindCard(ua, args, ctx.clock.now()),
};
