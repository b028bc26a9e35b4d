import { LEASE_STATUS } from '../../../src/modules/leases/lease-state';
import type { PaymentChannel, PaymentStatus } from '../../../src/modules/payments/payment-state';
import type { RefundStatus } from '../../../src/modules/payments/refund.table';
import { apiGet, apiPost } from './client';

/**
 * A lease's states for the list's filter. Rows carry the server's own `status_label`; the server
 * keeps the table (LEASE_STATUS_LABELS) in a module the page cannot load, so it is repeated here
 * over the server's codes: a state the server adds fails the build.
 */
export const LEASE_STATUS_LABELS = {
  [LEASE_STATUS.unpaid]: '未支付',
  [LEASE_STATUS.paid]: '已支付(未入住)',
  [LEASE_STATUS.movedIn]: '已支付(已入住)',
  [LEASE_STATUS.renewed]: '已续租',
  [LEASE_STATUS.overdue]: '已逾期',
  [LEASE_STATUS.retiring]: '退租申请中',
  [LEASE_STATUS.retired]: '退租完成',
  [LEASE_STATUS.expired]: '已失效',
} as const satisfies Record<(typeof LEASE_STATUS)[keyof typeof LEASE_STATUS], string>;

export const PAYMENT_STATUS_LABELS = {
  created: '待支付',
  paid: '已支付',
  failed: '支付失败',
  closed: '已关闭',
  credited: '已转押金',
} as const satisfies Record<PaymentStatus, string>;

export const PAYMENT_CHANNEL_LABELS = {
  wechat_app: '微信APP',
  wechat_jsapi: '微信公众号',
  deposit: '押金抵扣',
} as const satisfies Record<PaymentChannel, string>;

export const PAYMENT_PURPOSE_LABELS: Record<string, string> = {
  lease_installment: '分期租金',
  lease_booking: '订金',
};

export const REFUND_STATE_LABELS = {
  requested: '退款中',
  succeeded: '已退款',
  failed: '退款失败',
} as const satisfies Record<RefundStatus, string>;

/** LeaseSummaryView: money in fen, times Beijing strings, the tenant's mobile masked. */
export interface Lease {
  id: number;
  tenant_id: number;
  tenant_mobile: string;
  t_name: string;
  h_address: string;
  mode: number;
  mode_label: string;
  status: number;
  status_label: string;
  booked: boolean;
  r_s_time: string;
  r_e_time: string;
  months: number;
  monthly_rent: number;
  rent_total: number;
  deposit_total: number;
  created_at: string;
  updated_at: string;
}

export interface LeaseFilter {
  status?: string;
  /** The tenant's whole login mobile (matched exactly). */
  mobile?: string;
  page?: number;
  page_size?: number;
}

export interface LeasePage {
  total: number;
  page: number;
  page_size: number;
  page_count: number;
  /** Over every match, not only this page. */
  totals: { rent_total: number; deposit_total: number };
  leases: Lease[];
}

/** GET /api/leases (admin): newest first. */
export const leases = (filter: LeaseFilter) => apiGet<LeasePage>('/api/leases', { ...filter });

export interface Installment {
  id: number;
  seq: number;
  rent_part: number;
  deposit_part: number;
  amount: number;
  due_date: string;
  paid: boolean;
  deposit_reserved: number;
  paid_at: string | null;
}

export interface LeasePayment {
  id: number;
  out_trade_no: string;
  purpose: string;
  subject_id: string;
  /** What WeChat was asked for; the part the held deposit paid is not in it. */
  amount: number;
  channel: PaymentChannel;
  status: PaymentStatus;
  paid_at: string | null;
  created_at: string;
}

export interface LeaseRefund {
  out_refund_no: string;
  payment_id: number;
  out_trade_no: string;
  amount: number;
  state: RefundStatus;
  reason: string;
  failure_reason: string | null;
  created_at: string;
  settled_at: string | null;
}

export interface LeaseDetail extends Lease {
  /** What the platform holds for the tenant now, over all their leases (fen). */
  deposit_held: number;
  installments: Installment[];
  payments: LeasePayment[];
  refunds: LeaseRefund[];
}

/** GET /api/leases/:id: 404 for an unknown lease. */
export const lease = (id: string) => apiGet<LeaseDetail>(`/api/leases/${encodeURIComponent(id)}`);

/** Only a lease 退租申请中 may complete its retirement. */
export const mayCompleteRetirement = (l: Pick<Lease, 'status'>) => l.status === LEASE_STATUS.retiring;

export interface Retired {
  id: number;
  status: number;
  status_label: string;
  /** The refunds this completion created (none while another lease of the tenant runs). */
  refunds: { out_refund_no: string; payment_id: number; amount: number; state: RefundStatus }[];
}

/** 5 → 6 and the deposit back through WeChat; 409 when the lease is not (or no longer) 退租申请中. */
export const completeRetirement = (id: number) => apiPost<Retired>(`/api/leases/${id}/complete-retirement`);

export interface Tenant {
  id: number;
  mobile: string;
  deposit_held: number;
  leases: number;
  /** epoch ms */
  created_at: number;
}

/** GET /api/tenants (admin): newest first, or one by their whole mobile. */
export const tenants = (filter: { mobile?: string; page?: number; page_size?: number }) =>
  apiGet<{ total: number; page: number; page_size: number; page_count: number; tenants: Tenant[] }>(
    '/api/tenants',
    {
      ...filter,
    },
  );
