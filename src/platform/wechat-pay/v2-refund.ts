import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { parseV2Xml, toV2Xml } from './v2-xml.js';

/**
 * A v2 refund notify carries no signature: its `req_info` is the refund's fields as XML
 * (`<root>…</root>`), encrypted with AES-256-ECB (PKCS#7) under the key MD5(API key) in lowercase
 * hex, base64. Only the merchant knows the API key, so decrypting it is what authenticates it.
 */
function refundKey(apiKey: string): Buffer {
  return Buffer.from(createHash('md5').update(apiKey, 'utf8').digest('hex'), 'utf8');
}

/** The refund fields of a req_info, or null when it does not decrypt to a flat XML message. */
export function decryptRefundReqInfo(reqInfo: string, apiKey: string): Record<string, string> | null {
  try {
    const decipher = createDecipheriv('aes-256-ecb', refundKey(apiKey), null);
    const text = Buffer.concat([decipher.update(Buffer.from(reqInfo, 'base64')), decipher.final()]).toString(
      'utf8',
    );
    return parseV2Xml(text.replace(/^\s*<root>/, '<xml>').replace(/<\/root>\s*$/, '</xml>'));
  } catch {
    return null;
  }
}

/** What WeChat (the sandbox) puts in req_info. */
export function encryptRefundReqInfo(fields: Record<string, string | undefined>, apiKey: string): string {
  const xml = toV2Xml(fields)
    .replace(/^<xml>/, '<root>')
    .replace(/<\/xml>$/, '</root>');
  const cipher = createCipheriv('aes-256-ecb', refundKey(apiKey), null);
  return Buffer.concat([cipher.update(xml, 'utf8'), cipher.final()]).toString('base64');
}
