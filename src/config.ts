import path from 'node:path';

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

type Env = Readonly<Record<string, string | undefined>>;

/** The only reader of process.env; everything else receives a Config. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const nodeEnv =
    env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const dataDir = path.resolve(env.FANGTONG_DATA_DIR ?? 'data');
  const config: Config = {
    env: nodeEnv,
    host: env.HOST ?? '127.0.0.1',
    port: parsePort(env.PORT ?? '3000'),
    databaseUrl: env.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'fangtong.db')}`,
    dataDir,
    piiKey: env.FANGTONG_PII_KEY || undefined,
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    demo: env.FANGTONG_DEMO === '1' || env.FANGTONG_DEMO === 'true',
    sessionTtlMs: Number(env.FANGTONG_SESSION_HOURS ?? '12') * 3_600_000,
    sessionCacheMs: Number(env.FANGTONG_SESSION_CACHE_SECONDS ?? '5') * 1000,
    tenantSessionTtlMs: Number(env.FANGTONG_TENANT_SESSION_DAYS ?? '30') * 86_400_000,
    publicBaseUrl: env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${env.PORT ?? '3000'}`,
    wechat: wechatConfig(env),
    jobs: {
      enabled: onOff('FANGTONG_JOBS', env.FANGTONG_JOBS, true),
      pollMs: positiveNumber('FANGTONG_JOB_POLL_SECONDS', env.FANGTONG_JOB_POLL_SECONDS ?? '5') * 1000,
    },
    trustProxy: trustedProxies(env.TRUST_PROXY),
    partnerReplayMs:
      positiveNumber('FANGTONG_PARTNER_REPLAY_DAYS', env.FANGTONG_PARTNER_REPLAY_DAYS ?? '30') * 86_400_000,
    ...overrides,
  };
  if (config.env === 'production' && !config.piiKey) {
    // A generated key file is a development convenience; in production losing it loses the data.
    throw new Error('FANGTONG_PII_KEY is required when NODE_ENV=production');
  }
  if (!Number.isFinite(config.sessionTtlMs) || config.sessionTtlMs <= 0) {
    throw new Error('FANGTONG_SESSION_HOURS must be a positive number');
  }
  if (!Number.isFinite(config.sessionCacheMs) || config.sessionCacheMs < 0) {
    throw new Error('FANGTONG_SESSION_CACHE_SECONDS must be 0 (off) or a positive number');
  }
  return Object.freeze(config);
}

function wechatConfig(env: Env): WechatConfig {
  const mode = env.WECHAT_PAY_MODE === 'live' ? 'live' : 'sandbox';
  if (mode === 'sandbox') return { mode, ...SANDBOX_MERCHANT, apiBase: 'sandbox:' };
  const { WECHAT_APP_ID: appId, WECHAT_MCH_ID: mchId, WECHAT_API_KEY: apiKey } = env;
  if (!appId || !mchId || !apiKey) {
    throw new Error('WECHAT_PAY_MODE=live needs WECHAT_APP_ID, WECHAT_MCH_ID and WECHAT_API_KEY');
  }
  const v3 =
    env.WECHAT_V3_SERIAL_NO &&
    env.WECHAT_V3_PRIVATE_KEY_FILE &&
    env.WECHAT_V3_API_KEY &&
    env.WECHAT_V3_PLATFORM_PUBLIC_KEY_FILE
      ? {
          serialNo: env.WECHAT_V3_SERIAL_NO,
          privateKeyFile: env.WECHAT_V3_PRIVATE_KEY_FILE,
          apiV3Key: env.WECHAT_V3_API_KEY,
          platformPublicKeyFile: env.WECHAT_V3_PLATFORM_PUBLIC_KEY_FILE,
        }
      : undefined;
  return {
    mode,
    appId,
    mchId,
    apiKey,
    apiBase: env.WECHAT_API_BASE ?? 'https://api.mch.weixin.qq.com',
    ...(v3 ? { v3 } : {}),
  };
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT is not a port: ${text}`);
  return port;
}

function onOff(name: string, text: string | undefined, fallback: boolean): boolean {
  if (text === undefined || text === '') return fallback;
  if (/^(1|on|true|yes)$/i.test(text)) return true;
  if (/^(0|off|false|no)$/i.test(text)) return false;
  throw new Error(`${name} must be on or off (got ${text})`);
}

function positiveNumber(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number (got ${text})`);
  return value;
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
  if (bad.length) throw new Error(`TRUST_PROXY must list addresses or CIDRs (not: ${bad.join(', ')})`);
  return Object.freeze(entries);
}
