import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../src/config.js';

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
