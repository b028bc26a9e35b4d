import type { Generated, Selectable } from 'kysely';
import type { PaymentChannel, PaymentStatus } from './payment-state.js';

/** One attempt to collect money for one thing; amounts in fen, times in epoch ms. */
export interface PaymentTable {
  id: Generated<number>;
  out_trade_no: string;
  purpose: string;
  subject_id: string;
  payer: string;
  amount: number;
  channel: PaymentChannel;
  status: PaymentStatus;
  prepay_id: string | null;
  transaction_id: string | null;
  failure_reason: string | null;
  expires_at: number;
  paid_at: number | null;
  /** When WeChat confirmed this closed or failed payment final on its side too. */
  wechat_final_at: number | null;
  version: Generated<number>;
  created_at: number;
  updated_at: number;
}

export type PaymentRow = Selectable<PaymentTable>;
