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
});
