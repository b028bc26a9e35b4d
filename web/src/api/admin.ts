import { apiDelete, apiGet, apiPatch, apiPost, apiPut } from './client';
import type { LogPage, NextPage } from './log-page';

/**
 * The admin's calls (staff accounts, family 4's partners, admission rules, blacklist, callback
 * outbox, text messages), typed from src/dialects/mianqian/views.ts and the route schemas.
 * Labels of the server's forms (src/dialects/mianqian/back-office-labels.ts) cannot be imported
 * here: that file pulls the loan module in with them, so the pages name their fields themselves.
 */

/** ManagedStaffAccount. */
export interface StaffAccount {
  id: number;
  username: string;
  displayName: string;
  roles: string[];
  disabled: boolean;
}

export interface NewStaff {
  username: string;
  password: string;
  display_name?: string;
  roles: string[];
}

export const staffAccounts = () => apiGet<{ staff: StaffAccount[] }>('/api/staff');

/** POST /api/staff; a refused field (用户名已存在, an unknown role) comes back on its field. */
export const createStaff = (account: NewStaff) =>
  apiPost<Omit<StaffAccount, 'disabled'>>('/api/staff', account);

/** What PATCH /api/staff/:id takes: only the fields sent change; `disabled` 1 停用, 0 启用. */
export interface StaffChange {
  display_name?: string;
  roles?: string[];
  disabled?: 0 | 1;
}

/**
 * PATCH /api/staff/:id; answers the account as it now stands. The server refuses an admin
 * disabling their own account or dropping their own admin role, on that field.
 */
export const updateStaff = (id: number, change: StaffChange) =>
  apiPatch<StaffAccount>(`/api/staff/${id}`, change);

/** PartnerView: `calls` is `*` or the granted calls joined by commas; keys are never shown. */
export interface Partner {
  id: number;
  ua: string;
  calls: string;
  callback_url: string | null;
  disabled: number;
  /** Epoch ms. */
  created_at: number;
}

export interface NewPartner {
  ua: string;
  signkey: string;
  calls: '*' | string[];
  callback_url?: string;
}

export const partners = () => apiGet<{ partners: Partner[] }>('/api/partners');

export const createPartner = (partner: NewPartner) =>
  apiPost<{ id: number; ua: string }>('/api/partners', partner);

/** The calls family 4's gateway answers (src/dialects/partner/calls/), for granting them. */
export const PARTNER_CALL_NAMES = [
  'User.isUserAccept',
  'BindCard.getValidBankList',
  'BindCard.applyBindCard',
] as const;

/** One gateway call in a partner's log: never its arguments. */
export interface PartnerCall {
  id: number;
  call: string;
  /** The gateway's status, 1 success. */
  status: number;
  result: string | null;
  message: string;
  /** Epoch ms. */
  created_at: number;
}

export interface PartnerCallsPage {
  ua: string;
  total: number;
  page: number;
  page_size: number;
  page_count: number;
  calls: PartnerCall[];
}

/** GET /api/partners/:id/calls, newest first (page from 1, page_size ≤ 100). */
export const partnerCalls = (id: number, page: number, pageSize: number) =>
  apiGet<PartnerCallsPage>(`/api/partners/${id}/calls`, { page, page_size: pageSize });

/** PartnerRulesView: who the gateway admits and the product it offers (amounts in fen). */
export interface PartnerRules {
  min_age: number;
  max_age: number;
  refuse_days: number;
  allow_rebind: boolean;
  bind_sms: boolean;
  product: { amount: number; min_amount: number; terms: number[]; term_type: number; loan_mode: number };
}

export const partnerRules = () => apiGet<PartnerRules>('/api/partner-rules');

/**
 * PUT /api/partner-rules replaces every rule; answers what is now in force. Errors name the
 * product's fields `product.amount`, `product.terms` …
 */
export const savePartnerRules = (rules: PartnerRules) => apiPut<PartnerRules>('/api/partner-rules', rules);

/** A blacklisted person is kept as hashes: the list shows the reason only. */
export interface BlacklistEntry {
  id: number;
  reason: string;
  created_at: string;
}

export interface NewBlacklistEntry {
  id_card: string;
  mobile?: string;
  reason: string;
}

/** A page of the blacklist, newest first (the newest 500 without a page); the export has it all. */
export const blacklist = (page: LogPage = {}) =>
  apiGet<{ entries: BlacklistEntry[] } & NextPage>('/api/partner-blacklist', { ...page });

export const addToBlacklist = (entry: NewBlacklistEntry) => apiPost<null>('/api/partner-blacklist', entry);

/** DELETE /api/partner-blacklist/:id: the person is judged as anyone again (audited). */
export const removeFromBlacklist = (id: number) => apiDelete<null>(`/api/partner-blacklist/${id}`);

export const BLACKLIST_EXPORT_PATH = '/api/partner-blacklist/export.csv';
export const STAFF_EXPORT_PATH = '/api/staff/export.csv';
export const PARTNERS_EXPORT_PATH = '/api/partners/export.csv';
export const partnerCallsExportPath = (id: number) => `/api/partners/${id}/calls/export.csv`;
export const SMS_EXPORT_PATH = '/api/sms-messages/export.csv';

export const CALLBACK_STATUS_LABELS = { pending: '待发送', delivered: '已送达', dead: '已放弃' } as const;
export type CallbackStatus = keyof typeof CALLBACK_STATUS_LABELS;

/** PartnerCallbackView: times in Beijing time. */
export interface PartnerCallback {
  id: number;
  ua: string;
  call: string;
  args: unknown;
  dedupe_key: string;
  status: CallbackStatus;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

export const CALLBACKS_EXPORT_PATH = '/api/partner-callbacks/export.csv';

/** A page of callbacks, newest first (the newest 100 without a page); the export has them all. */
export const partnerCallbacks = (status?: CallbackStatus, page: LogPage = {}) =>
  apiGet<{ callbacks: PartnerCallback[] } & NextPage>('/api/partner-callbacks', {
    status,
    ...page,
  });

/** Only a callback already tried (failed or given up) can be retried; a delivered one never. */
export const mayRetry = (callback: Pick<PartnerCallback, 'status' | 'attempts'>): boolean =>
  callback.status !== 'delivered' && callback.attempts > 0;

/** POST /api/partner-callbacks/:id/retry: due again now; answers the callback as it now stands. */
export const retryCallback = (id: number) => apiPost<PartnerCallback>(`/api/partner-callbacks/${id}/retry`);

export const SMS_STATUS_LABELS = {
  sending: '发送中',
  sent: '已发送',
  failed: '发送失败',
  delivered: '已送达',
  undelivered: '未送达',
} as const;
export type SmsStatus = keyof typeof SMS_STATUS_LABELS;

export interface SmsMessage {
  id: number;
  purpose: string;
  phone_masked: string;
  provider: string;
  template_id: string;
  provider_id: string | null;
  status: SmsStatus;
  error_code: string | null;
  error_message: string | null;
  created_at: string;
  updated_at: string;
}

/** A page of text messages, newest first, phones masked; statuses any of those given. */
export const smsMessages = (statuses: readonly SmsStatus[] = [], page: LogPage = {}) =>
  apiGet<{ messages: SmsMessage[] } & NextPage>('/api/sms-messages', {
    status: statuses.join(','),
    ...page,
  });
