/**
 * created → paid | failed | closed, and failed | closed → credited. Paid and credited never move
 * again: a late or replayed notify can confirm what happened but never move a record backwards.
 * `credited` is money WeChat took for a payment we had already given up on (closed, failed, or
 * its subject paid some other way): it is not lost but credited to the payer by the purpose.
 */
export const PAYMENT_STATUSES = ['created', 'paid', 'failed', 'closed', 'credited'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** `deposit` is money the platform already holds for the payer, used instead of WeChat. */
export const PAYMENT_CHANNELS = ['wechat_app', 'wechat_jsapi', 'deposit'] as const;
export type PaymentChannel = (typeof PAYMENT_CHANNELS)[number];

export function isFinal(status: PaymentStatus): boolean {
  return status !== 'created';
}

/** Money was received for it: nothing moves it any more. */
export function isSettledWithMoney(status: PaymentStatus): boolean {
  return status === 'paid' || status === 'credited';
}
