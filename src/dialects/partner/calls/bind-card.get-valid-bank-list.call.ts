import { Type } from '@sinclair/typebox';
import { FieldReader } from '../../../core/field-reader.js';
import { BANKS, bankIcon } from '../../../modules/partner/index.js';
import type { PartnerCall } from './call.js';

/** This call's one argument, with the Chinese label its messages use. */
const ARGS = { card_type: '银行卡类型' } as const;

/** BindCard.getValidBankList: the banks we support, optionally for one card type. */
export const bindCardGetValidBankListCall: PartnerCall = {
  name: 'BindCard.getValidBankList',
  summary: '可绑卡银行列表',
  args: Type.Object({
    card_type: Type.Optional(
      Type.Union([Type.Literal(1), Type.Literal(2)], {
        description: `${ARGS.card_type}: 1 信用卡, 2 借记卡`,
      }),
    ),
  }),
  response: Type.Array(
    Type.Object(
      {
        bank_name: Type.String(),
        bank_code: Type.String(),
        bank_title: Type.String({ description: '限额说明' }),
        bank_icon: Type.String({ description: 'icon URL path' }),
      },
      { additionalProperties: false },
    ),
    { description: 'BindCard.getValidBankList' },
  ),
  async handle(args) {
    const r = new FieldReader(args, ARGS);
    const cardType = r.int('card_type', { oneOf: [1, 2] });
    r.done();
    return BANKS.filter((bank) => cardType === undefined || bank.cardTypes.some((t) => t === cardType)).map(
      (bank) => ({
        bank_name: bank.name,
        bank_code: bank.code,
        bank_title: bank.title,
        bank_icon: bankIcon(bank.code),
      }),
    );
  },
};
