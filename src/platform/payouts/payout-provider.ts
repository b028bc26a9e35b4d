/**
 * Money leaving the platform to a bank card: what a payout provider (a bank's or a payment
 * company's transfer API) must offer. Only an in-process sandbox exists; a real provider is out
 * of scope. `payoutNo` is the idempotency key: asking again with the same number after a success
 * must answer that success, never pay twice (a real adapter must map this to the provider's own
 * out-request number).
 */
export interface PayoutRequest {
  /** Our number for the payout, unique; the same number is the same payout. */
  payoutNo: string;
  /** Fen, a positive integer. */
  amount: number;
  cardNo: string;
  name: string;
  bank: string;
}

export type PayoutResult = { ok: true; providerId: string } | { ok: false; code: string; message: string };

export interface PayoutProvider {
  transfer(request: PayoutRequest): Promise<PayoutResult>;
}
