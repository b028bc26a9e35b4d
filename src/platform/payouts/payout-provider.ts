/**
 * Money leaving the platform to a bank card: what a payout provider (a bank's or a payment
 * company's transfer API) must offer. `payoutNo` is the idempotency key: asking again with the
 * same number must answer that payout's state, never pay twice (an adapter maps it to the
 * provider's own out-request number: WeChat's `partner_trade_no`).
 */
export interface PayoutRequest {
  /** Our number for the payout, unique; the same number is the same payout. */
  payoutNo: string;
  /** Fen, a positive integer. */
  amount: number;
  cardNo: string;
  name: string;
  bank: string;
  /** What the payee's statement shows (WeChat's `desc`); optional. */
  description?: string | undefined;
}

/**
 * The provider's answer about one payout number:
 * - `paid`: the money left, for good;
 * - `failed`: final — this number will never pay (a retry must use a new number);
 * - `pending`: not final — accepted and still at the bank, or no clear answer (a timeout, a
 *   system error): ask again later with the SAME number, never a new one, or it may pay twice.
 */
export type PayoutResult =
  | { status: 'paid'; providerId: string }
  | { status: 'failed'; code: string; message: string }
  | { status: 'pending'; code: string; message: string };

export interface PayoutProvider {
  transfer(request: PayoutRequest): Promise<PayoutResult>;
}
