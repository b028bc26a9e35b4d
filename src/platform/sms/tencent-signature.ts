import { createHmac } from 'node:crypto';
import { sha256Hex } from './aliyun-signature.js';

/**
 * Tencent Cloud API 3.0 signature TC3-HMAC-SHA256, for the sandbox to check what
 * tencentcloud-sdk-nodejs sends and for the tests to pin against Tencent's published example.
 *
 * CanonicalRequest = METHOD\nURI\nQUERY\ncanonical headers\nsigned headers\nhex sha256(payload)
 * StringToSign = 'TC3-HMAC-SHA256\n' + timestamp + '\n' + date/service/tc3_request + '\n' + hex sha256(CanonicalRequest)
 * key = HMAC(HMAC(HMAC('TC3' + SecretKey, date), service), 'tc3_request'); Signature = hex HMAC(key, StringToSign)
 */

export interface Tc3Request {
  method: string;
  pathname: string;
  /** The raw query string without '?', '' for POST. */
  query: string;
  /** Header values by lower-case name, for the names in signedHeaders. */
  headers: Readonly<Record<string, string>>;
  signedHeaders: readonly string[];
  payload: string | Buffer;
}

/** UTC date of a Unix timestamp in seconds, YYYY-MM-DD, as the credential scope wants it. */
export function tc3Date(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

export function tc3CanonicalRequest(request: Tc3Request): string {
  const headers = request.signedHeaders
    .map((h) => `${h.toLowerCase()}:${(request.headers[h.toLowerCase()] ?? '').trim().toLowerCase()}\n`)
    .join('');
  return [
    request.method.toUpperCase(),
    request.pathname,
    request.query,
    headers,
    request.signedHeaders.map((h) => h.toLowerCase()).join(';'),
    sha256Hex(request.payload),
  ].join('\n');
}

export function tc3StringToSign(canonicalRequest: string, timestamp: number, service: string): string {
  return `TC3-HMAC-SHA256\n${timestamp}\n${tc3Date(timestamp)}/${service}/tc3_request\n${sha256Hex(canonicalRequest)}`;
}

export function tc3Signature(
  secretKey: string,
  canonicalRequest: string,
  timestamp: number,
  service: string,
): string {
  const date = createHmac('sha256', `TC3${secretKey}`).update(tc3Date(timestamp)).digest();
  const svc = createHmac('sha256', date).update(service).digest();
  const signing = createHmac('sha256', svc).update('tc3_request').digest();
  return createHmac('sha256', signing)
    .update(tc3StringToSign(canonicalRequest, timestamp, service))
    .digest('hex');
}

export interface Tc3Authorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses `TC3-HMAC-SHA256 Credential=id/date/service/tc3_request, SignedHeaders=a;b, Signature=hex`. */
export function parseTc3Authorization(header: string): Tc3Authorization | null {
  const m =
    /^TC3-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{4}-\d{2}-\d{2})\/([^/,\s]+)\/tc3_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/.exec(
      header.trim(),
    );
  if (!m) return null;
  return {
    secretId: m[1]!,
    date: m[2]!,
    service: m[3]!,
    signedHeaders: m[4]!.split(';'),
    signature: m[5]!,
  };
}
