import { idCardCheckDigit } from '../../../src/core/id-card.js';

/** A valid resident ID born 1985-01-<day>. */
export function idNumber(seq: number): string {
  const first17 = `11010519850101${String(seq).padStart(3, '0')}`;
  return first17 + idCardCheckDigit(first17);
}

/** A Luhn-valid 16-digit card number. */
export function cardNumber(prefix = '622202000000000'): string {
  for (let d = 0; d <= 9; d++) {
    const candidate = prefix + d;
    let sum = 0;
    for (let i = 0; i < candidate.length; i++) {
      let digit = Number(candidate[candidate.length - 1 - i]);
      if (i % 2 === 1) {
        digit *= 2;
        if (digit > 9) digit -= 9;
      }
      sum += digit;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

/** A CREATE request that passes every rule; `n` varies the case number and the people. */
export function createRequest(n = 1, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    operate_type: 'CREATE',
    source: 'LIANGCE_TRADE_CENTER',
    source_no: `CASE-${n}`,
    item_id: 1022,
    store_id: 10223,
    buyer_infos: [
      { name: '张三', cert_type: 1, card_no: idNumber(10 * n + 1), phone: phone(n, 1), out_id: 'B1' },
    ],
    landlord_infos: [
      { name: '李四', cert_type: 1, card_no: idNumber(10 * n + 2), phone: phone(n, 2), out_id: 'L1' },
    ],
    house_address: '浙江省杭州市西湖区文三路1号',
    house_deal_price: 100_000_000,
    deposit_amount: 10_000_000,
    first_pay_amount: 30_000_000,
    loan_amount: 60_000_000,
    final_pay_amount: 0,
    service_fee_amount: 100_000,
    has_mortgage: 'Y',
    has_lease: 'N',
    house_contract_infos: [
      { contract_online_flag: 'Y', contract_type: 'DEPOSIT', depository_amount_types: ['deposit_pay'] },
    ],
    service_type: 'fundEscrow_mortgage',
    landlord_payee_name: '李四',
    landlord_payee_bankcard_no: cardNumber(),
    landlord_payee_bank_name: '中国银行',
    sign_over_time_hour: 24,
    landlord_payee_card_no: idNumber(10 * n + 2),
    service_provider_name: '王五',
    service_provider_phone: '13900000000',
    ...overrides,
  };
}

export function phone(n: number, k: number): string {
  return `138${String(n).padStart(6, '0')}${String(k).padStart(2, '0')}`;
}
