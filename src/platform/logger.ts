import type { LoggerOptions } from 'pino';

/** Keys whose values are personal data or secrets and must never reach a log line. */
export const SENSITIVE_KEYS: readonly string[] = Object.freeze([
  'password',
  'token',
  'id_card',
  'link_id_card',
  'link2_id_card',
  'mobile',
  'link_mobile',
  'link2_mobile',
  'u_mobile',
  'user_mobile',
  'customer_mobile',
  'emergency_mobile',
  'card_no',
  'bank_card',
  'card_phone',
  'user_idcard',
  'user_phone',
  'verify_code',
  'signkey',
  'sign',
]);

const CENSOR = '[REDACTED]';
// Query keys arrive in whatever case the client sent.
const SENSITIVE_QUERY_KEYS = new Set(SENSITIVE_KEYS.map((key) => key.toLowerCase()));

interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
  socket?: { remoteAddress?: string };
}

/** Options for Fastify's `logger` option (Fastify 5 accepts pino options). */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        ...SENSITIVE_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
      ],
      censor: CENSOR,
    },
    serializers: {
      // Fastify logs req.url, and legacy clients put ID numbers and mobiles in query strings.
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: req.url === undefined ? undefined : maskQuery(req.url),
        remoteAddress: req.ip ?? req.socket?.remoteAddress,
      }),
    },
  };
}

function maskQuery(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((param) => {
      const eq = param.indexOf('=');
      const rawKey = eq === -1 ? param : param.slice(0, eq);
      return SENSITIVE_QUERY_KEYS.has(decodeKey(rawKey)) ? `${rawKey}=${CENSOR}` : param;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

function decodeKey(rawKey: string): string {
  // Clients may percent-encode keys (id%5Fcard) or use PHP-style array keys (id_card[]).
  let key = rawKey.replaceAll('+', ' ');
  try {
    key = decodeURIComponent(key);
  } catch {
    // A malformed escape is still matched on its raw spelling.
  }
  return key.replace(/\[\]$/, '').toLowerCase();
}
