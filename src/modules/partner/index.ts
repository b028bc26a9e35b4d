// The marketplace's md5 stays part of family 4's public API; the rule itself lives in loan-orders.
export { platformMd5 } from '../loan-orders/index.js';
export {
  type AdmissionRules,
  checkAdmission,
  DEFAULT_RULES,
  readRules,
  saveRules,
} from './admission.service.js';
export { BANKS, type Bank, bankIcon, bankOfCard, findBank } from './bank-catalog.js';
export { applyBindCard, BIND_FEEDBACK_CALL, type BindResult } from './bind-card.service.js';
export { addToBlacklist } from './blacklist.service.js';
export { removeFromBlacklist } from './blacklist-removal.service.js';
export {
  type CallbackTransport,
  deliverCallbacks,
  httpCallbackTransport,
} from './callback-delivery.service.js';
export { createPartnerModule, type PartnerModule } from './partner.module.js';
export { listPartners } from './partner.repository.js';
export type { PartnerCallRow } from './partner-calls.service.js';
export {
  createPartner,
  findPartner,
  forgetOldSignatures,
  PARTNER_CLOCK_SKEW_MS,
  type Partner,
  type PartnerCall,
  partnerCallLog,
  rememberSignature,
} from './partners.service.js';
