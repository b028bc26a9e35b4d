import fs from 'node:fs';
import path from 'node:path';

/**
 * A setting the operator has to fix (a bad environment value, a database that cannot be
 * opened, a port taken): the command prints its message as one line and exits 1, no stack.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  readonly databaseUrl: string;
  readonly dataDir: string;
  /** 32-byte key (hex or base64). Absent in development: a key file is generated in dataDir. */
  readonly piiKey: string | undefined;
  readonly logLevel: string;
  readonly demo: boolean;
  /**
   * SQLite's `synchronous`: `full` syncs the write-ahead log at every commit, so an acknowledged
   * payment survives a power loss; `normal` survives a crash of the process only.
   */
  readonly sqliteSynchronous: 'normal' | 'full';
  /** Worker threads answering a SQLite server's reads outside transactions; 0 keeps them on the serving thread. */
  readonly sqliteReaderThreads: number;
  /** PostgreSQL connections each server keeps at most. */
  readonly databasePoolSize: number;
  /** How far a server's heap grows past its live size before V8 collects it whole (platform/heap-growth.ts); 0 leaves it to V8. */
  readonly heapGrowthPercent: number;
  readonly sessionTtlMs: number;
  /** How long a server trusts a back-office session it confirmed without asking the database again. */
  readonly sessionCacheMs: number;
  /** Lifetime of a tenant's app session (family 2). */
  readonly tenantSessionTtlMs: number;
  /** Where WeChat must send payment notifies; notify URLs are built from it. */
  readonly publicBaseUrl: string;
  readonly wechat: WechatConfig;
  /** Periodic jobs of this server: off on a server that must not run them (FANGTONG_JOBS=off). */
  readonly jobs: { readonly enabled: boolean; readonly pollMs: number };
  /**
   * Proxies whose X-Forwarded-For is believed (addresses or CIDRs); false trusts none, so the
   * client address is the socket's own and nobody can choose it with a header.
   */
  readonly trustProxy: readonly string[] | false;
  /** How long an accepted partner-gateway signature is remembered, so a captured call stays refused. */
  readonly partnerReplayMs: number;
  readonly sms: SmsConfig;
  readonly payouts: PayoutConfig;
  readonly parking: ParkingConfig;
  readonly uploads: UploadsConfig;
}

/**
 * Uploaded files (family 5's order documents): kept under FANGTONG_DATA_DIR/uploads, outside any
 * web root; each at most PARKING_UPLOAD_MAX_BYTES (5 MB), at most PARKING_UPLOAD_MAX_FILES (6) a request.
 */
export interface UploadsConfig {
  readonly dir: string;
  readonly maxBytes: number;
  readonly maxFiles: number;
}

/**
 * Where escrow money leaving to a bank card goes: `sandbox` (in-process, pays nobody) or
 * `wechat`, WeChat Pay's 企业付款到银行卡 — against WeChat with WECHAT_PAY_MODE=live, against the
 * in-process WeChat sandbox otherwise.
 */
export interface PayoutConfig {
  readonly provider: 'sandbox' | 'wechat';
  /** WeChat's RSA public key for 企业付款 (the PEM risk/getpublickey gives); live `wechat` only. */
  readonly wechatPublicKeyFile?: string;
}

/** The merchant's API client certificate files, for WeChat's mutual-TLS v2 calls. */
export type ClientCertificateConfig =
  | { readonly p12File: string; readonly password: string }
  | { readonly certFile: string; readonly keyFile: string };

/**
 * The approved templates, one per purpose that texts (see docs/sms.md for their wording): the
 * codes of each family, and parking_reminder (SMS_TEMPLATE_PARKING_REMINDER), the notice before a
 * parking permit ends, whose one parameter is the end date, not a code.
 */
export const SMS_TEMPLATE_KEYS = ['login', 'bind_card', 'escrow', 'parking', 'parking_reminder'] as const;
export type SmsTemplateKey = (typeof SMS_TEMPLATE_KEYS)[number];

/**
 * Who carries text messages: `log` (development: the message goes to the log) or a cloud
 * provider, which sends only approved templates under an approved sign name (签名).
 */
