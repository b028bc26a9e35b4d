import type { KeyObject } from 'node:crypto';
import {
  type BankAnswer,
  encryptForWechat,
  PARTNER_TRADE_NO,
  type V2BankGateway,
} from '../wechat-pay/v2-bank.js';
import type { PayoutProvider, PayoutRequest, PayoutResult } from './payout-provider.js';
import { wechatBankCode } from './wechat-bank-codes.js';

/**
 * pay_bank refusals that say nothing final: the payment may have been taken, or may be taken if
 * asked again with the same partner_trade_no (WeChat: query first, then retry with the SAME number).
 */
const IN_DOUBT = new Set(['SYSTEMERROR', 'FREQ_LIMIT', 'FREQUENCY_LIMITED']);
/** query_bank's words for a partner_trade_no WeChat never took. */
const NOT_FOUND = new Set(['NOT_FOUND', 'ORDERNOTEXIST']);

const reasonOf = (fields: Record<string, string>, fallback: string) =>
  fields.reason ||
  fields.err_code_des ||
  (fields.return_code === 'SUCCESS' ? undefined : fields.return_msg) ||
  fallback;

/**
 * Payouts through WeChat Pay's 企业付款到银行卡: pay_bank with our payout number as
 * `partner_trade_no` (WeChat's idempotency key), the card number and the payee's name
 * RSA-encrypted with WeChat's public key, the bank's WeChat number, the amount in fen; then
 * query_bank, since pay_bank only says whether WeChat took the order.
 *
 * - query_bank `SUCCESS` (signed) → paid, the provider id WeChat's `payment_no`;
 * - `PROCESSING`, or no clear answer (a timeout, a SYSTEMERROR, an unsigned answer) → pending:
 *   asked again later with the same number;
 * - `FAILED` or `BANK_FAIL` (the bank returned it) → failed; WeChat wants a new number to pay
 *   again, which the escrow retry gives;
 * - a number WeChat never took after a refusal (NOTENOUGH, PARAM_ERROR, AMOUNT_LIMIT, …) →
 *   failed with WeChat's code, since nothing can come of it;
 * - a bank WeChat does not pay to → failed (BANK_NOT_SUPPORTED) without asking.
 */
export class WechatBankPayoutProvider implements PayoutProvider {
  constructor(
    private readonly gateway: V2BankGateway,
    /** WeChat's RSA public key (risk/getpublickey), which only WeChat can decrypt with. */
    private readonly publicKey: KeyObject,
  ) {}

  async transfer(request: PayoutRequest): Promise<PayoutResult> {
    const bankCode = wechatBankCode(request.bank);
    if (!bankCode)
      return {
        status: 'failed',
        code: 'BANK_NOT_SUPPORTED',
        message: `微信付款不支持该银行：${request.bank}`,
      };
    if (!PARTNER_TRADE_NO.test(request.payoutNo))
      return { status: 'failed', code: 'PARAM_ERROR', message: '付款单号须为8到32位字母或数字' };
    if (!Number.isSafeInteger(request.amount) || request.amount <= 0)
      return { status: 'failed', code: 'PARAM_ERROR', message: '金额须为正整数（分）' };

    let paid: BankAnswer | undefined;
    let payError: string | undefined;
    try {
      paid = await this.gateway.payBank({
        partnerTradeNo: request.payoutNo,
        encBankNo: encryptForWechat(request.cardNo, this.publicKey),
        encTrueName: encryptForWechat(request.name, this.publicKey),
        bankCode,
        amount: request.amount,
        desc: request.description?.slice(0, 100),
      });
    } catch (error) {
      payError = (error as Error).message;
    }

    let query: BankAnswer;
    try {
      query = await this.gateway.queryBank(request.payoutNo);
    } catch (error) {
      return { status: 'pending', code: 'NO_ANSWER', message: (error as Error).message };
    }
    const q = query.fields;
    if (q.return_code === 'SUCCESS' && q.result_code === 'SUCCESS') {
      if (Number(q.amount) !== request.amount)
        // The number names another amount: never a state to act on by itself.
        return {
          status: 'pending',
          code: 'AMOUNT_MISMATCH',
          message: `微信付款单${request.payoutNo}的金额${q.amount}分与本付款${request.amount}分不符`,
        };
      switch (q.status) {
        case 'SUCCESS':
          if (!query.signed) return { status: 'pending', code: 'UNSIGNED', message: '微信支付应答未签名' };
          return { status: 'paid', providerId: q.payment_no || request.payoutNo };
        case 'FAILED':
          return { status: 'failed', code: 'FAILED', message: reasonOf(q, '付款失败') };
        case 'BANK_FAIL':
          return { status: 'failed', code: 'BANK_FAIL', message: reasonOf(q, '银行退票') };
        default:
          return { status: 'pending', code: q.status || 'PROCESSING', message: reasonOf(q, '银行处理中') };
      }
    }
    const neverTaken = q.return_code === 'SUCCESS' && NOT_FOUND.has(q.err_code ?? '');
    if (!neverTaken)
      return {
        status: 'pending',
        code: q.err_code || 'QUERY_FAILED',
        message: reasonOf(q, '微信支付查询失败'),
      };
    // WeChat holds no such payment. Final only when pay_bank clearly refused it.
    if (payError !== undefined || !paid)
      return { status: 'pending', code: 'NO_ANSWER', message: payError ?? '无应答' };
    const p = paid.fields;
    if (p.return_code !== 'SUCCESS')
      return { status: 'failed', code: 'RETURN_FAIL', message: reasonOf(p, '微信支付通信失败') };
    if (p.result_code === 'SUCCESS' || IN_DOUBT.has(p.err_code ?? ''))
      return { status: 'pending', code: p.err_code || 'ACCEPTED', message: reasonOf(p, '微信已受理') };
    return { status: 'failed', code: p.err_code || 'FAIL', message: reasonOf(p, '付款失败') };
  }
}
