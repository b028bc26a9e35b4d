import { maskMobile } from '../core/mobile.js';
import type { Pii } from './pii.js';

/**
 * A mobile as it is stored: encrypted, a keyed hash for exact lookups, and the masked form
 * lists show (last three digits hidden), so a list page needs no decryption.
 */
export function sealMobile(pii: Pii, mobile: string) {
  return {
    mobile_enc: pii.encrypt(mobile),
    mobile_hash: pii.blindIndex(mobile, 'mobile'),
    mobile_masked: maskMobile(mobile),
  };
}

/** An ID number as it is stored: encrypted, with a keyed hash for exact lookups. */
export function sealIdCard(pii: Pii, idCard: string) {
  return { id_card_enc: pii.encrypt(idCard), id_card_hash: pii.blindIndex(idCard, 'id_card') };
}
