import { createHash } from 'node:crypto';
import type { Pii } from '../../platform/pii.js';
import { sealIdCard, sealMobile } from '../../platform/pii-fields.js';

// Family 4's rule sits with the people it names: loan-orders seals it, partner imports it (no cycle).

/** md5(mobile + ID number) as the platform computes it. */
export function platformMd5(mobile: string, idCard: string): string {
  return createHash('md5')
    .update(mobile + idCard, 'utf8')
    .digest('hex');
}

/** The keyed hash of md5(mobile + ID number), the only way the marketplace names a person. */
export function personMatchHash(pii: Pii, md5OfMobileAndId: string): string {
  return pii.blindIndex(md5OfMobileAndId.toLowerCase(), 'md5_mobile_id');
}

/** A person's mobile and ID number as stored: both sealed, plus the marketplace match hash. */
export function sealPerson(pii: Pii, mobile: string, idCard: string) {
  return {
    ...sealMobile(pii, mobile),
    ...sealIdCard(pii, idCard),
    md5_hash: personMatchHash(pii, platformMd5(mobile, idCard)),
  };
}
