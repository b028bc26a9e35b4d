import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';

/** One request of the scenario as the client saw it: what went out, what came back. */
export interface WireEntry {
  step: string;
  method: string;
  url: string;
  request?: unknown;
  status: number;
  contentType: string | null;
  location?: string;
  body: string;
}

/** JSON keys whose string values are random per run (tokens, nonces, WeChat ids and signatures). */
const RANDOM_KEYS: Readonly<Record<string, string>> = {
  token: 'token',
  prepayid: 'prepay-id',
  prepay_id: 'prepay-id',
  noncestr: 'nonce',
  nonce_str: 'nonce',
  sign: 'sign',
  paySign: 'pay-sign',
  out_trade_no: 'out-trade-no',
  transaction_id: 'transaction-id',
  // Family 3: TOP's request ids, the random half of an order number, the acceptance tokens.
  request_id: 'top-request-id',
  house_order_no: 'house-order-no',
  buyer_url: 'acceptance-url',
  landlord_url: 'acceptance-url',
  url: 'acceptance-url',
};
/** Request fields holding an SMS code: masked in the request summary only (6 digits may occur anywhere). */
const SMS_CODE_FIELDS = new Set(['code', 'verify_code', 'phoneCode']);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const ARGON2 = /\$argon2id?\$[^"\s]+/g;
const XML_FIELD = /<(\w+)>(?:<!\[CDATA\[)?([^<\]]*)(?:\]\]>)?<\/\1>/g;

export interface WireCall {
  method?: InjectOptions['method'];
  url: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON (the inject default), a string as is. */
  payload?: string | Record<string, unknown>;
  /** What to record instead of the payload and headers when they are random (a signed notify). */
  summary?: unknown;
}

/**
 * Drives an app with inject and records each exchange byte for byte; values random per run
 * are remembered as they appear and replaced everywhere by stable placeholders when the
 * recording is read, so everything else stays exactly as sent.
 */
export class WireRecorder {
  private readonly entries: WireEntry[] = [];
  private readonly placeholders = new Map<string, string>();
  private readonly counters = new Map<string, number>();
  /** (method, path) of every request, for the route coverage check. */
  readonly requested: Array<{ method: string; path: string }> = [];

  /** Remembers `value` as random: every occurrence reads `<kind-N>` in the recording. */
  secret(kind: string, value: string): string {
    const known = this.placeholders.get(value);
    if (known) return known;
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    const placeholder = `<${kind}-${n}>`;
    this.placeholders.set(value, placeholder);
    return placeholder;
  }

  async call(app: FastifyInstance, step: string, call: WireCall): Promise<LightMyRequestResponse> {
    const method = call.method ?? 'GET';
    const res = await app.inject({
      method,
      url: call.url,
      ...(call.headers ? { headers: call.headers } : {}),
      ...(call.payload !== undefined ? { payload: call.payload } : {}),
    });
    this.harvest(res.body);
    if (typeof call.payload === 'string') this.harvest(call.payload);
    const contentType = res.headers['content-type'];
    const location = res.headers.location;
    this.requested.push({ method, path: call.url.split('?')[0]! });
    this.entries.push({
      step,
      method,
      url: call.url,
      ...(requestSummary(call) === undefined ? {} : { request: requestSummary(call) }),
      status: res.statusCode,
      contentType: typeof contentType === 'string' ? contentType : null,
      ...(typeof location === 'string' ? { location } : {}),
      body: res.body,
    });
    return res;
  }

  /** The recording with every remembered random value replaced, longest first. */
  recording(): WireEntry[] {
    const values = [...this.placeholders.keys()].sort((a, b) => b.length - a.length);
    const mask = (text: string) => {
      let out = text;
      for (const value of values) out = out.split(value).join(this.placeholders.get(value)!);
      return out.replace(ARGON2, '<argon2-hash>');
    };
    return this.entries.map((entry) => JSON.parse(mask(JSON.stringify(entry))) as WireEntry);
  }

  /** Finds random values in a body (JSON keys, XML fields, UUIDs) and remembers them. */
  private harvest(text: string): void {
    for (const uuid of text.match(UUID) ?? []) this.secret('uuid', uuid);
    for (const [, key, value] of text.matchAll(XML_FIELD)) {
      const kind = RANDOM_KEYS[key!];
      if (kind && value) this.secret(kind, value);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) {
        for (const item of node) walk(item);
      } else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          const kind = Object.hasOwn(RANDOM_KEYS, key) ? RANDOM_KEYS[key] : undefined;
          if (kind && typeof value === 'string' && value) this.secret(kind, value);
          else walk(value);
        }
      } else if (typeof node === 'string' && node.startsWith('<xml>')) {
        this.harvest(node);
      }
    };
    walk(parsed);
  }
}

function maskSmsCodes(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k, SMS_CODE_FIELDS.has(k) && v ? '<sms-code>' : v]),
  );
}

function requestSummary(call: WireCall): unknown {
  const headers = call.headers && Object.keys(call.headers).length ? { headers: call.headers } : {};
  // A summarised request is random as a whole (a signed notify): only its content type is kept.
  if (call.summary !== undefined) {
    const contentType = call.headers?.['content-type'];
    return { ...(contentType ? { headers: { 'content-type': contentType } } : {}), payload: call.summary };
  }
  if (call.payload === undefined) return Object.keys(headers).length ? headers : undefined;
  const payload =
    typeof call.payload === 'string' ? call.payload : JSON.stringify(maskSmsCodes(call.payload));
  return { ...headers, payload };
}

/** The first `limit` entries that differ, each as the fields that differ. */
export function firstDifferences(expected: WireEntry[], actual: WireEntry[], limit = 3): string {
  const lines: string[] = [];
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n && lines.length < limit; i += 1) {
    const e = expected[i];
    const a = actual[i];
    if (JSON.stringify(e) === JSON.stringify(a)) continue;
    const fields = [...new Set([...Object.keys(e ?? {}), ...Object.keys(a ?? {})])].filter(
      (k) =>
        JSON.stringify((e as unknown as Record<string, unknown>)?.[k]) !==
        JSON.stringify((a as unknown as Record<string, unknown>)?.[k]),
    );
    const describe = (entry: WireEntry | undefined) =>
      entry ? `${entry.step}: ${entry.method} ${entry.url}` : '(no entry)';
    lines.push(
      [
        `#${i} expected ${describe(e)} / got ${describe(a)}`,
        ...fields.map(
          (k) =>
            `  ${k}:\n    expected ${JSON.stringify((e as unknown as Record<string, unknown>)?.[k])}\n    actual   ${JSON.stringify((a as unknown as Record<string, unknown>)?.[k])}`,
        ),
      ].join('\n'),
    );
  }
  return lines.join('\n');
}

/**
 * The (method, pattern) routes an app registered, read from `printRoutes`' tree: each line's
 * segment continues its parent's path.
 */
export function registeredRoutes(app: FastifyInstance): Array<{ method: string; url: string }> {
  const routes: Array<{ method: string; url: string }> = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([\s│├└─]*)(\S.*?) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const url = (stack[depth - 1] ?? '') + match[2]!;
    stack[depth] = url;
    for (const method of match[3]!.split(', ')) routes.push({ method, url });
  }
  return routes;
}

/** Whether a request path is answered by a route pattern (`:param` is one segment). */
export function routeMatches(pattern: string, path: string): boolean {
  const regex = pattern
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${regex}$`).test(path);
}
