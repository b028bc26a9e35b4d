import type { PayoutState, ReleaseKind, ReleaseState } from '../../../src/modules/escrow/escrow-funds.table';
import { ESCROW_STATE_LABELS, type EscrowState } from '../../../src/modules/escrow/escrow-state';
import { apiGet, apiPost } from './client';
import type { LogPage, NextPage } from './log-page';

export { ESCROW_STATE_LABELS, type EscrowState, type ReleaseState };

/** A request's states, as staff read them (the server answers the codes only; a state it adds fails the build here). */
export const RELEASE_STATE_LABELS = {
  requested: '待审批',
  approved: '已批准',
  rejected: '已驳回',
} as const satisfies Record<ReleaseState, string>;

/** A payout's states: pending is still at the bank (or waiting for its answer). */
export const PAYOUT_STATE_LABELS = {
  pending: '处理中',
  paid: '已到账',
  failed: '失败',
} as const satisfies Record<PayoutState, string>;

/** One row of GET /api/escrow-orders: no personal data; times epoch ms. */
export interface EscrowOrderRow {
  id: number;
  house_order_no: string;
  source: string;
  source_no: string;
  template_id: string;
  service_type: string;
  store_id: number | null;
  state: EscrowState;
  state_label: string;
  deadline_at: number;
  created_at: number;
  updated_at: number;
}

export interface EscrowOrderFilter {
  state?: string;
  page?: number;
  page_size?: number;
}

/** GET /api/escrow-orders: newest first; an invitation past its deadline shows as timed_out. */
export const escrowOrders = (filter: EscrowOrderFilter) =>
  apiGet<{ total: number; page: number; page_size: number; page_count: number; orders: EscrowOrderRow[] }>(
    '/api/escrow-orders',
    { ...filter },
  );

/** ReleaseView: amounts in fen; the payee's card masked; requested_by / decided_by usernames. */
export interface EscrowRelease {
  id: number;
  kind: ReleaseKind;
  kind_label: string;
  amount: number;
  fee: number;
  state: ReleaseState;
  reason: string;
  payee_name: string;
  payee_card_no: string;
  payee_bank: string;
  requested_by: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  created_at: string;
}

export interface EscrowPayout {
  id: number;
  payout_no: string;
  release_id: number;
  amount: number;
  state: PayoutState;
  attempts: number;
  provider_id: string | null;
  failure_code: string | null;
  failure_message: string | null;
  created_at: string;
  updated_at: string;
}

/** The order's money from the ledger, all fen. */
export interface EscrowFunds {
  held: number;
  types: { amount_type: string; label: string; due: number; paid: number; late_paid: number }[];
  payable_landlord: number;
  refund_buyer: number;
  released: number;
  refunded: number;
  fee_taken: number;
}

/** Where a party's acceptance of the invitation stands. */
export const PARTY_DECISION_LABELS = {
  pending: '待应约',
  accepted: '已接受',
  declined: '已拒绝',
} as const;
export type PartyDecision = keyof typeof PARTY_DECISION_LABELS;

/** A party of the invitation as staff see them: masked by the server, shown as sent. */
export interface EscrowParty {
  role: 'buyer' | 'landlord';
  /** 买方 / 房东 */
  role_label: string;
  name: string;
  id_card_masked: string;
  phone_masked: string;
  decision: PartyDecision;
  /** Beijing time of the acceptance or refusal; null while pending. */
  decided_at: string | null;
  decline_reason: string | null;
}

export interface EscrowOrder {
  house_order_no: string;
  template_id: string;
  state: EscrowState;
  state_label: string;
  service_fee_amount: number;
  /** Buyers first, then landlords, each in the invitation's order. */
  parties: EscrowParty[];
  funds: EscrowFunds;
  releases: EscrowRelease[];
  payouts: EscrowPayout[];
}

/** GET /api/escrow-orders/:house_order_no (escrow role): refused in the envelope for an unknown order. */
export const escrowOrder = (houseOrderNo: string) =>
  apiGet<EscrowOrder>(`/api/escrow-orders/${encodeURIComponent(houseOrderNo)}`);

export interface ReleaseRequest {
  kind: ReleaseKind;
  /** fen */
  amount: number;
  reason: string;
  /** A refund's payee: the buyer's card and bank. */
  payee_card_no?: string;
  payee_bank?: string;
}

/** The maker asks; nothing moves until another escrow member approves. */
export const requestRelease = (houseOrderNo: string, body: ReleaseRequest) =>
  apiPost<EscrowRelease>(`/api/escrow-orders/${encodeURIComponent(houseOrderNo)}/releases`, body);

/**
 * The checker approves: the money moves and the payout runs. The maker's own approval is refused
 * with 403 (申请人不能审批自己的申请…), which the page says (a refused move is the page's to show).
 */
export const approveRelease = (id: number) =>
  apiPost<{ release: EscrowRelease; payout: EscrowPayout }>(`/api/escrow-releases/${id}/approve`);

/** A request in the checkers' queue: which order it moves money from, and whether the reader made it. */
export interface QueuedRelease extends EscrowRelease {
  house_order_no: string;
  /** The reader asked for it: the server refuses their approval or rejection. */
  mine: boolean;
}

export interface ReleaseQueueFilter {
  /** requested unless given (oldest first); approved and rejected come newest first. */
  state?: ReleaseState;
  page?: number;
  page_size?: number;
}

/** GET /api/escrow-releases: one state's requests across every order, paged with the count. */
export const releaseQueue = (filter: ReleaseQueueFilter) =>
  apiGet<{ total: number; page: number; page_size: number; page_count: number; releases: QueuedRelease[] }>(
    '/api/escrow-releases',
    { ...filter },
  );

export const rejectRelease = (id: number, reason: string) =>
  apiPost<EscrowRelease>(`/api/escrow-releases/${id}/reject`, { reason });

/** A failed payout tried again under a new attempt number (paid at most once). */
export const retryPayout = (id: number) => apiPost<EscrowPayout>(`/api/escrow-payouts/${id}/retry`);

export interface EscrowIsv {
  id: number;
  app_key: string;
  methods: '*' | string[];
  store_ids: '*' | number[];
  callback_url: string | null;
  active: boolean;
  created_at: string;
}

/** Admin: the ISVs, never their secrets. */
export const escrowIsvs = () => apiGet<{ isvs: EscrowIsv[] }>('/api/escrow-isvs');

export interface IsvInput {
  app_key: string;
  secret: string;
  methods: '*' | string[];
  store_ids: '*' | number[];
  callback_url?: string;
}
export const addEscrowIsv = (isv: IsvInput) =>
  apiPost<{ id: number; app_key: string }>('/api/escrow-isvs', isv);

export const NOTIFICATION_STATUS_LABELS = { pending: '待发送', delivered: '已送达', dead: '已放弃' } as const;
export type NotificationStatus = keyof typeof NOTIFICATION_STATUS_LABELS;

export interface EscrowNotification {
  id: number;
  notify_id: string;
  house_order_no: string;
  event: string;
  state: string;
  data: Record<string, string | number | boolean | null>;
  status: NotificationStatus;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

/** Admin: a page of the notifications to the ISVs, newest first (the newest 100 without a page). */
export const escrowNotifications = (status?: NotificationStatus, page: LogPage = {}) =>
  apiGet<{ notifications: EscrowNotification[] } & NextPage>('/api/escrow-notifications', {
    status,
    ...page,
  });
