import { createHash, createHmac } from 'node:crypto';

/**
 * Aliyun OpenAPI request signatures, for the sandbox to check what the SDK sends and for the
 * tests to pin against Aliyun's published examples.
 *
 * - RPC v1 (SignatureVersion 1.0, HMAC-SHA1): StringToSign = METHOD&%2F&enc(sorted canonical query),
 *   Signature = base64(HMAC-SHA1(secret + '&', StringToSign)).
 * - V3 (ACS3-HMAC-SHA256), what @alicloud/dysmsapi20170525 4.x sends: CanonicalRequest =
 *   METHOD\nURI\nsorted query\ncanonical headers\nsigned headers\nhex sha256(body); StringToSign =
 *   'ACS3-HMAC-SHA256\n' + hex sha256(CanonicalRequest); Signature = hex HMAC-SHA256(secret, StringToSign).
 */

/** RFC 3986 encoding as Aliyun wants it: encodeURIComponent plus ! ' ( ) *, with ~ left alone. */
export function aliyunPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function canonicalQuery(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .sort()
    .map((key) => `${aliyunPercentEncode(key)}=${aliyunPercentEncode(params[key] ?? '')}`)
    .join('&');
}

export function aliyunRpcStringToSign(method: string, params: Readonly<Record<string, string>>): string {
  const { Signature: _ignored, ...rest } = params;
  return `${method.toUpperCase()}&${aliyunPercentEncode('/')}&${aliyunPercentEncode(canonicalQuery(rest))}`;
}

export function aliyunRpcSignature(
  method: string,
  params: Readonly<Record<string, string>>,
  accessKeySecret: string,
): string {
  return createHmac('sha1', `${accessKeySecret}&`)
    .update(aliyunRpcStringToSign(method, params))
    .digest('base64');
}

export interface Acs3Request {
  method: string;
  /** The path, '/' for RPC-style APIs. */
  pathname: string;
  /** Decoded query parameters. */
  query: Readonly<Record<string, string>>;
  /** Header values by lower-case name; only those named in signedHeaders are used. */
  headers: Readonly<Record<string, string>>;
  /** Lower-case header names, ';'-joined order is the sorted order. */
  signedHeaders: readonly string[];
  /** Hex SHA-256 of the body (x-acs-content-sha256). */
  hashedPayload: string;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function acs3CanonicalRequest(request: Acs3Request): string {
  const signed = [...request.signedHeaders].map((h) => h.toLowerCase()).sort();
  const headers = signed.map((h) => `${h}:${(request.headers[h] ?? '').trim()}\n`).join('');
  const uri = request.pathname === '' ? '/' : request.pathname;
  return [
    request.method.toUpperCase(),
    uri,
    canonicalQuery(request.query),
    headers,
    signed.join(';'),
    request.hashedPayload,
  ].join('\n');
}

export function acs3StringToSign(request: Acs3Request): string {
  return `ACS3-HMAC-SHA256\n${sha256Hex(acs3CanonicalRequest(request))}`;
}

export function acs3Signature(request: Acs3Request, accessKeySecret: string): string {
  return createHmac('sha256', accessKeySecret).update(acs3StringToSign(request)).digest('hex');
}

export function acs3Authorization(
  request: Acs3Request,
  accessKeyId: string,
  accessKeySecret: string,
): string {
  const signed = [...request.signedHeaders].map((h) => h.toLowerCase()).sort();
  return `ACS3-HMAC-SHA256 Credential=${accessKeyId},SignedHeaders=${signed.join(';')},Signature=${acs3Signature(request, accessKeySecret)}`;
}
