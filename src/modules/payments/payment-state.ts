/**
 * created → paid | failed | closed. A final state never moves again: a late or replayed notify
 * can confirm what happened but never move a record backwards.
 */
export const PAYMENT_STATUSES = ['created', 'paid', 'failed', 'closed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** `deposit` is money the platform already holds for the payer, used instead of WeChat. */
export const PAYMENT_CHANNELS = ['wechat_app', 'wechat_jsapi', 'deposit'] as const;
export type PaymentChannel = (typeof PAYMENT_CHANNELS)[number];

export function isFinal(status: PaymentStatus): boolean {
  return status !== 'created';
}
