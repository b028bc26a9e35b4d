import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('trusts a confirmed back-office session for 5 s by default, or as long as told, or not at all', () => {
    assert.equal(loadConfig({}).sessionCacheMs, 5000);
    assert.equal(loadConfig({ FANGTONG_SESSION_CACHE_SECONDS: '1.5' }).sessionCacheMs, 1500);
    assert.equal(loadConfig({ FANGTONG_SESSION_CACHE_SECONDS: '0' }).sessionCacheMs, 0);
  });

  it('refuses a session cache time that is not a number of seconds', () => {
    for (const bad of ['-1', 'soon']) {
      assert.throws(
        () => loadConfig({ FANGTONG_SESSION_CACHE_SECONDS: bad }),
        /FANGTONG_SESSION_CACHE_SECONDS must be 0 \(off\) or a positive number/,
      );
    }
  });

  it('trusts no proxy unless told which, so X-Forwarded-For cannot choose a client address', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: 'off' }).trustProxy, false);
    assert.deepEqual(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,loopback' }).trustProxy, [
      '127.0.0.1',
      '10.0.0.0/8',
      'loopback',
    ]);
    assert.throws(
      () => loadConfig({ TRUST_PROXY: 'true' }),
      /TRUST_PROXY must list addresses or CIDRs \(not: true\)/,
    );
  });

  it('runs jobs every 5 s by default, at the interval told, or not at all', () => {
    assert.deepEqual(loadConfig({}).jobs, { enabled: true, pollMs: 5000 });
    assert.deepEqual(loadConfig({ FANGTONG_JOBS: 'off', FANGTONG_JOB_POLL_SECONDS: '0.5' }).jobs, {
      enabled: false,
      pollMs: 500,
    });
    assert.throws(() => loadConfig({ FANGTONG_JOBS: 'maybe' }), /FANGTONG_JOBS must be on or off/);
    assert.throws(
      () => loadConfig({ FANGTONG_JOB_POLL_SECONDS: '0' }),
      /FANGTONG_JOB_POLL_SECONDS must be a positive number/,
    );
  });

  it('remembers accepted partner signatures for 30 days by default', () => {
    assert.equal(loadConfig({}).partnerReplayMs, 30 * 86_400_000);
    assert.equal(loadConfig({ FANGTONG_PARTNER_REPLAY_DAYS: '2' }).partnerReplayMs, 2 * 86_400_000);
  });
});

