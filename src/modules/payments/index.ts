export type { PaymentRow } from './payment.table.js';
export {
  PAYMENT_CHANNELS,
  PAYMENT_STATUSES,
  type PaymentChannel,
  type PaymentStatus,
} from './payment-state.js';
export { createPaymentsModule, type PaymentsModule } from './payments.module.js';
export {
  CloseAtWechatFirst,
  closeAtWechat,
  findOpenPayment,
  findPayment,
  handleWechatNotify,
  handleWechatV3Notify,
  openPayment,
  PAYMENT_TTL_MS,
  type PaymentDeps,
  type PaymentHook,
  payWithRetries,
  reconcilePayments,
  requestAppPay,
  requestJsapiPay,
  type Settlement,
  settlePayment,
} from './payments.service.js';
export {
  findRefund,
  handleRefundNotifyV2,
  handleRefundNotifyV3,
  listRefundSources,
  newRefundNo,
  type RefundOutcome,
  type RefundRequest,
  reconcileRefunds,
  refundableOf,
  requestRefund,
  sendRefund,
  settleRefund,
} from './refund.service.js';
export { REFUND_STATUSES, type RefundRow, type RefundStatus } from './refund.table.js';
