import type { PartnerRules } from '../../api/admin';

/**
 * The rules form's values. The product's fields are named as the server names them in its errors
 * (`product.amount` …), one flat key each, so showFieldErrors finds them on the form; amounts are
 * in yuan, as the admin thinks of them, the server's in fen.
 */
export interface RulesFormValues {
  min_age: number;
  max_age: number;
  refuse_days: number;
  allow_rebind: boolean;
  bind_sms: boolean;
  'product.amount': number;
  'product.min_amount': number;
  /** Typed as tags, so text until sent. */
  'product.terms': (string | number)[];
  'product.term_type': number;
  'product.loan_mode': number;
}

export const toFormValues = (rules: PartnerRules): RulesFormValues => ({
  min_age: rules.min_age,
  max_age: rules.max_age,
  refuse_days: rules.refuse_days,
  allow_rebind: rules.allow_rebind,
  bind_sms: rules.bind_sms,
  'product.amount': rules.product.amount / 100,
  'product.min_amount': rules.product.min_amount / 100,
  'product.terms': rules.product.terms,
  'product.term_type': rules.product.term_type,
  'product.loan_mode': rules.product.loan_mode,
});

/** Yuan to whole fen: 0.1 + 0.2 must not become 30.000000000000004 fen. */
const fen = (yuan: number) => Math.round(yuan * 100);

/** What PUT /api/partner-rules takes; the form has checked each term is a whole number of days/months/years. */
export const toRules = (values: RulesFormValues): PartnerRules => ({
  min_age: values.min_age,
  max_age: values.max_age,
  refuse_days: values.refuse_days,
  allow_rebind: values.allow_rebind,
  bind_sms: values.bind_sms,
  product: {
    amount: fen(values['product.amount']),
    min_amount: fen(values['product.min_amount']),
    terms: values['product.terms'].map(Number),
    term_type: values['product.term_type'],
    loan_mode: values['product.loan_mode'],
  },
});

/** A term as typed is a positive whole number: the tags field lets anything be typed. */
export const isTerm = (term: string | number): boolean => /^\s*[1-9]\d*\s*$/.test(String(term));
