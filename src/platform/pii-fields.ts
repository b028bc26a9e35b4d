import { maskMobile } from '../core/mobile.js';
import type { Pii } from './pii.js';

/**
 * A mobile as it is stored: encrypted, a keyed hash for exact lookups, and the masked form
 * lists show (last three digits hidden), so a list page needs no decryption.
 */
export function sealMobile(pii: Pii, mobile: string) {
  return {
    mobile_enc: pii.encrypt(mobile),
    mobile_hash: mobileHash(pii, mobile),
    mobile_masked: maskMobile(mobile),
  };
}

/** The keyed hashes that say whether a stored person has this mobile and ID number. */
export function personIdentity(pii: Pii, mobile: string, idCard: string) {
  return { mobile_hash: mobileHash(pii, mobile), id_card_hash: idCardHash(pii, idCard) };
}

/** An ID number as it is stored: encrypted, with a keyed hash for exact lookups. */
export function sealIdCard(pii: Pii, idCard: string) {
  return { id_card_enc: pii.encrypt(idCard), id_card_hash: idCardHash(pii, idCard) };
}

// One definition each: a re-save recognises a stored person only if these match the sealed ones.
function mobileHash(pii: Pii, mobile: string): string {
  return pii.blindIndex(mobile, 'mobile');
}

function idCardHash(pii: Pii, idCard: string): string {
  return pii.blindIndex(idCard, 'id_card');
}
