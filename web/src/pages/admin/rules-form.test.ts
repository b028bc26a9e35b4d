import { describe, expect, it } from 'vitest';
import type { PartnerRules } from '../../api/admin';
import { isTerm, toFormValues, toRules } from './rules-form';

const RULES: PartnerRules = {
  min_age: 22,
  max_age: 60,
  refuse_days: 30,
  allow_rebind: false,
  bind_sms: true,
  product: { amount: 300_000_000, min_amount: 10_000_000, terms: [1, 2, 12], term_type: 2, loan_mode: 0 },
};

describe('the admission rules form', () => {
  it('shows amounts in yuan and sends them back in fen, the rules unchanged', () => {
    const values = toFormValues(RULES);
    expect(values['product.amount']).toBe(3_000_000);
    expect(values['product.min_amount']).toBe(100_000);
    expect(toRules(values)).toEqual(RULES);
  });

  it('sends whole fen and typed terms as numbers', () => {
    const values = { ...toFormValues(RULES), 'product.amount': 0.1 + 0.2, 'product.terms': ['3', 6, ' 9 '] };
    expect(toRules(values).product).toMatchObject({ amount: 30, terms: [3, 6, 9] });
  });

  it('takes only positive whole numbers as terms', () => {
    expect(['3', 12, ' 6 '].every(isTerm)).toBe(true);
    for (const term of ['半年', '0', '-1', '1.5', '']) expect(isTerm(term)).toBe(false);
  });
});
