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

/**
 * Constant-time comparison of the signature (or digest, or code) we computed with the one given,
 * byte for byte: each rule's own spelling only (the partner gateway's lowercase hex, TOP's
 * uppercase), so another spelling of the right digest is a wrong signature. Only the length can
 * leak, and every right answer has the length of its digest.
 */
export function signaturesEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  // Compared against something of the right length either way, so a wrong length costs the same work.
  const same = timingSafeEqual(b.length === a.length ? b : a, a);
  return a.length === b.length && same;
}

/**
 * What the gateway remembers of an accepted `(ua, sign)`: 16 bytes however long either is, so a
 * month of signatures stays small. A collision could only refuse a call, never let one through.
 */
export function signatureDigest(ua: string, sign: string): Buffer {
  return createHash('sha256').update(`${ua}\n${sign}`, 'utf8').digest().subarray(0, 16);
}

/** The UTC day an accepted signature is filed under: remembered signatures are forgotten by whole days. */
export function signatureDay(ms: number): number {
  return Math.floor(ms / 86_400_000);
}