export interface SmsConfig {
  readonly provider: 'log' | 'aliyun' | 'tencent';
  readonly signName: string;
  /** Template id per purpose; a purpose without one cannot text (its sends answer unavailable). */
  readonly templates: Readonly<Partial<Record<SmsTemplateKey, string>>>;
  /** Bound on one send; past it the send counts as the provider being unavailable. */
  readonly timeoutMs: number;
  readonly aliyun?: {
    readonly accessKeyId: string;
    readonly accessKeySecret: string;
    readonly endpoint?: string;
  };
  readonly tencent?: {
    readonly secretId: string;
    readonly secretKey: string;
    readonly sdkAppId: string;
    readonly region: string;
    readonly endpoint?: string;
  };
  /** The secret path segment of the delivery-receipt URLs the providers push to; none: receipts are refused. */
  readonly receiptToken?: string;
}

/**
 * Family 5 (campus parking): who the WeChat caller is and a few limits. PARKING_OAUTH_MODE
 * `sandbox` mints openIds offline (and takes `?open_id=`, so anyone may be anyone: a trial only),
 * `live` asks WeChat's official-account OAuth (snsapi_base) with PARKING_WECHAT_APP_ID and
 * PARKING_WECHAT_APP_SECRET, `off` lets nobody in. Sandbox by default; a production server that
 * has not chosen gets `off`, never the sandbox.
 */
export interface ParkingConfig {
  readonly oauthMode: 'sandbox' | 'live' | 'off';
  readonly wechatAppId: string | undefined;
  readonly wechatAppSecret: string | undefined;
  /** Where the code is exchanged for the openId (https://api.weixin.qq.com; a fake in tests). */
  readonly wechatApiBase: string;
  /** Where the browser is sent to authorise (https://open.weixin.qq.com). */
  readonly wechatAuthorizeBase: string;
  /** Plates a parking user may hold at most (PARKING_MAX_PLATES, 5). */
  readonly maxPlates: number;
  /** Lifetime of a WeChat caller's session (PARKING_SESSION_TTL, in days, 7). */
  readonly sessionTtlMs: number;
}

/**
 * `sandbox` (the default) runs the whole pay flow offline against the in-process WeChat Pay
 * sandbox; `live` talks to WeChat with the merchant's own credentials.
 */
export interface WechatConfig {
  readonly mode: 'sandbox' | 'live';
  readonly appId: string;
  readonly mchId: string;
  readonly apiKey: string;
  readonly apiBase: string;
  /**
   * The API client certificate (apiclient_cert.p12, or its PEM pair) presented on the v2 calls
   * WeChat guards with mutual TLS: refunds (secapi/pay/refund) and bank payouts. Live mode only.
   */
  readonly clientCertificate?: ClientCertificateConfig;
  /** v3 (JSAPI by openId): certificate serial, PEM files and the APIv3 key; live mode only. */
  readonly v3?: {
    readonly serialNo: string;
    readonly privateKeyFile: string;
    readonly apiV3Key: string;
    readonly platformPublicKeyFile: string;
  };
}

// WeChat's own published test merchant (REFERENCE.md): development defaults for the sandbox only.
const SANDBOX_MERCHANT = {
  appId: 'wxd930ea5d5a258f4f',
  mchId: '10000100',
  apiKey: '192006250b4c09247ec02edce69f6a2d',
};

const V3_SETTINGS = [
  'WECHAT_V3_SERIAL_NO',
  'WECHAT_V3_PRIVATE_KEY_FILE',
  'WECHAT_V3_API_KEY',
  'WECHAT_V3_PLATFORM_PUBLIC_KEY_FILE',
] as const;

// pino's levels; any other name makes the logger throw with a stack at start-up.
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

type Env = Readonly<Record<string, string | undefined>>;

