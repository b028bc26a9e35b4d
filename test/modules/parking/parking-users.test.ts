import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  nextCardState,
  nextOrderState,
  PARKING_CARD_STATES,
  PARKING_ORDER_STATES,
} from '../../../src/modules/parking/parking-state.js';
import { memorySmsProvider } from '../../../src/platform/sms/sms-provider.js';
import {
  DEMO_PARK_ID,
  DEMO_PARKING_CARD_ID,
  DEMO_PARKING_OPEN_ID,
  DEMO_PARKING_PRODUCT_ID,
  DEMO_PARKING_USER_ID,
  DEMO_PARKING_VERSION_ID,
} from '../../../src/seed/demo-parking.js';
import { codeSentTo, post, seedParkingDemo, signIn } from '../../dialects/parking/parking-fixtures.js';
import { body, startTestApp, TEST_NOW, type TestApp } from '../../helpers/test-app.js';

const DAY = 86_400_000;

describe('parking state tables', () => {
  it('move a card only as the table says', () => {
    const moves: Array<[number, string, number | undefined]> = [
      [0, 'first_paid', 1],
      [1, 'renewal_opened', 2],
      [2, 'renewal_paid', 1],
      [2, 'renewal_closed', 1],
      [0, 'first_timed_out', -1],
      [-1, 'first_reopened', 0],
      [0, 'first_reopened', undefined],
      [1, 'first_reopened', undefined],
      [1, 'first_paid', undefined],
      [-1, 'first_paid', undefined],
      [2, 'renewal_opened', undefined],
      [1, 'first_timed_out', undefined],
    ];
    for (const [from, event, to] of moves) {
      assert.equal(nextCardState(from as never, event as never), to, `${from} ${event}`);
    }
    assert.deepEqual([...PARKING_CARD_STATES], [-1, 0, 1, 2]);
  });

  it('move an order only as the table says', () => {
    const allowed = new Map([
      ['01 paid', '03'],
      ['01 timed_out', '81'],
      ['03 refund_requested', '21'],
      ['21 refunded', '22'],
      ['21 refund_failed', '03'],
    ]);
    for (const from of PARKING_ORDER_STATES) {
      for (const event of ['paid', 'timed_out', 'refund_requested', 'refunded', 'refund_failed'] as const) {
        assert.equal(nextOrderState(from, event), allowed.get(`${from} ${event}`), `${from} ${event}`);
      }
    }
  });
});

