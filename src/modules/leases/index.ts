export { expireUnpaidLeases, markOverdueLeases } from './lease.jobs.js';
export {
  LEASE_LIST_FIELDS,
  LEASE_MODE_LABELS,
  LEASE_STATUS_LABELS,
  type LeaseDetail,
  type LeaseSummary,
  leaseDetail,
  listLeases,
} from './lease-admin.service.js';
export { readContract } from './lease-contract.service.js';
export type { LeaseDeps } from './lease-deps.js';
export {
  LEASE_CONTRACT_FIELDS,
  LEASE_FIELD_LABELS,
  LEASE_ID_FIELDS,
  LEASE_PAY_FIELDS,
  type LeaseField,
  TENANT_LOGIN_FIELDS,
} from './lease-form.validation.js';
export { renewalOptions, retireLease, saveLease } from './lease-order.service.js';
export {
  BOOKING_PURPOSE,
  bookLease,
  INSTALLMENT_PURPOSE,
  LEASE_PAYMENT_HOOKS,
  type PayAnswer,
  payInstallment,
  readPaymentResult,
} from './lease-payment.service.js';
export { completeRetirement, refundHoldKey, settleDepositRefund } from './lease-retirement.service.js';
export { LEASE_STATUS } from './lease-state.js';
export { createLeasesModule, type LeasesModule, type PayContext } from './leases.module.js';