/** The only reader of process.env; everything else receives a Config. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  // An empty value counts as unset, as `PORT=` in a unit file or compose file means.
  const get = (name: string) => env[name] || undefined;
  const nodeEnv = oneOf('NODE_ENV', get('NODE_ENV'), ['development', 'production', 'test'], 'development');
  const dataDir = path.resolve(get('FANGTONG_DATA_DIR') ?? 'data');
  const port = parsePort(get('PORT') ?? '3000');
  const config: Config = {
    env: nodeEnv,
    host: get('HOST') ?? '127.0.0.1',
    port,
    databaseUrl: get('DATABASE_URL') ?? `sqlite:${path.join(dataDir, 'fangtong.db')}`,
    dataDir,
    piiKey: get('FANGTONG_PII_KEY'),
    logLevel: oneOf('LOG_LEVEL', get('LOG_LEVEL'), LOG_LEVELS, nodeEnv === 'test' ? 'silent' : 'info'),
    demo: onOff('FANGTONG_DEMO', get('FANGTONG_DEMO'), false),
    sqliteSynchronous: oneOf(
      'SQLITE_SYNCHRONOUS',
      get('SQLITE_SYNCHRONOUS'),
      ['normal', 'full'],
      nodeEnv === 'production' ? 'full' : 'normal',
    ),
    sqliteReaderThreads: wholeNumberUpTo(
      'SQLITE_READER_THREADS',
      get('SQLITE_READER_THREADS') ?? '1',
      'off',
      16,
    ),
    databasePoolSize: positiveInteger('DATABASE_POOL_SIZE', get('DATABASE_POOL_SIZE') ?? '10'),
    heapGrowthPercent: wholeNumberUpTo(
      'FANGTONG_HEAP_GROWTH_PERCENT',
      get('FANGTONG_HEAP_GROWTH_PERCENT') ?? '300',
      "V8's own choice",
      1000,
    ),
    sessionTtlMs: positiveNumber('FANGTONG_SESSION_HOURS', get('FANGTONG_SESSION_HOURS') ?? '12') * 3_600_000,
    sessionCacheMs: sessionCacheSeconds(get('FANGTONG_SESSION_CACHE_SECONDS') ?? '5') * 1000,
    tenantSessionTtlMs:
      positiveNumber('FANGTONG_TENANT_SESSION_DAYS', get('FANGTONG_TENANT_SESSION_DAYS') ?? '30') *
      86_400_000,
    publicBaseUrl: httpUrl('PUBLIC_BASE_URL', get('PUBLIC_BASE_URL') ?? `http://127.0.0.1:${port}`),
    wechat: wechatConfig(get),
    jobs: {
      enabled: onOff('FANGTONG_JOBS', get('FANGTONG_JOBS'), true),
      pollMs: positiveNumber('FANGTONG_JOB_POLL_SECONDS', get('FANGTONG_JOB_POLL_SECONDS') ?? '5') * 1000,
    },
    trustProxy: trustedProxies(get('TRUST_PROXY')),
    partnerReplayMs:
      positiveNumber('FANGTONG_PARTNER_REPLAY_DAYS', get('FANGTONG_PARTNER_REPLAY_DAYS') ?? '30') *
      86_400_000,
    sms: smsConfig(get),
    payouts: payoutConfig(get),
    parking: parkingConfig(get, nodeEnv),
    uploads: {
      dir: path.join(dataDir, 'uploads'),
      maxBytes: positiveInteger(
        'PARKING_UPLOAD_MAX_BYTES',
        get('PARKING_UPLOAD_MAX_BYTES') ?? String(5 * 1024 * 1024),
      ),
      maxFiles: positiveInteger('PARKING_UPLOAD_MAX_FILES', get('PARKING_UPLOAD_MAX_FILES') ?? '6'),
    },
    ...overrides,
  };
  // An unknown scheme is refused here, before any command has opened anything.
  dialectOf(config.databaseUrl);
  if (config.env === 'production' && !config.piiKey) {
    // A generated key file is a development convenience; in production losing it loses the data.
    throw new ConfigError(
      'FANGTONG_PII_KEY is required when NODE_ENV=production (32 random bytes as 64 hex characters: openssl rand -hex 32)',
    );
  }
  if (config.env === 'production' && !get('WECHAT_PAY_MODE') && !overrides.wechat) {
    // The sandbox default would let a production server "take" payments that move no money.
    throw new ConfigError(
      'WECHAT_PAY_MODE must be set when NODE_ENV=production: live to take real money through WeChat, or sandbox for a trial that takes none',
    );
  }
  if (config.env === 'production' && !get('SMS_PROVIDER') && !overrides.sms) {
    // The log default would leave every SMS login and card binding waiting for a code nobody gets.
    throw new ConfigError(
      'SMS_PROVIDER must be set when NODE_ENV=production: aliyun or tencent to text real phones, or log for a trial where codes go to the log',
    );
  }
  if (
    config.env === 'production' &&
    config.wechat.mode === 'live' &&
    !get('PAYOUT_PROVIDER') &&
    !overrides.payouts
  ) {
    // Real money comes in; the sandbox default would "pay" landlords and buyers nothing.
    throw new ConfigError(
      'PAYOUT_PROVIDER must be set when NODE_ENV=production and WECHAT_PAY_MODE=live: wechat to pay bank cards through WeChat Pay (企业付款到银行卡), or sandbox for a trial that pays nobody',
    );
  }
  if (config.payouts.provider === 'wechat' && config.wechat.mode === 'live') {
    const missing = [
      ...(config.payouts.wechatPublicKeyFile ? [] : ['WECHAT_PAYOUT_PUBLIC_KEY_FILE']),
      ...(config.wechat.clientCertificate
        ? []
        : [
            'the client certificate (WECHAT_CLIENT_P12_FILE, or WECHAT_CLIENT_CERT_FILE and WECHAT_CLIENT_KEY_FILE)',
          ]),
    ];
    if (missing.length)
      throw new ConfigError(
        `PAYOUT_PROVIDER=wechat with WECHAT_PAY_MODE=live needs ${missing.join(' and ')}`,
      );
  }
  return Object.freeze(config);
}

function payoutConfig(get: (name: string) => string | undefined): PayoutConfig {
  const provider = oneOf('PAYOUT_PROVIDER', get('PAYOUT_PROVIDER'), ['sandbox', 'wechat'], 'sandbox');
  const keyFile = get('WECHAT_PAYOUT_PUBLIC_KEY_FILE');
  return {
    provider,
    ...(keyFile ? { wechatPublicKeyFile: readableFile('WECHAT_PAYOUT_PUBLIC_KEY_FILE', keyFile) } : {}),
  };
}

/**
 * WECHAT_CLIENT_P12_FILE (+ WECHAT_CLIENT_P12_PASSWORD, which WeChat sets to the merchant id) or
 * WECHAT_CLIENT_CERT_FILE + WECHAT_CLIENT_KEY_FILE; one form, whole, of files that exist — a
 * missing certificate would otherwise show only at the first refund or payout.
 */
