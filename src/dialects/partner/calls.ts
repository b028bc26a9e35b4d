import { FieldReader, type RawInput } from '../../core/field-reader.js';
import { BANKS, bankIcon } from '../../modules/partner/index.js';
import type { DialectContext } from '../shared/dialect-context.js';

/** One marketplace call: its args (already parsed JSON) in, its `response` out. */
export type PartnerCall = (args: RawInput, ctx: DialectContext, ua: string) => Promise<unknown>;

const LABELS = { card_type: '银行卡类型' };

/** BindCard.getValidBankList: the banks we support, optionally for one card type. */
const getValidBankList: PartnerCall = async (args) => {
  const r = new FieldReader(args, LABELS);
  const cardType = r.int('card_type', { oneOf: [1, 2] });
  r.done();
  return BANKS.filter((bank) => cardType === undefined || bank.cardTypes.includes(cardType as 1 | 2)).map(
    (bank) => ({
      bank_name: bank.name,
      bank_code: bank.code,
      bank_title: bank.title,
      bank_icon: bankIcon(bank.code),
    }),
  );
};

/** The calls this gateway answers, by the spec's `call` names. */
export const PARTNER_CALLS: Readonly<Record<string, PartnerCall>> = {
  'User.isUserAccept': (args, ctx) => ctx.modules.partner.checkAdmission(args, ctx.clock.now()),
  'BindCard.getValidBankList': getValidBankList,
  'BindCard.applyBindCard': (args, ctx, ua) => ctx.modules.partner.applyBindCard(ua, args, ctx.clock.now()),
};
