import { FieldReader, type RawInput } from '../../core/field-reader.js';
import { type City, findProduct, LOAN_LIMITS, PRODUCTS } from './loan-order-catalog.js';
import { FIELD_LABELS } from './loan-order-fields.js';

export interface BorrowInfo {
  user_realname: string | undefined;
  loan_money: number;
  loan_limit: number;
  production_no: number;
  yueding_lilv: number | null;
  service_fee: number | null;
}

/** Percent with up to 4 decimals, kept × 10⁴; 100% is the ceiling. */
export const PERCENT_SCALE = 4;
const MAX_PERCENT = 100 * 10 ** PERCENT_SCALE;
const MAX_LOAN_FEN = 99_999_990_000; // 99,999.99 万元

export function readBorrowInfo(input: RawInput, order: { city: City; hasAgent: boolean }): BorrowInfo {
  const r = new FieldReader(input, FIELD_LABELS);
  const userRealname = r.text('user_realname', { required: order.hasAgent, min: 2, max: 20 });
  if (userRealname !== undefined && !order.hasAgent)
    r.fail('user_realname', '直户订单没有中介，不能填写中介姓名');
  const loanMoney = r.wanYuan('loan_money', { required: true, positive: true });
  if (loanMoney !== undefined && loanMoney > MAX_LOAN_FEN)
    r.fail('loan_money', '借款金额不能超过99999.99万元');
  const loanLimit = r.int('loan_limit', { required: true, oneOf: LOAN_LIMITS });
  const productionNo = r.int('production_no', { required: true, oneOf: PRODUCTS.map((p) => p.id) });
  const product = productionNo === undefined ? undefined : findProduct(productionNo);
  if (product && product.city !== order.city) r.fail('production_no', `产品类型不适用于${order.city}的订单`);
  // Only the figure the product is priced by is kept; the other is cleared, not half-kept.
  const yuedingLilv =
    product?.type === 0
      ? r.decimal('yueding_lilv', PERCENT_SCALE, { required: true, positive: true, max: MAX_PERCENT })
      : undefined;
  const serviceFee =
    product?.type === 1
      ? r.decimal('service_fee', PERCENT_SCALE, { required: true, positive: true, max: MAX_PERCENT })
      : undefined;
  r.done();
  return {
    user_realname: userRealname,
    loan_money: loanMoney!,
    loan_limit: loanLimit!,
    production_no: productionNo!,
    yueding_lilv: yuedingLilv ?? null,
    service_fee: serviceFee ?? null,
  };
}