function clientCertificate(
  get: (name: string) => string | undefined,
  mchId: string,
): ClientCertificateConfig | undefined {
  const [p12File, certFile, keyFile] = [
    get('WECHAT_CLIENT_P12_FILE'),
    get('WECHAT_CLIENT_CERT_FILE'),
    get('WECHAT_CLIENT_KEY_FILE'),
  ];
  if (p12File && (certFile || keyFile))
    throw new ConfigError(
      'Set the WeChat client certificate once: WECHAT_CLIENT_P12_FILE, or WECHAT_CLIENT_CERT_FILE with WECHAT_CLIENT_KEY_FILE, not both',
    );
  if (p12File)
    return {
      p12File: readableFile('WECHAT_CLIENT_P12_FILE', p12File),
      password: get('WECHAT_CLIENT_P12_PASSWORD') ?? mchId,
    };
  if (certFile || keyFile) {
    if (!certFile || !keyFile)
      throw new ConfigError(
        `The WeChat client certificate needs both WECHAT_CLIENT_CERT_FILE and WECHAT_CLIENT_KEY_FILE (missing: ${certFile ? 'WECHAT_CLIENT_KEY_FILE' : 'WECHAT_CLIENT_CERT_FILE'})`,
      );
    return {
      certFile: readableFile('WECHAT_CLIENT_CERT_FILE', certFile),
      keyFile: readableFile('WECHAT_CLIENT_KEY_FILE', keyFile),
    };
  }
  return undefined;
}

function readableFile(name: string, file: string): string {
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw new ConfigError(`${name} names a file that cannot be read: ${file}`);
  }
  return file;
}

/** Which database a DATABASE_URL names; anything else is refused before a driver sees it. */
export function dialectOf(url: string): 'sqlite' | 'postgres' {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgres';
  // Only the scheme is repeated: the rest may hold a password.
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? url.slice(0, 12);
  throw new ConfigError(`DATABASE_URL must start with sqlite: or postgres:// (got ${scheme})`);
}

