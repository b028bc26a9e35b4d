import { createHash, createHmac } from 'node:crypto';

/** The signature methods TOP accepts in `sign_method`; absent means `md5`. */
export const TOP_SIGN_METHODS = ['md5', 'hmac', 'hmac-sha256'] as const;
export type TopSignMethod = (typeof TOP_SIGN_METHODS)[number];

export function isTopSignMethod(value: string): value is TopSignMethod {
  return (TOP_SIGN_METHODS as readonly string[]).includes(value);
}

/**
 * TOP's request signature (family 3): every parameter except `sign` and those with an empty
 * value, sorted by name in plain code-unit order, concatenated `k1v1k2v2…` without separators.
 * `md5` is MD5(secret + s + secret); `hmac` is HMAC-MD5 keyed with the secret over s;
 * `hmac-sha256` is HMAC-SHA256 likewise. UTF-8 throughout; uppercase hex out.
 */
export function topSign(params: Record<string, string>, secret: string, method: TopSignMethod): string {
  const names = Object.keys(params)
    .filter((name) => name !== 'sign' && params[name] !== '')
    // Default sort compares UTF-16 code units, as Java's TreeMap<String,…> does in TOP's SDKs.
    .sort();
  let s = '';
  for (const name of names) s += name + params[name];
  switch (method) {
    case 'md5':
      return createHash('md5')
        .update(secret + s + secret, 'utf8')
        .digest('hex')
        .toUpperCase();
    case 'hmac':
      return createHmac('md5', Buffer.from(secret, 'utf8')).update(s, 'utf8').digest('hex').toUpperCase();
    case 'hmac-sha256':
      return createHmac('sha256', Buffer.from(secret, 'utf8')).update(s, 'utf8').digest('hex').toUpperCase();
  }
}
