export { createEscrowModule, type EscrowModule, type EscrowModuleDeps } from './escrow.module.js';
export {
  type DecisionInput,
  ESCROW_SMS_PURPOSE,
  TOKEN_LIFETIME_AFTER_DEADLINE_MS,
} from './escrow-acceptance.service.js';
export {
  AMOUNT_TYPE_FIELDS,
  AMOUNT_TYPE_LABELS,
  type AmountType,
  ESCROW_ACCOUNTS,
  ESCROW_FUND_PURPOSE,
  ESCROW_KEYS,
  ESCROW_PAYMENT_HOOKS,
  type FundStatus,
  heldAccount,
  payableAccount,
} from './escrow-funds.service.js';
export {
  PAYOUT_STATES,
  type PayoutState,
  RELEASE_KINDS,
  RELEASE_STATES,
  type ReleaseKind,
  type ReleaseState,
} from './escrow-funds.table.js';
export {
  createIsv,
  type EscrowIsv,
  findIsv,
  type IsvCall,
  isvCallLog,
  isvMayActFor,
  isvMayCall,
  isvSignatures,
  listEscrowIsvs,
  type NewEscrowIsv,
} from './escrow-isvs.service.js';
export {
  deliverEscrowNotifications,
  ESCROW_NOTIFY_METHOD,
  ESCROW_NOTIFY_SUCCESS,
  type EscrowNotifyTransport,
  httpEscrowNotifyTransport,
  isEscrowNotifyStatus,
  listEscrowNotifications,
  notificationForm,
} from './escrow-notifications.service.js';
export {
  ESCROW_NOTIFY_EVENTS,
  ESCROW_NOTIFY_STATUSES,
  type EscrowNotifyEvent,
  type EscrowNotifyStatus,
} from './escrow-notifications.table.js';
export {
  acceptanceUrl,
  closeOverdueInvitations,
  type IsvSignature,
  type OperateAnswer,
} from './escrow-orders.service.js';
export {
  PAYOUT_CLAIM_MS,
  providerPayoutNo,
  RELEASE_KIND_LABELS,
  type ReleaseRequestInput,
  requireEscrowRole,
  resumeStuckPayouts,
} from './escrow-payouts.service.js';
export {
  DEPOSITORY_AMOUNT_TYPES,
  type EscrowRequest,
  SERVICE_TYPES,
  SIGN_OVER_TIME_HOURS,
  TEMPLATE_IDS,
} from './escrow-request.validation.js';
export {
  ESCROW_PARTY_ROLES,
  ESCROW_STATE_LABELS,
  ESCROW_STATES,
  type EscrowPartyRole,
  type EscrowState,
  effectiveState,
} from './escrow-state.js';
export type { EscrowPublicTerms } from './escrow-terms.js';