function wechatConfig(get: (name: string) => string | undefined): WechatConfig {
  const mode = oneOf('WECHAT_PAY_MODE', get('WECHAT_PAY_MODE'), ['sandbox', 'live'], 'sandbox');
  if (mode === 'sandbox') return { mode, ...SANDBOX_MERCHANT, apiBase: 'sandbox:' };
  const [appId, mchId, apiKey] = [get('WECHAT_APP_ID'), get('WECHAT_MCH_ID'), get('WECHAT_API_KEY')];
  if (!appId || !mchId || !apiKey) {
    throw new ConfigError('WECHAT_PAY_MODE=live needs WECHAT_APP_ID, WECHAT_MCH_ID and WECHAT_API_KEY');
  }
  const [serialNo, privateKeyFile, apiV3Key, platformPublicKeyFile] = V3_SETTINGS.map(get);
  const missingV3 = V3_SETTINGS.filter((name) => !get(name));
  // Half a v3 setup would only fail at the first JSAPI payment, long after start-up.
  if (missingV3.length > 0 && missingV3.length < V3_SETTINGS.length) {
    throw new ConfigError(
      `WeChat Pay v3 needs all four WECHAT_V3_* settings (missing: ${missingV3.join(', ')})`,
    );
  }
  const certificate = clientCertificate(get, mchId);
  return {
    mode,
    appId,
    mchId,
    apiKey,
    apiBase: httpUrl('WECHAT_API_BASE', get('WECHAT_API_BASE') ?? 'https://api.mch.weixin.qq.com'),
    ...(certificate ? { clientCertificate: certificate } : {}),
    ...(serialNo && privateKeyFile && apiV3Key && platformPublicKeyFile
      ? { v3: { serialNo, privateKeyFile, apiV3Key, platformPublicKeyFile } }
      : {}),
  };
}

function smsConfig(get: (name: string) => string | undefined): SmsConfig {
  const provider = oneOf('SMS_PROVIDER', get('SMS_PROVIDER'), ['log', 'aliyun', 'tencent'], 'log');
  const templates = Object.fromEntries(
    SMS_TEMPLATE_KEYS.flatMap((key) => {
      const id = get(`SMS_TEMPLATE_${key.toUpperCase()}`);
      return id ? [[key, id]] : [];
    }),
  );
  const common = {
    timeoutMs: positiveNumber('SMS_TIMEOUT_SECONDS', get('SMS_TIMEOUT_SECONDS') ?? '5') * 1000,
    ...(get('SMS_RECEIPT_TOKEN') ? { receiptToken: get('SMS_RECEIPT_TOKEN') } : {}),
  };
  if (provider === 'log') {
    // Development: every purpose texts, under placeholder template names the log shows.
    const devTemplates = Object.fromEntries(
      SMS_TEMPLATE_KEYS.map((key) => [key, templates[key] ?? `dev-${key}`]),
    );
    return { provider, signName: get('SMS_SIGN_NAME') ?? '房通', templates: devTemplates, ...common };
  }
  const signName = get('SMS_SIGN_NAME');
  // The two purposes live today; a provider without their templates could text nobody.
  const missing = [
    ...(signName ? [] : ['SMS_SIGN_NAME']),
    ...(['login', 'bind_card'] as const)
      .filter((key) => !templates[key])
      .map((key) => `SMS_TEMPLATE_${key.toUpperCase()}`),
  ];
  const endpoint = (name: string) => {
    const url = get(name);
    return url ? { endpoint: httpUrl(name, url) } : {};
  };
  if (provider === 'aliyun') {
    const [accessKeyId, accessKeySecret] = [get('ALIYUN_ACCESS_KEY_ID'), get('ALIYUN_ACCESS_KEY_SECRET')];
    missing.push(
      ...(accessKeyId ? [] : ['ALIYUN_ACCESS_KEY_ID']),
      ...(accessKeySecret ? [] : ['ALIYUN_ACCESS_KEY_SECRET']),
    );
    if (missing.length) throw new ConfigError(`SMS_PROVIDER=aliyun needs ${missing.join(', ')}`);
    return {
      provider,
      signName: signName!,
      templates,
      ...common,
      aliyun: {
        accessKeyId: accessKeyId!,
        accessKeySecret: accessKeySecret!,
        ...endpoint('ALIYUN_SMS_ENDPOINT'),
      },
    };
  }
  const [secretId, secretKey, sdkAppId] = [
    get('TENCENT_SECRET_ID'),
    get('TENCENT_SECRET_KEY'),
    get('TENCENT_SMS_SDK_APP_ID'),
  ];
  missing.push(
    ...(secretId ? [] : ['TENCENT_SECRET_ID']),
    ...(secretKey ? [] : ['TENCENT_SECRET_KEY']),
    ...(sdkAppId ? [] : ['TENCENT_SMS_SDK_APP_ID']),
  );
  if (missing.length) throw new ConfigError(`SMS_PROVIDER=tencent needs ${missing.join(', ')}`);
  return {
    provider,
    signName: signName!,
    templates,
    ...common,
    tencent: {
      secretId: secretId!,
      secretKey: secretKey!,
      sdkAppId: sdkAppId!,
      region: get('TENCENT_SMS_REGION') ?? 'ap-guangzhou',
      ...endpoint('TENCENT_SMS_ENDPOINT'),
    },
  };
}

