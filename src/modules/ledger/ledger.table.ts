import type { Generated, Insertable, Selectable } from 'kysely';

/**
 * One account of the double-entry ledger (TigerBeetle's model): four running balances in fen,
 * each only ever changed together with a transfer that explains it. `code` names the account for
 * the modules that post to it (`escrow:<house_order_no>:held`, `tenant:<id>:deposit`,
 * `wechat:clearing`, `payouts`, `platform:fees`).
 */
export interface LedgerAccountTable {
  id: Generated<number>;
  code: string;
  /** For humans: what the account is (escrow_held, tenant_deposit, clearing …). */
  kind: string;
  /** For humans: whose money it is (a house order number, a tenant id), when anyone's. */
  owner: string | null;
  /** 1: debits (posted + pending) never exceed posted credits — money held for someone. */
  debits_must_not_exceed_credits: number;
  /** 1: credits (posted + pending) never exceed posted debits. */
  credits_must_not_exceed_debits: number;
  debits_pending: Generated<number>;
  debits_posted: Generated<number>;
  credits_pending: Generated<number>;
  credits_posted: Generated<number>;
  created_at: number;
}

/**
 * What a transfer row is: `posted` moves money at once; `pending` reserves it; `post_pending`
 * and `void_pending` resolve a pending transfer (named by `pending_id`), at most once each.
 */
export type LedgerTransferKind = 'posted' | 'pending' | 'post_pending' | 'void_pending';

/** One immutable transfer: `amount` fen from the debit account to the credit account. */
export interface LedgerTransferTable {
  id: Generated<number>;
  /** The caller's idempotency key: a retried posting finds its transfer instead of making two. */
  key: string;
  kind: LedgerTransferKind;
  debit_account_id: number;
  credit_account_id: number;
  amount: number;
  pending_id: number | null;
  /** What the money moves for (escrow.fund, deposit.take …). */
  ledger: string;
  /** The record it moves for (house_order:<no>, lease_installment:<id>), when one. */
  subject: string | null;
  /** Free JSON object for humans (a WeChat transaction id …); not part of the transfer's terms. */
  metadata: string | null;
  created_at: number;
}

export type LedgerAccountRow = Selectable<LedgerAccountTable>;
export type LedgerTransferRow = Selectable<LedgerTransferTable>;
export type NewLedgerAccountRow = Insertable<LedgerAccountTable>;
export type NewLedgerTransferRow = Insertable<LedgerTransferTable>;
