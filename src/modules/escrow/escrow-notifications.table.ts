import type { Generated, Insertable, Selectable } from 'kysely';
import type { EscrowState } from './escrow-state.js';

/**
 * What we tell an ISV: each state change of one of its invitations (party decisions, the
 * invitation's end, money in and out). `payout_paid` and `payout_failed` are the bank transfer's
 * outcome; `released` and `refunded` are the approval that moved the money to be paid.
 */
export const ESCROW_NOTIFY_EVENTS = [
  'accepted',
  'signed',
  'declined',
  'timed_out',
  'funds_in',
  'released',
  'refunded',
  'payout_paid',
  'payout_failed',
] as const;
export type EscrowNotifyEvent = (typeof ESCROW_NOTIFY_EVENTS)[number];

export const ESCROW_NOTIFY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type EscrowNotifyStatus = (typeof ESCROW_NOTIFY_STATUSES)[number];

/** The escrow outbox: one row per notification, written in the transaction of the change it reports. */
export interface EscrowNotificationTable {
  id: Generated<number>;
  /** Random and unique; sent as `notify_id` so the ISV can drop a notification it has already handled. */
  notify_id: string;
  /** One change, one row: a second enqueue of the same change (a replayed hook) is a no-op. */
  dedupe_key: string;
  isv_id: number;
  order_id: number;
  house_order_no: string;
  event: EscrowNotifyEvent;
  /** The invitation's state once the change was made. */
  state: EscrowState;
  /** The event's details as JSON, without personal data beyond masked values. */
  data: string;
  status: EscrowNotifyStatus;
  attempts: Generated<number>;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

export type EscrowNotificationRow = Selectable<EscrowNotificationTable>;
export type NewEscrowNotificationRow = Insertable<EscrowNotificationTable>;
