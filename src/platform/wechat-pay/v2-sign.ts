import { createHash, createHmac } from 'node:crypto';
import { signaturesEqual } from '../../core/signing.js';

export type V2SignType = 'MD5' | 'HMAC-SHA256';

/**
 * WeChat Pay v2 signature: every non-empty parameter except `sign`, names sorted by ASCII,
 * `k=v` joined with `&` (raw values), then `&key=<API key>`; MD5 or HMAC-SHA256 keyed with the
 * API key; uppercase hex.
 */
export function signV2(
  params: Readonly<Record<string, string | number | undefined>>,
  key: string,
  type: V2SignType = 'MD5',
): string {
  const text = `${canonicalV2(params)}&key=${key}`;
  const digest =
    type === 'MD5' ? createHash('md5').update(text, 'utf8') : createHmac('sha256', key).update(text, 'utf8');
  return digest.digest('hex').toUpperCase();
}

export function canonicalV2(params: Readonly<Record<string, string | number | undefined>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== undefined && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

/**
 * Checks a received `sign` in constant time. Notifies often omit `sign_type`, so the length of
 * the signature decides: 64 hex is HMAC-SHA256, 32 is MD5.
 */
export function verifyV2(params: Readonly<Record<string, string | undefined>>, key: string): boolean {
  const given = params.sign ?? '';
  const type: V2SignType | undefined =
    params.sign_type === 'HMAC-SHA256' || given.length === 64
      ? 'HMAC-SHA256'
      : given.length === 32
        ? 'MD5'
        : undefined;
  if (!type) return false;
  return signaturesEqual(signV2(params, key, type), given.toUpperCase());
}
