import { createCipheriv, createDecipheriv, type KeyObject, sign, verify } from 'node:crypto';

/** WeChat Pay API v3: RSA-SHA256 signatures and AEAD_AES_256_GCM notify resources. */
export type KeyInput = string | KeyObject;

const MAX_CLOCK_SKEW_S = 300;

/** Every part followed by a newline, the message shape all v3 signatures cover. */
export function v3SignatureMessage(parts: readonly string[]): string {
  return parts.map((part) => `${part}\n`).join('');
}

function rsaSign(message: string, privateKey: KeyInput): string {
  return sign('sha256', Buffer.from(message, 'utf8'), privateKey).toString('base64');
}

function rsaVerify(message: string, signature: string, publicKey: KeyInput): boolean {
  try {
    return verify('sha256', Buffer.from(message, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

function fresh(timestamp: string, nowSeconds: number): boolean {
  return /^\d{1,12}$/.test(timestamp) && Math.abs(nowSeconds - Number(timestamp)) <= MAX_CLOCK_SKEW_S;
}

/** The `Authorization` header of a merchant request: `METHOD\nPATH?QUERY\ntimestamp\nnonce\nbody\n`. */
export function v3AuthorizationHeader(input: {
  mchId: string;
  serialNo: string;
  method: string;
  pathWithQuery: string;
  body: string;
  timestamp: number;
  nonce: string;
  privateKey: KeyInput;
}): string {
  const signature = rsaSign(
    v3SignatureMessage([input.method, input.pathWithQuery, String(input.timestamp), input.nonce, input.body]),
    input.privateKey,
  );
  return `WECHATPAY2-SHA256-RSA2048 mchid="${input.mchId}",nonce_str="${input.nonce}",signature="${signature}",timestamp="${input.timestamp}",serial_no="${input.serialNo}"`;
}

/** What the sandbox (as WeChat) reads from a merchant's Authorization header. */
export function parseV3AuthorizationHeader(header: string) {
  const match = /^WECHATPAY2-SHA256-RSA2048 (.+)$/.exec(header);
  if (!match) return null;
  const fields = Object.fromEntries([...match[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
  const { mchid, nonce_str, signature, timestamp, serial_no } = fields;
  if (!mchid || !nonce_str || !signature || !timestamp || !serial_no) return null;
  return { mchid, nonce_str, signature, timestamp, serial_no };
}

export function verifyV3Request(input: {
  header: string;
  method: string;
  pathWithQuery: string;
  body: string;
  publicKey: KeyInput;
  nowSeconds: number;
}): boolean {
  const auth = parseV3AuthorizationHeader(input.header);
  if (!auth || !fresh(auth.timestamp, input.nowSeconds)) return false;
  const message = v3SignatureMessage([
    input.method,
    input.pathWithQuery,
    auth.timestamp,
    auth.nonce_str,
    input.body,
  ]);
  return rsaVerify(message, auth.signature, input.publicKey);
}

/** WeChat's own signature on an answer or a notify (`Wechatpay-Signature`). */
export function signV3Response(input: {
  timestamp: number;
  nonce: string;
  body: string;
  privateKey: KeyInput;
}): string {
  return rsaSign(v3SignatureMessage([String(input.timestamp), input.nonce, input.body]), input.privateKey);
}

/**
 * Checks `Wechatpay-Signature` over `Wechatpay-Timestamp\nWechatpay-Nonce\nbody\n` with the
 * platform key, refusing timestamps more than 300 s away. Never throws.
 */
export function verifyV3Response(input: {
  timestamp: string;
  nonce: string;
  body: string;
  signature: string;
  publicKey: KeyInput;
  nowSeconds: number;
}): boolean {
  if (!fresh(input.timestamp, input.nowSeconds)) return false;
  return rsaVerify(
    v3SignatureMessage([input.timestamp, input.nonce, input.body]),
    input.signature,
    input.publicKey,
  );
}

export interface V3Resource {
  algorithm?: string;
  ciphertext: string;
  nonce: string;
  associated_data?: string;
}

function gcmKey(apiV3Key: string): Buffer {
  const key = Buffer.from(apiV3Key, 'utf8');
  if (key.length !== 32) throw new Error('wechat v3: cannot decrypt notify resource');
  return key;
}

/** The encrypted `resource` of a notify, as WeChat (the sandbox) builds it. */
export function encryptV3Resource(input: {
  plaintext: string;
  apiV3Key: string;
  nonce: string;
  associatedData: string;
}) {
  const cipher = createCipheriv('aes-256-gcm', gcmKey(input.apiV3Key), Buffer.from(input.nonce, 'utf8'));
  cipher.setAAD(Buffer.from(input.associatedData, 'utf8'));
  const ciphertext = Buffer.concat([
    cipher.update(input.plaintext, 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return {
    algorithm: 'AEAD_AES_256_GCM' as const,
    ciphertext: ciphertext.toString('base64'),
    nonce: input.nonce,
    associated_data: input.associatedData,
    original_type: 'transaction' as const,
  };
}

/** AEAD_AES_256_GCM: key = APIv3 key, IV = nonce, AAD = associated_data, ciphertext ‖ 16-byte tag. */
export function decryptV3Resource(resource: V3Resource, apiV3Key: string): string {
  try {
    if (resource.algorithm !== undefined && resource.algorithm !== 'AEAD_AES_256_GCM')
      throw new Error('algorithm');
    const data = Buffer.from(resource.ciphertext, 'base64');
    if (data.length < 17) throw new Error('short');
    const decipher = createDecipheriv('aes-256-gcm', gcmKey(apiV3Key), Buffer.from(resource.nonce, 'utf8'));
    decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new Error('wechat v3: cannot decrypt notify resource');
  }
}

/** The JSAPI page parameters: paySign over `appId\ntimeStamp\nnonceStr\npackage\n`. */
export function jsapiPayParams(input: {
  appId: string;
  prepayId: string;
  timestamp: number;
  nonce: string;
  privateKey: KeyInput;
}) {
  const timeStamp = String(input.timestamp);
  const pkg = `prepay_id=${input.prepayId}`;
  return {
    appId: input.appId,
    timeStamp,
    nonceStr: input.nonce,
    package: pkg,
    signType: 'RSA' as const,
    paySign: rsaSign(v3SignatureMessage([input.appId, timeStamp, input.nonce, pkg]), input.privateKey),
  };
}
