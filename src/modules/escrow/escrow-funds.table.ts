import type { Generated, Insertable, Selectable } from 'kysely';

export const RELEASE_KINDS = ['release', 'refund'] as const;
export type ReleaseKind = (typeof RELEASE_KINDS)[number];
export const RELEASE_STATES = ['requested', 'approved', 'rejected'] as const;
export type ReleaseState = (typeof RELEASE_STATES)[number];
export const PAYOUT_STATES = ['pending', 'paid', 'failed'] as const;
export type PayoutState = (typeof PAYOUT_STATES)[number];

/** A request to move escrowed money out (to the landlord, or back to the buyer): maker-checker. */
export interface EscrowReleaseTable {
  id: Generated<number>;
  order_id: number;
  kind: ReleaseKind;
  /** Fen taken from the order's held account. */
  amount: number;
  /** The platform's service fee taken out of this release (once per order, the first release). */
  fee: number;
  reason: string;
  state: ReleaseState;
  payee_name: string;
  payee_card_enc: string;
  payee_card_masked: string;
  payee_bank: string;
  /** Staff ids: the maker, and the checker who decided (never the maker; a CHECK). */
  requested_by: number;
  decided_by: number | null;
  /** Their usernames, as the desk shows them. */
  requested_by_name: string;
  decided_by_name: string | null;
  decided_at: number | null;
  decision_reason: string | null;
  created_at: number;
  updated_at: number;
}

export type EscrowReleaseRow = Selectable<EscrowReleaseTable>;
export type NewEscrowReleaseRow = Insertable<EscrowReleaseTable>;

/**
 * The bank transfer carrying out an approved request: pending → paid | failed, failed → pending
 * (a retry, with the next attempt's provider number). `pending` means "at the provider, or not
 * asked yet": whoever asks holds the claim until `claimed_until`.
 */
export interface EscrowPayoutTable {
  id: Generated<number>;
  payout_no: string;
  release_id: number;
  order_id: number;
  amount: number;
  state: PayoutState;
  attempts: number;
  provider_id: string | null;
  failure_code: string | null;
  failure_message: string | null;
  created_at: number;
  updated_at: number;
  /** Ms until which a server is asking the provider about this payout (0: nobody). */
  claimed_until: number;
}

export type EscrowPayoutRow = Selectable<EscrowPayoutTable>;
