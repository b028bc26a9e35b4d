import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { partnerSign } from '../../../src/core/signing.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

const UA = 'SH_XJ360_POA';
const KEY = 'test-signkey-0123456789';
const MINUTE = 60_000;
const DAY = 86_400_000;
const CALL = 'BindCard.getValidBankList';

describe('the partner gateway remembers accepted signatures for the replay window (30 days)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await t.app.runtime.modules.partner.create({ ua: UA, signkey: KEY, calls: '*' }, t.clock.now(), 'test');
  });
  after(() => t.close());

  /**
   * What an eavesdropper holds: one signed request. The timestamp is not signed, so it is sent
   * fresh each time and passes the ±10-minute check.
   */
  const captured = (args: string) => {
    const sign = partnerSign(UA, KEY, CALL, args);
    return () =>
      t.app.inject({
        method: 'POST',
        url: '/partner/gateway',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          ua: UA,
          call: CALL,
          args,
          sign,
          timestamp: String(Math.floor(t.clock.now() / 1000)),
        }).toString(),
      });
  };
  const REPLAY = { status: 1005, message: '重复的请求', response: null };

  /** Moves the clock and lets the server's jobs run, the signature purge among them. */
  const later = async (ms: number) => {
    t.clock.advance(ms);
    await t.app.runtime.jobs.tick();
  };

  it('refuses the replay after 21 minutes, 29 days and 30 days, and only after 31 days takes it again', async () => {
    const send = captured('{"card_type":"2"}');
    assert.equal((await send()).json().status, 1);

    await later(21 * MINUTE);
    const after21Minutes = await send();
    assert.equal(after21Minutes.statusCode, 401);
    assert.deepEqual(after21Minutes.json(), REPLAY);

    await later(29 * DAY - 21 * MINUTE);
    assert.deepEqual((await send()).json(), REPLAY, 'after 29 days');

    await later(DAY);
    assert.deepEqual((await send()).json(), REPLAY, 'after 30 days: the day it was accepted is not over');

    await later(DAY);
    const after31Days = await send();
    assert.equal(after31Days.statusCode, 200, 'forgotten: the residual risk docs/partner.md states');
    assert.equal(after31Days.json().status, 1);
    assert.deepEqual((await send()).json(), REPLAY, 'and remembered again from then on');
  });

  it('accepts exactly one of ten identical calls racing in', async () => {
    const send = captured('{"card_type":"1"}');
    const answers = await Promise.all(Array.from({ length: 10 }, send));
    const statuses = answers.map((res) => res.json().status).sort((a, b) => a - b);
    assert.deepEqual(statuses, [1, ...Array(9).fill(1005)]);
  });
});
