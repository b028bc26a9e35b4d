import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionCache } from '../../src/platform/session-cache.js';

describe('SessionCache', () => {
  it('keeps an entry for its ttl, never past the session expiry', () => {
    const cache = new SessionCache<string>(5000);
    cache.set('a', 'alice', 1000, 1_000_000);
    cache.set('b', 'bob', 1000, 3000);
    assert.equal(cache.get('a', 5999), 'alice');
    assert.equal(cache.get('a', 6000), undefined);
    assert.equal(cache.get('b', 2999), 'bob');
    assert.equal(cache.get('b', 3000), undefined);
  });

  it('forgets a deleted entry at once', () => {
    const cache = new SessionCache<string>(5000);
    cache.set('a', 'alice', 0, 1_000_000);
    cache.delete('a');
    assert.equal(cache.get('a', 1), undefined);
  });

  it('gives up the oldest entry when full', () => {
    const cache = new SessionCache<number>(5000, 2);
    cache.set('a', 1, 0, 1_000_000);
    cache.set('b', 2, 0, 1_000_000);
    cache.set('c', 3, 0, 1_000_000);
    assert.deepEqual(
      ['a', 'b', 'c'].map((k) => cache.get(k, 1)),
      [undefined, 2, 3],
    );
  });

  it('holds nothing with a ttl of 0', () => {
    const cache = new SessionCache<string>(0);
    cache.set('a', 'alice', 0, 1_000_000);
    assert.equal(cache.get('a', 0), undefined);
  });
});