describe('configuration errors', () => {
  /** The ConfigError a setting raises: the one line `fangtong` prints for it. */
  const refusal = (env: Record<string, string>): string => {
    try {
      loadConfig(env);
    } catch (error) {
      assert.ok(error instanceof ConfigError, `a ConfigError, not ${String(error)}`);
      return error.message;
    }
    assert.fail(`${JSON.stringify(env)} was accepted`);
  };

  it('names the setting and the value it refuses', () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ PORT: '80a' }, 'PORT must be a port number 0-65535 (got 80a)'],
      [{ PORT: '70000' }, 'PORT must be a port number 0-65535 (got 70000)'],
      [{ NODE_ENV: 'prod' }, 'NODE_ENV must be one of development, production, test (got prod)'],
      [
        { LOG_LEVEL: 'loud' },
        'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got loud)',
      ],
      [{ FANGTONG_DEMO: 'maybe' }, 'FANGTONG_DEMO must be on or off (got maybe)'],
      [{ FANGTONG_SESSION_HOURS: '0' }, 'FANGTONG_SESSION_HOURS must be a positive number (got 0)'],
      [
        { FANGTONG_TENANT_SESSION_DAYS: 'x' },
        'FANGTONG_TENANT_SESSION_DAYS must be a positive number (got x)',
      ],
      [
        { PUBLIC_BASE_URL: 'pay.example.com' },
        'PUBLIC_BASE_URL must be an http:// or https:// address (got pay.example.com)',
      ],
      [{ WECHAT_PAY_MODE: 'Live' }, 'WECHAT_PAY_MODE must be one of sandbox, live (got Live)'],
      [
        { WECHAT_PAY_MODE: 'live' },
        'WECHAT_PAY_MODE=live needs WECHAT_APP_ID, WECHAT_MCH_ID and WECHAT_API_KEY',
      ],
      [
        { NODE_ENV: 'production' },
        'FANGTONG_PII_KEY is required when NODE_ENV=production (32 random bytes as 64 hex characters: openssl rand -hex 32)',
      ],
    ];
    for (const [env, message] of cases) assert.equal(refusal(env), message);
  });

  it('refuses a database it does not know without repeating the password', () => {
    assert.equal(
      refusal({ DATABASE_URL: 'mysql://root:s3cret@db/app' }),
      'DATABASE_URL must start with sqlite: or postgres:// (got mysql:)',
    );
    assert.equal(loadConfig({ DATABASE_URL: 'postgresql://u@h/db' }).databaseUrl, 'postgresql://u@h/db');
  });

  it('refuses half a WeChat Pay v3 setup, naming what is missing', () => {
    const live = { WECHAT_PAY_MODE: 'live', WECHAT_APP_ID: 'wx1', WECHAT_MCH_ID: '1', WECHAT_API_KEY: 'k' };
    assert.equal(
      refusal({ ...live, WECHAT_V3_SERIAL_NO: 'S', WECHAT_V3_API_KEY: 'K' }),
      'WeChat Pay v3 needs all four WECHAT_V3_* settings (missing: WECHAT_V3_PRIVATE_KEY_FILE, WECHAT_V3_PLATFORM_PUBLIC_KEY_FILE)',
    );
    assert.equal(loadConfig(live).wechat.v3, undefined);
  });

  it('takes an empty value for unset, as `PORT=` in a unit file means', () => {
    const config = loadConfig({
      PORT: '',
      NODE_ENV: '',
      LOG_LEVEL: '',
      FANGTONG_DEMO: '',
      WECHAT_PAY_MODE: '',
    });
    assert.equal(config.port, 3000);
    assert.equal(config.env, 'development');
    assert.equal(config.logLevel, 'info');
    assert.equal(config.demo, false);
    assert.equal(config.wechat.mode, 'sandbox');
  });

  it('turns the demo on with any of the on words', () => {
    for (const on of ['1', 'true', 'on', 'yes']) assert.equal(loadConfig({ FANGTONG_DEMO: on }).demo, true);
    assert.equal(loadConfig({ FANGTONG_DEMO: '0' }).demo, false);
  });

  it('syncs SQLite at every commit in production, survives a process crash in development, or as told', () => {
    assert.equal(loadConfig({}).sqliteSynchronous, 'normal');
    assert.equal(
      loadConfig({
        NODE_ENV: 'production',
        FANGTONG_PII_KEY: 'a'.repeat(64),
        WECHAT_PAY_MODE: 'sandbox',
        SMS_PROVIDER: 'log',
      }).sqliteSynchronous,
      'full',
    );
    assert.equal(loadConfig({ SQLITE_SYNCHRONOUS: 'full' }).sqliteSynchronous, 'full');
    assert.throws(
      () => loadConfig({ SQLITE_SYNCHRONOUS: 'off' }),
      /SQLITE_SYNCHRONOUS must be one of normal, full \(got off\)/,
    );
  });

  it('gives a SQLite server one reader thread unless told, 0 to 16', () => {
    assert.equal(loadConfig({}).sqliteReaderThreads, 1);
    assert.equal(loadConfig({ SQLITE_READER_THREADS: '0' }).sqliteReaderThreads, 0);
    assert.equal(loadConfig({ SQLITE_READER_THREADS: '4' }).sqliteReaderThreads, 4);
    for (const bad of ['-1', '1.5', '17', 'two'])
      assert.throws(
        () => loadConfig({ SQLITE_READER_THREADS: bad }),
        new RegExp(`SQLITE_READER_THREADS must be a whole number from 0 \\(off\\) to 16 \\(got ${bad}\\)`),
      );
  });

  it('lets a server heap grow 300% past its live size unless told, 0 (V8 chooses) to 1000', () => {
    assert.equal(loadConfig({}).heapGrowthPercent, 300);
    assert.equal(loadConfig({ FANGTONG_HEAP_GROWTH_PERCENT: '0' }).heapGrowthPercent, 0);
    assert.equal(loadConfig({ FANGTONG_HEAP_GROWTH_PERCENT: '150' }).heapGrowthPercent, 150);
    for (const bad of ['-1', '2.5', '1001', 'lots'])
      assert.throws(
        () => loadConfig({ FANGTONG_HEAP_GROWTH_PERCENT: bad }),
        new RegExp(
          `FANGTONG_HEAP_GROWTH_PERCENT must be a whole number from 0 \\(V8's own choice\\) to 1000 \\(got ${bad}\\)`,
        ),
      );
  });

  it('keeps 10 PostgreSQL connections per server unless told', () => {
    assert.equal(loadConfig({}).databasePoolSize, 10);
    assert.equal(loadConfig({ DATABASE_POOL_SIZE: '25' }).databasePoolSize, 25);
    assert.throws(
      () => loadConfig({ DATABASE_POOL_SIZE: '2.5' }),
      /DATABASE_POOL_SIZE must be a positive whole number/,
    );
  });

  it('makes a production server say which WeChat Pay it uses, so the sandbox is never taken by default', () => {
    const production = { NODE_ENV: 'production', FANGTONG_PII_KEY: 'a'.repeat(64), SMS_PROVIDER: 'log' };
    assert.throws(
      () => loadConfig(production),
      /^ConfigError: WECHAT_PAY_MODE must be set when NODE_ENV=production: live to take real money through WeChat, or sandbox for a trial that takes none$/,
    );
    assert.equal(loadConfig({ ...production, WECHAT_PAY_MODE: 'sandbox' }).wechat.mode, 'sandbox');
  });

  it('makes a production server say who carries its SMS, and a cloud provider name its credentials and templates', () => {
    const production = {
      NODE_ENV: 'production',
      FANGTONG_PII_KEY: 'a'.repeat(64),
      WECHAT_PAY_MODE: 'sandbox',
    };
    assert.throws(
      () => loadConfig(production),
      /^ConfigError: SMS_PROVIDER must be set when NODE_ENV=production: aliyun or tencent to text real phones, or log for a trial where codes go to the log$/,
    );
    assert.throws(
      () => loadConfig({ SMS_PROVIDER: 'aliyun', SMS_TEMPLATE_LOGIN: 'SMS_1' }),
      /^ConfigError: SMS_PROVIDER=aliyun needs SMS_SIGN_NAME, SMS_TEMPLATE_BIND_CARD, ALIYUN_ACCESS_KEY_ID, ALIYUN_ACCESS_KEY_SECRET$/,
    );
    assert.throws(
      () =>
        loadConfig({
          SMS_PROVIDER: 'tencent',
          SMS_SIGN_NAME: '房通',
          SMS_TEMPLATE_LOGIN: '1',
          SMS_TEMPLATE_BIND_CARD: '2',
        }),
      /^ConfigError: SMS_PROVIDER=tencent needs TENCENT_SECRET_ID, TENCENT_SECRET_KEY, TENCENT_SMS_SDK_APP_ID$/,
    );
    assert.throws(
      () => loadConfig({ SMS_PROVIDER: 'twilio' }),
      /SMS_PROVIDER must be one of log, aliyun, tencent/,
    );
    const tencent = loadConfig({
      SMS_PROVIDER: 'tencent',
      SMS_SIGN_NAME: '房通',
      SMS_TEMPLATE_LOGIN: '1001',
      SMS_TEMPLATE_BIND_CARD: '1002',
      TENCENT_SECRET_ID: 'id',
      TENCENT_SECRET_KEY: 'key',
      TENCENT_SMS_SDK_APP_ID: '1400000000',
      SMS_TIMEOUT_SECONDS: '2',
    }).sms;
    assert.deepEqual(tencent.templates, { login: '1001', bind_card: '1002' });
    assert.equal(tencent.tencent?.region, 'ap-guangzhou');
    assert.equal(tencent.timeoutMs, 2000);
    // Development texts every purpose to the log under placeholder templates.
    assert.deepEqual(loadConfig({}).sms.templates, {
      login: 'dev-login',
      bind_card: 'dev-bind_card',
      escrow: 'dev-escrow',
      parking: 'dev-parking',
      parking_reminder: 'dev-parking_reminder',
    });
    // The parking expiry reminder has its own template, apart from the parking code's.
    assert.deepEqual(
      loadConfig({ SMS_TEMPLATE_PARKING: 'SMS_3001', SMS_TEMPLATE_PARKING_REMINDER: 'SMS_3002' }).sms
        .templates,
      {
        login: 'dev-login',
        bind_card: 'dev-bind_card',
        escrow: 'dev-escrow',
        parking: 'SMS_3001',
        parking_reminder: 'SMS_3002',
      },
    );
  });

  it('pays out through the sandbox unless told; production with live WeChat Pay must choose; wechat live names its key and certificate', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-config-'));
    const key = path.join(dir, 'wechat_payout_public_key.pem');
    const p12 = path.join(dir, 'apiclient_cert.p12');
    const pem = path.join(dir, 'apiclient_cert.pem');
    const pemKey = path.join(dir, 'apiclient_key.pem');
    for (const f of [key, p12, pem, pemKey]) fs.writeFileSync(f, 'x');
    try {
      assert.deepEqual(loadConfig({}).payouts, { provider: 'sandbox' });
      assert.throws(
        () => loadConfig({ PAYOUT_PROVIDER: 'bank' }),
        /^ConfigError: PAYOUT_PROVIDER must be one of sandbox, wechat \(got bank\)$/,
      );
      // Against the in-process WeChat sandbox, wechat needs nothing more.
      assert.deepEqual(loadConfig({ PAYOUT_PROVIDER: 'wechat' }).payouts, { provider: 'wechat' });

      const live = {
        WECHAT_PAY_MODE: 'live',
        WECHAT_APP_ID: 'wx1',
        WECHAT_MCH_ID: '1900000109',
        WECHAT_API_KEY: 'k',
      };
      const production = { NODE_ENV: 'production', FANGTONG_PII_KEY: 'a'.repeat(64), SMS_PROVIDER: 'log' };
      assert.throws(
        () => loadConfig({ ...production, ...live }),
        /^ConfigError: PAYOUT_PROVIDER must be set when NODE_ENV=production and WECHAT_PAY_MODE=live: wechat to pay bank cards through WeChat Pay \(企业付款到银行卡\), or sandbox for a trial that pays nobody$/,
      );
      assert.equal(
        loadConfig({ ...production, ...live, PAYOUT_PROVIDER: 'sandbox' }).payouts.provider,
        'sandbox',
      );
      // A production trial on the WeChat sandbox takes no money and pays none: no choice to make.
      assert.equal(loadConfig({ ...production, WECHAT_PAY_MODE: 'sandbox' }).payouts.provider, 'sandbox');

      assert.throws(
        () => loadConfig({ ...live, PAYOUT_PROVIDER: 'wechat' }),
        /^ConfigError: PAYOUT_PROVIDER=wechat with WECHAT_PAY_MODE=live needs WECHAT_PAYOUT_PUBLIC_KEY_FILE and the client certificate \(WECHAT_CLIENT_P12_FILE, or WECHAT_CLIENT_CERT_FILE and WECHAT_CLIENT_KEY_FILE\)$/,
      );
      assert.throws(
        () => loadConfig({ ...live, PAYOUT_PROVIDER: 'wechat', WECHAT_CLIENT_P12_FILE: p12 }),
        /^ConfigError: PAYOUT_PROVIDER=wechat with WECHAT_PAY_MODE=live needs WECHAT_PAYOUT_PUBLIC_KEY_FILE$/,
      );
      assert.throws(
        () =>
          loadConfig({
            ...live,
            PAYOUT_PROVIDER: 'wechat',
            WECHAT_PAYOUT_PUBLIC_KEY_FILE: path.join(dir, 'missing.pem'),
          }),
        /^ConfigError: WECHAT_PAYOUT_PUBLIC_KEY_FILE names a file that cannot be read: .*missing\.pem$/,
      );
      const wechat = loadConfig({
        ...live,
        PAYOUT_PROVIDER: 'wechat',
        WECHAT_PAYOUT_PUBLIC_KEY_FILE: key,
        WECHAT_CLIENT_P12_FILE: p12,
      });
      assert.deepEqual(wechat.payouts, { provider: 'wechat', wechatPublicKeyFile: key });
      // WeChat protects apiclient_cert.p12 with the merchant id: the default password.
      assert.deepEqual(wechat.wechat.clientCertificate, { p12File: p12, password: '1900000109' });
      assert.deepEqual(
        loadConfig({ ...live, WECHAT_CLIENT_P12_FILE: p12, WECHAT_CLIENT_P12_PASSWORD: 'other' }).wechat
          .clientCertificate,
        { p12File: p12, password: 'other' },
      );
      assert.deepEqual(
        loadConfig({ ...live, WECHAT_CLIENT_CERT_FILE: pem, WECHAT_CLIENT_KEY_FILE: pemKey }).wechat
          .clientCertificate,
        { certFile: pem, keyFile: pemKey },
      );
      assert.equal(loadConfig(live).wechat.clientCertificate, undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a client certificate given twice, in half, or as a file that is not there', () => {
    const live = { WECHAT_PAY_MODE: 'live', WECHAT_APP_ID: 'wx1', WECHAT_MCH_ID: '1', WECHAT_API_KEY: 'k' };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-config-'));
    const pem = path.join(dir, 'apiclient_cert.pem');
    fs.writeFileSync(pem, 'x');
    try {
      assert.throws(
        () => loadConfig({ ...live, WECHAT_CLIENT_P12_FILE: pem, WECHAT_CLIENT_CERT_FILE: pem }),
        /^ConfigError: Set the WeChat client certificate once: WECHAT_CLIENT_P12_FILE, or WECHAT_CLIENT_CERT_FILE with WECHAT_CLIENT_KEY_FILE, not both$/,
      );
      assert.throws(
        () => loadConfig({ ...live, WECHAT_CLIENT_CERT_FILE: pem }),
        /^ConfigError: The WeChat client certificate needs both WECHAT_CLIENT_CERT_FILE and WECHAT_CLIENT_KEY_FILE \(missing: WECHAT_CLIENT_KEY_FILE\)$/,
      );
      assert.throws(
        () => loadConfig({ ...live, WECHAT_CLIENT_P12_FILE: path.join(dir, 'nope.p12') }),
        /^ConfigError: WECHAT_CLIENT_P12_FILE names a file that cannot be read: /,
      );
      // The sandbox has no use for a certificate and does not read these settings.
      assert.equal(
        loadConfig({ WECHAT_CLIENT_P12_FILE: path.join(dir, 'nope.p12') }).wechat.clientCertificate,
        undefined,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parking configuration (family 5)', () => {
  it('logs WeChat callers in through the sandbox by default, never by default in production', () => {
    const parking = loadConfig({}).parking;
    assert.equal(parking.oauthMode, 'sandbox');
    assert.equal(parking.maxPlates, 5);
    assert.equal(parking.sessionTtlMs, 7 * 86_400_000);
    assert.equal(parking.wechatApiBase, 'https://api.weixin.qq.com');
    assert.equal(parking.wechatAuthorizeBase, 'https://open.weixin.qq.com');
    const production = {
      NODE_ENV: 'production',
      FANGTONG_PII_KEY: 'a'.repeat(64),
      WECHAT_PAY_MODE: 'sandbox',
      SMS_PROVIDER: 'log',
    };
    assert.equal(loadConfig(production).parking.oauthMode, 'off');
    assert.equal(loadConfig({ ...production, PARKING_OAUTH_MODE: 'sandbox' }).parking.oauthMode, 'sandbox');
  });

  it('needs the official account and its secret for live OAuth, and takes the limits as told', () => {
    assert.throws(
      () => loadConfig({ PARKING_OAUTH_MODE: 'live' }),
      /^ConfigError: PARKING_OAUTH_MODE=live needs PARKING_WECHAT_APP_ID, PARKING_WECHAT_APP_SECRET$/,
    );
    assert.throws(
      () => loadConfig({ PARKING_OAUTH_MODE: 'live', PARKING_WECHAT_APP_ID: 'wx1' }),
      /^ConfigError: PARKING_OAUTH_MODE=live needs PARKING_WECHAT_APP_SECRET$/,
    );
    const live = loadConfig({
      PARKING_OAUTH_MODE: 'live',
      PARKING_WECHAT_APP_ID: 'wx1',
      PARKING_WECHAT_APP_SECRET: 's',
      PARKING_WECHAT_API_BASE: 'http://127.0.0.1:9',
      PARKING_MAX_PLATES: '3',
      PARKING_SESSION_TTL: '1',
    }).parking;
    assert.deepEqual(live, {
      oauthMode: 'live',
      wechatAppId: 'wx1',
      wechatAppSecret: 's',
      wechatApiBase: 'http://127.0.0.1:9',
      wechatAuthorizeBase: 'https://open.weixin.qq.com',
      maxPlates: 3,
      sessionTtlMs: 86_400_000,
    });
    assert.throws(
      () => loadConfig({ PARKING_OAUTH_MODE: 'maybe' }),
      /PARKING_OAUTH_MODE must be one of sandbox, live, off/,
    );
    assert.throws(
      () => loadConfig({ PARKING_MAX_PLATES: '0' }),
      /PARKING_MAX_PLATES must be a positive whole number/,
    );
  });
});
