import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The marketplace gateway's signature (family 4): `signKey = ua + key + ua`,
 * `sign = md5(signKey + call + signKey + args + signKey)` in lowercase hex, over `args` exactly
 * as sent. Both directions sign the same way.
 */
export function partnerSign(ua: string, key: string, call: string, args: string): string {
  const signKey = ua + key + ua;
  return createHash('md5')
    .update(signKey + call + signKey + args + signKey, 'utf8')
    .digest('hex');
}

/** Constant-time comparison of two signatures (case-insensitive hex). */
export function signaturesEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected.toLowerCase());
  const b = Buffer.from(given.toLowerCase());
  return a.length === b.length && timingSafeEqual(a, b);
}
