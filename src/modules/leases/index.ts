export { LEASE_FIELD_LABELS } from './lease-form.validation.js';
export { LEASE_STATUS } from './lease-state.js';
export {
  BOOKING_PURPOSE,
  bookLease,
  expireUnpaidLeases,
  INSTALLMENT_PURPOSE,
  LEASE_PAYMENT_HOOKS,
  type LeaseDeps,
  markOverdueLeases,
  type PayAnswer,
  payInstallment,
  readContract,
  readPaymentResult,
  renewalOptions,
  retireLease,
  saveLease,
} from './leases.service.js';
