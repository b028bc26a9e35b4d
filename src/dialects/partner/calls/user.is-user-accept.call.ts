import { Type } from '@sinclair/typebox';
import type { PartnerCall } from './call.js';

const strict = { additionalProperties: false } as const;
const Text = (maxLength: number, description: string) => Type.String({ maxLength, description });

/** User.isUserAccept: may this person borrow, and if so the product offered (admission rules). */
export const userIsUserAcceptCall: PartnerCall = {
  name: 'User.isUserAccept',
  summary: '用户准入检查',
  args: Type.Object({
    user_name: Text(30, 'user_name'),
    user_phone: Text(11, 'user_phone: the mobile with its last 3 digits masked (138xxxxx***)'),
    user_idcard: Text(18, 'user_idcard: the ID number with its last 4 characters masked'),
    md5: Type.Optional(Text(32, 'md5(mobile + ID number), hex')),
  }),
  response: Type.Union(
    [
      Type.Object(
        {
          result: Type.Literal(200),
          amount: Type.Integer({ description: '最大额度（分）' }),
          min_amount: Type.Integer({ description: '最小额度（分）' }),
          terms: Type.Array(Type.Integer(), { description: '期限' }),
          term_type: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)], {
            description: '期限单位',
          }),
          loan_mode: Type.Union([Type.Literal(0), Type.Literal(1)], { description: '流程' }),
        },
        { ...strict, description: '200: may borrow; the product offered' },
      ),
      Type.Object(
        { result: Type.Literal(401), can_loan_time: Type.String({ description: 'YYYY-MM-DD' }) },
        { ...strict, description: '401: an unfinished loan, until can_loan_time' },
      ),
      Type.Object(
        {
          result: Type.Union([Type.Literal(301), Type.Literal(402), Type.Literal(403), Type.Literal(505)]),
          can_loan_time: Type.String({ description: 'YYYY-MM-DD, or empty' }),
          remark: Type.String(),
        },
        { ...strict, description: '301 age, 402 bad record, 403 blacklisted, 505 refused recently' },
      ),
    ],
    { description: 'User.isUserAccept' },
  ),
  handle: (args, ctx) => ctx.modules.partner.checkAdmission(args, ctx.clock.now()),
};
