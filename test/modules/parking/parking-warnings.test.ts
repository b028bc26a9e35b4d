import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SmsProvider } from '../../../src/platform/sms/sms-provider.js';
import { captureLogs } from '../../helpers/log-capture.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { seedParkingWorld } from './parking-orders-fixtures.js';

const DAY = 86_400_000;
const WARN_LEVEL = 40;

/**
 * What goes wrong in parking's jobs reaches no caller: the app's own log must say it. The
 * reminder job of the real app (its wiring, not a test's deps) meets an SMS provider that
 * refuses every text.
 */
describe('parking: warnings no request hears of go to the app log', () => {
  const logs = captureLogs();
  let t: TestApp;
  const refusing: SmsProvider = {
    name: 'log',
    send: async () => ({
      ok: false,
      kind: 'refused',
      code: 'isv.BUSINESS_LIMIT_CONTROL',
      message: '触发天级流控',
    }),
  };

  before(async () => {
    t = await startTestApp({
      sms: refusing,
      logStream: logs.stream,
      env: { SMS_TEMPLATE_PARKING_REMINDER: 'SMS_PARKING_REMINDER' },
    });
  });
  after(() => t.close());

  it('a reminder the SMS provider refuses is logged at warn with its card and code', async () => {
    const end = t.clock.now() + 5 * DAY;
    const world = await seedParkingWorld(t.db.kysely, t.app.runtime.pii, t.clock.now(), { validEnd: end });
    assert.ok((await t.app.runtime.jobs.tick()).includes('parking.remind-expiring'));
    const warned = logs.lines.filter((line) => line.msg?.startsWith('parking reminder'));
    assert.deepEqual(
      warned.map((line) => [line.level, line.msg]),
      [[WARN_LEVEL, `parking reminder for card ${world.cardId} not sent: isv.BUSINESS_LIMIT_CONTROL`]],
    );
  });
});
