export { BANKS, type Bank, bankIcon, bankOfCard, findBank } from './bank-catalog.js';
export {
  createPartner,
  findPartner,
  forgetOldSignatures,
  listPartners,
  logPartnerCall,
  PARTNER_CLOCK_SKEW_MS,
  type Partner,
  rememberSignature,
} from './partners.service.js';
