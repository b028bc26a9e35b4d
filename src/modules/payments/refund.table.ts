import type { Generated, Selectable } from 'kysely';

/** requested → succeeded | failed, once; a succeeded or failed refund never moves again. */
export const REFUND_STATUSES = ['requested', 'succeeded', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** One refund asked of WeChat against one payment; fen, epoch ms. */
export interface RefundTable {
  id: Generated<number>;
  /** Our refund number at WeChat, unique: a retried request sends the same one. */
  out_refund_no: string;
  payment_id: number;
  amount: number;
  status: RefundStatus;
  /** Why the money goes back, e.g. `lease_retirement:<lease id>`. */
  reason: string;
  /** WeChat's refund id, once it told us. */
  refund_id: string | null;
  failure_reason: string | null;
  /** When WeChat accepted the request (null: not yet sent, or its answer was lost). */
  sent_at: number | null;
  settled_at: number | null;
  created_at: number;
  updated_at: number;
}

export type RefundRow = Selectable<RefundTable>;
