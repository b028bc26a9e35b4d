import { bindCardApplyBindCardCall } from './bind-card.apply-bind-card.call.js';
import { bindCardGetValidBankListCall } from './bind-card.get-valid-bank-list.call.js';
import type { PartnerCall } from './call.js';
import { userIsUserAcceptCall } from './user.is-user-accept.call.js';

export type { PartnerCall } from './call.js';

/** Every call the gateway answers, one file each, in the spec's order. */
export const PARTNER_CALL_LIST: readonly PartnerCall[] = [
  userIsUserAcceptCall,
  bindCardGetValidBankListCall,
  bindCardApplyBindCardCall,
];

/** The calls by the spec's `call` names; look up own properties only (`call=valueOf` is 1006). */
export const PARTNER_CALLS: Readonly<Record<string, PartnerCall>> = Object.fromEntries(
  PARTNER_CALL_LIST.map((call) => [call.name, call]),
);
