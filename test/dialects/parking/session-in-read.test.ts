import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DEMO_PARK_ID,
  DEMO_PARKING_CARD_ID,
  DEMO_PARKING_OPEN_ID,
  DEMO_PARKING_USER_ID,
} from '../../../src/seed/demo-parking.js';
import { body, startTestApp, type TestApp } from '../../helpers/test-app.js';
import { post, seedParkingDemo, signIn } from './parking-fixtures.js';

const DAY = 86_400_000;
const DEMO_FIND = { carNum: '京A12345', name: '用户1', pmParkId: DEMO_PARK_ID, phone: '15245263262' };

/**
 * Calls 1 (without a code) and 2 prove a session the cache does not hold inside their one read
 * (the user's view found through the session), instead of a session lookup before it. Every
 * answer must be what the lookup first would have given.
 */
describe('family 5: the reads that prove the session themselves', () => {
  // The cache off: every request's session is proved by the read.
  let t: TestApp;
  // The cache on (5 s, the default): a session the read proved is remembered.
  let cached: TestApp;

  before(async () => {
    t = await startTestApp({ env: { FANGTONG_SESSION_CACHE_SECONDS: '0' } });
    cached = await startTestApp();
    await seedParkingDemo(t);
    await seedParkingDemo(cached);
  });
  after(async () => {
    await t.close();
    await cached.close();
  });

  const refusal = (app: TestApp, msg: string) => ({
    timestamp: String(app.clock.now()),
    msg,
    isSuccess: '1',
  });

  it("answers a live session's user, card and find as the lookup first would", async () => {
    const demo = await signIn(t.app, DEMO_PARKING_OPEN_ID);
    for (let round = 0; round < 2; round++) {
      const card = body(
        await post(t.app, 'user/find-by-card-id', { omPrCardId: DEMO_PARKING_CARD_ID }, demo),
      );
      assert.equal(card.msg, '查询成功');
      assert.equal(card.canRePay, '0');
      assert.equal(card.resultData.pmSetrentUserinfoId, DEMO_PARKING_USER_ID);
      assert.equal(card.resultData.phone, DEMO_FIND.phone);
      assert.deepEqual(
        card.resultData.cardList.map((c: { omPrCardId: string }) => c.omPrCardId),
        [DEMO_PARKING_CARD_ID],
      );
      const found = body(await post(t.app, 'user/find-by-car-num', DEMO_FIND, demo));
      assert.equal(found.msg, '查询成功');
      assert.equal(found.resultData.pmSetrentUserinfoId, DEMO_PARKING_USER_ID);
      assert.equal(found.resultData.carNums, '京A12345');
      assert.equal(found.resultData.cardList.length, 1);
    }
  });

  it('refuses a session that has ended (401), on both reads', async () => {
    const demo = await signIn(t.app, DEMO_PARKING_OPEN_ID);
    t.clock.advance(7 * DAY);
    try {
      const card = await post(t.app, 'user/find-by-card-id', { omPrCardId: DEMO_PARKING_CARD_ID }, demo);
      assert.equal(card.statusCode, 401);
      assert.deepEqual(body(card), refusal(t, '请先登录（微信授权）'));
      const found = await post(t.app, 'user/find-by-car-num', DEMO_FIND, demo);
      assert.equal(found.statusCode, 401);
      assert.deepEqual(body(found), refusal(t, '请先登录（微信授权）'));
    } finally {
      t.clock.advance(-7 * DAY);
    }
  });

  it('tells a live session of an openId bound to no one from a session that is not live', async () => {
    const stranger = await signIn(t.app, 'sandbox-in-read-stranger');
    const card = await post(t.app, 'user/find-by-card-id', { omPrCardId: DEMO_PARKING_CARD_ID }, stranger);
    // The family answers a missing record in its envelope with 200, as the spec's calls do.
    assert.equal(card.statusCode, 200);
    assert.deepEqual(body(card), refusal(t, '用户不存在'));
    assert.deepEqual(
      body(await post(t.app, 'user/find-by-car-num', DEMO_FIND, stranger)),
      refusal(t, '验证码不能为空'),
    );
    // Another's card through a live session of its own: missing, as for any caller.
    const demo = await signIn(t.app, DEMO_PARKING_OPEN_ID);
    const other = await post(t.app, 'user/find-by-card-id', { omPrCardId: 'f'.repeat(32) }, demo);
    assert.equal(other.statusCode, 200);
    assert.deepEqual(body(other), refusal(t, '卡不存在'));
  });

  it('remembers a session its read proved, as a lookup would have (only with the cache on)', async () => {
    for (const app of [cached, t]) {
      const demo = await signIn(app.app, DEMO_PARKING_OPEN_ID);
      const read = () => post(app.app, 'user/find-by-card-id', { omPrCardId: DEMO_PARKING_CARD_ID }, demo);
      assert.equal(body(await read()).msg, '查询成功');
      // The session gone from the database: only a server that remembered it still answers.
      await app.db.kysely.deleteFrom('parking_sessions').execute();
      const again = await read();
      if (app === cached) assert.equal(body(again).msg, '查询成功');
      else assert.deepEqual(body(again), refusal(app, '请先登录（微信授权）'));
    }
  });
});