describe('parking cards as the user sees them, from their orders', () => {
  let t: TestApp;
  let demo: { cookie: string };
  before(async () => {
    t = await startTestApp();
    await seedParkingDemo(t);
    demo = await signIn(t.app, DEMO_PARKING_OPEN_ID);
  });
  after(() => t.close());

  const ORDER_ID = 'aa'.repeat(16);

  async function putOrder(set: { state: '01' | '03' | '81'; audit_state: '01' | '02' | '03' | '04' }) {
    const db = t.db.kysely;
    await db.deleteFrom('parking_orders').execute();
    await db
      .insertInto('parking_orders')
      .values({
        id: ORDER_ID,
        park_id: DEMO_PARK_ID,
        card_id: DEMO_PARKING_CARD_ID,
        user_id: DEMO_PARKING_USER_ID,
        product_id: DEMO_PARKING_PRODUCT_ID,
        product_v_id: DEMO_PARKING_VERSION_ID,
        product_name: '包月',
        price_type: '02',
        unit_type: '4',
        count: 1,
        amount_fen: 30_000,
        start_dt: TEST_NOW + 30 * DAY,
        end_dt: TEST_NOW + 60 * DAY,
        order_type: 1,
        state: set.state,
        is_audit_before_pay: 1,
        audit_state: set.audit_state,
        audit_reason: null,
        audited_by: null,
        audited_at: null,
        extra_info: '[]',
        first_org_name: '文学院',
        first_org_code: '111',
        second_org_name: '中文系',
        second_org_code: '111001',
        user_department: '111001',
        duplicate_code: '20071230',
        out_trade_no: null,
        pay_suc_dt: set.state === '03' ? TEST_NOW : null,
        prev_end_dt: TEST_NOW + 30 * DAY,
        expires_at: TEST_NOW + 300_000,
        created_at: TEST_NOW,
        updated_at: TEST_NOW,
      })
      .execute();
    await db
      .updateTable('parking_cards')
      .set({ last_order_id: ORDER_ID })
      .where('id', '=', DEMO_PARKING_CARD_ID)
      .execute();
  }

  async function view() {
    return body(await post(t.app, 'user/find-by-card-id', { omPrCardId: DEMO_PARKING_CARD_ID }, demo));
  }

  it('shows an open order under review: 审核中, a conflict, no renewal', async () => {
    await putOrder({ state: '01', audit_state: '02' });
    const answer = await view();
    assert.equal(answer.canRePay, '1');
    assert.equal(answer.resultData.ifHasConflictProcess, 'true');
    assert.equal(answer.resultData.ifBuyBeiLiRentOnline, false);
    const card = answer.resultData.cardList[0];
    assert.deepEqual(
      {
        lastOrderId: card.lastOrderId,
        amount: card.amount,
        auditStateBeforePay: card.auditStateBeforePay,
        isExpire: card.isExpire,
        orderState: card.orderState,
        orderAmount: card.orderAmount,
        ifHasConflictProcess: card.ifHasConflictProcess,
      },
      {
        lastOrderId: ORDER_ID,
        amount: '300.00',
        auditStateBeforePay: '02',
        isExpire: '2',
        orderState: '01',
        orderAmount: 300,
        ifHasConflictProcess: 'true',
      },
    );
  });

  it('shows 3 once approved and 4 once refused', async () => {
    await putOrder({ state: '01', audit_state: '03' });
    assert.equal((await view()).resultData.cardList[0].isExpire, '3');
    await putOrder({ state: '01', audit_state: '04' });
    assert.equal((await view()).resultData.cardList[0].isExpire, '4');
  });

  it('shows a paid order as bought online, the card in use, renewable; past its end the card is expired', async () => {
    await putOrder({ state: '03', audit_state: '03' });
    const answer = await view();
    assert.equal(answer.canRePay, '0');
    assert.equal(answer.resultData.ifBuyBeiLiRentOnline, true);
    assert.equal(answer.resultData.ifHasConflictProcess, 'false');
    const card = answer.resultData.cardList[0];
    assert.deepEqual([card.isExpire, card.orderState, card.auditStateBeforePay], ['0', '03', '03']);
    // Past its end (the session, 7 days, would not outlive 31 of them: the card's end moves instead).
    await t.db.kysely
      .updateTable('parking_cards')
      .set({ end_dt: TEST_NOW - 1 })
      .where('id', '=', DEMO_PARKING_CARD_ID)
      .execute();
    assert.equal((await view()).resultData.cardList[0].isExpire, '1');
  });
});

describe('parking plates under concurrency', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await seedParkingDemo(t);
  });
  after(() => t.close());

  it('lets concurrent adds hold no more than the limit, and one plate go to one user', async () => {
    const demo = await signIn(t.app, DEMO_PARKING_OPEN_ID);
    const plates = [
      '京N10001',
      '京N10002',
      '京N10003',
      '京N10004',
      '京N10005',
      '京N10006',
      '京N10007',
      '京N10008',
    ];
    const answers = await Promise.all(
      plates.map((p) =>
        post(t.app, 'car-nums/add', { addCarNums: p, userInfoId: DEMO_PARKING_USER_ID }, demo),
      ),
    );
    const ok = answers.filter((a) => body(a).isSuccess === '0').length;
    assert.equal(ok, 4, answers.map((a) => a.body).join('\n'));
    const held = await t.db.kysely
      .selectFrom('parking_plates')
      .select('car_num')
      .where('user_id', '=', DEMO_PARKING_USER_ID)
      .execute();
    assert.equal(held.length, 5);
    for (const a of answers.filter((x) => body(x).isSuccess === '1')) {
      assert.match(
        body(a).msg,
        /^每位用户最多绑定5个车牌，已绑定[1-5]个$|^用户信息已变更，请重试$|已被其他用户绑定$/,
      );
    }
  });
});