function parkingConfig(get: (name: string) => string | undefined, nodeEnv: Config['env']): ParkingConfig {
  const oauthMode = oneOf(
    'PARKING_OAUTH_MODE',
    get('PARKING_OAUTH_MODE'),
    ['sandbox', 'live', 'off'],
    nodeEnv === 'production' ? 'off' : 'sandbox',
  );
  const wechatAppId = get('PARKING_WECHAT_APP_ID');
  const wechatAppSecret = get('PARKING_WECHAT_APP_SECRET');
  if (oauthMode === 'live') {
    const missing = [
      ...(wechatAppId ? [] : ['PARKING_WECHAT_APP_ID']),
      ...(wechatAppSecret ? [] : ['PARKING_WECHAT_APP_SECRET']),
    ];
    if (missing.length) throw new ConfigError(`PARKING_OAUTH_MODE=live needs ${missing.join(', ')}`);
  }
  return {
    oauthMode,
    wechatAppId,
    wechatAppSecret,
    wechatApiBase: httpUrl(
      'PARKING_WECHAT_API_BASE',
      get('PARKING_WECHAT_API_BASE') ?? 'https://api.weixin.qq.com',
    ),
    wechatAuthorizeBase: httpUrl(
      'PARKING_WECHAT_AUTHORIZE_BASE',
      get('PARKING_WECHAT_AUTHORIZE_BASE') ?? 'https://open.weixin.qq.com',
    ),
    maxPlates: positiveInteger('PARKING_MAX_PLATES', get('PARKING_MAX_PLATES') ?? '5'),
    sessionTtlMs: positiveNumber('PARKING_SESSION_TTL', get('PARKING_SESSION_TTL') ?? '7') * 86_400_000,
  };
}

function oneOf<T extends string>(
  name: string,
  text: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (text === undefined) return fallback;
  if ((allowed as readonly string[]).includes(text)) return text as T;
  throw new ConfigError(`${name} must be one of ${allowed.join(', ')} (got ${text})`);
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new ConfigError(`PORT must be a port number 0-65535 (got ${text})`);
  return port;
}

function onOff(name: string, text: string | undefined, fallback: boolean): boolean {
  if (text === undefined) return fallback;
  if (/^(1|on|true|yes)$/i.test(text)) return true;
  if (/^(0|off|false|no)$/i.test(text)) return false;
  throw new ConfigError(`${name} must be on or off (got ${text})`);
}

function positiveNumber(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new ConfigError(`${name} must be a positive number (got ${text})`);
  return value;
}

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ConfigError(`${name} must be a positive whole number (got ${text})`);
  }
  return value;
}

/** A whole number from 0 (which means `zero`) to `max`. */
function wholeNumberUpTo(name: string, text: string, zero: string, max: number): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new ConfigError(`${name} must be a whole number from 0 (${zero}) to ${max} (got ${text})`);
  }
  return value;
}

function sessionCacheSeconds(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    throw new ConfigError(
      `FANGTONG_SESSION_CACHE_SECONDS must be 0 (off) or a positive number (got ${text})`,
    );
  }
  return value;
}

function httpUrl(name: string, text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http:// or https:// address (got ${text})`);
  }
  return text;
}

const IPV4 = /^(\d{1,3})(\.\d{1,3}){3}(\/\d{1,2})?$/;
const IPV6 = /^[0-9a-f:]+(\/\d{1,3})?$/i;

/**
 * TRUST_PROXY: a comma-separated list of the proxies in front of this server (nginx's address,
 * a load balancer's subnet). Nothing by default: a header any client can send must not choose
 * the address that per-client limits count by.
 */
function trustedProxies(text: string | undefined): readonly string[] | false {
  if (!text || /^(0|off|false|no)$/i.test(text)) return false;
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const bad = entries.filter((entry) => !IPV4.test(entry) && !IPV6.test(entry) && entry !== 'loopback');
  if (bad.length) throw new ConfigError(`TRUST_PROXY must list addresses or CIDRs (not: ${bad.join(', ')})`);
  return Object.freeze(entries);
}