describe('parking sessions', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await seedParkingDemo(t);
  });
  after(() => t.close());

  it('last PARKING_SESSION_TTL (7 days), then answer 401 and are forgotten by the job', async () => {
    const me = await signIn(t.app, DEMO_PARKING_OPEN_ID);
    const call = () => post(t.app, 'park/extra-infos', { pmParkId: DEMO_PARK_ID }, me);
    t.clock.advance(7 * DAY - 1);
    assert.equal((await call()).statusCode, 200);
    t.clock.advance(1);
    assert.equal((await call()).statusCode, 401);
    const job = t.app.runtime.jobs;
    assert.ok(job);
    const forget = t.app.ctx.modules.parking.jobs.find((j) => j.name === 'parking.forget-expired-sessions');
    await forget!.run(t.clock.now());
    const left = await t.db.kysely.selectFrom('parking_sessions').select('token_hash').execute();
    assert.equal(left.length, 0);
  });
});

describe('parking users under concurrency', () => {
  let t: TestApp;
  const sms = memorySmsProvider();
  before(async () => {
    t = await startTestApp({ sms });
    await seedParkingDemo(t);
  });
  after(() => t.close());

  it('gives one plate to one of two drivers claiming it at once, with the audit rows of the winner', async () => {
    const drivers = await Promise.all(
      ['13500000001', '13500000002'].map(async (phone, i) => {
        const session = await signIn(t.app, `sandbox-race-driver-${i}`);
        await post(t.app, 'sms/send-code', { phone }, session);
        return { session, phone, code: codeSentTo(sms, phone) };
      }),
    );
    const answers = await Promise.all(
      drivers.map((d, i) =>
        post(
          t.app,
          'user/find-by-car-num',
          { carNum: '京Q88888', name: `司机${i}`, pmParkId: DEMO_PARK_ID, phone: d.phone, phoneCode: d.code },
          d.session,
        ).then(body),
      ),
    );
    const won = answers.filter((a) => a.isSuccess === '0');
    assert.equal(won.length, 1, JSON.stringify(answers));
    const lost = answers.find((a) => a.isSuccess === '1');
    assert.equal(lost.msg, '车牌号京Q88888已被其他用户绑定');
    const owners = await t.db.kysely
      .selectFrom('parking_plates')
      .select('user_id')
      .where('car_num', '=', '京Q88888')
      .execute();
    assert.deepEqual(owners, [{ user_id: won[0].resultData.pmSetrentUserinfoId }]);
    const audit = await t.db.kysely
      .selectFrom('audit_log')
      .select(['actor', 'entity', 'action', 'reason'])
      .where('entity', 'in', ['parking_user', 'parking_card'])
      .orderBy('id')
      .execute();
    const winner = won[0].resultData;
    const actor = audit[0]?.actor;
    assert.match(actor ?? '', /^wechat:sandbox-race-driver-[01]$/);
    assert.deepEqual(audit, [
      { actor, entity: 'parking_user', action: 'create', reason: 'plate 京Q88888' },
      { actor, entity: 'parking_user', action: 'add_plates', reason: '京Q88888' },
      { actor, entity: 'parking_card', action: 'create', reason: `product ${DEMO_PARKING_PRODUCT_ID}` },
      { actor, entity: 'parking_user', action: 'bind_openid', reason: null },
    ]);
    assert.equal(winner.carNums, '京Q88888');
  });
});
