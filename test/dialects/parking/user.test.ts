import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { memorySmsProvider } from '../../../src/platform/sms/sms-provider.js';
import {
  DEMO_PARK_ID,
  DEMO_PARKING_CARD_ID,
  DEMO_PARKING_OPEN_ID,
  DEMO_PARKING_PRODUCT_ID,
  DEMO_PARKING_USER_ID,
  DEMO_PARKING_VERSION_ID,
} from '../../../src/seed/demo-parking.js';
import { body, startTestApp, TEST_NOW, type TestApp } from '../../helpers/test-app.js';
import { codeSentTo, post, seedParkingDemo, signIn } from './parking-fixtures.js';

const DAY = 86_400_000;
const NOW = String(TEST_NOW);

/** The demo card as calls 1 and 2 show it (see the spec's cardList). */
const DEMO_CARD = {
  omPrCardId: DEMO_PARKING_CARD_ID,
  productId: DEMO_PARKING_PRODUCT_ID,
  productVId: DEMO_PARKING_VERSION_ID,
  productName: '包月',
  amount: '150.00',
  unitType: '4',
  rentType: '1',
  lastOrderId: '',
  orderRemark: '',
  cmUserId: '',
  userInfoId: DEMO_PARKING_USER_ID,
  userName: '用户1',
  startDt: String(TEST_NOW - 30 * DAY),
  endDt: String(TEST_NOW + 30 * DAY),
  renewEndDt: '',
  state: '1',
  remark: '',
  createDt: String(TEST_NOW - 30 * DAY),
  cardType: '3',
  auditStateBeforePay: '',
  isExpire: '0',
  orderState: '',
  orderAmount: 0,
  ifHasConflictProcess: 'false',
};

const DEMO_USER = {
  pmSetrentUserinfoId: DEMO_PARKING_USER_ID,
  name: '用户1',
  phone: '15245263262',
  address: '北京',
  idcard: '',
  driveLicence: '',
  content: '',
  code: '001',
  department: '111001',
  orgCode: '111001',
  isSingle: '0',
  isDrop: '1',
  carNums: '京A12345',
  ifBuyBeiLiRentOnline: false,
  firstOrgName: '文学院',
  firstOrgCode: '111',
  secondOrgName: '中文系',
  secondOrgCode: '111001',
  duplicateCode: '20071230',
  ifHasConflictProcess: 'false',
};

describe('family 5, the user side (calls 1-5, 8-10)', () => {
  let t: TestApp;
  const sms = memorySmsProvider();
  let demo: { cookie: string };

  before(async () => {
    t = await startTestApp({ sms });
    await seedParkingDemo(t);
    demo = await signIn(t.app, DEMO_PARKING_OPEN_ID);
  });
  after(() => t.close());

  /** A code to `phone`, sent now and the clock moved past the one-a-minute limit. */
  async function codeFor(phone: string, as: { cookie: string }): Promise<string> {
    const sent = await post(t.app, 'sms/send-code', { phone }, as);
    assert.deepEqual(body(sent), {
      timestamp: String(t.clock.now()),
      msg: '获取手机验证码成功',
      isSuccess: '0',
    });
    const code = codeSentTo(sms, phone);
    t.clock.advance(61_000);
    return code;
  }

  describe('sessions', () => {
    it('answers 401 in the envelope without a session, or with an unknown one', async () => {
      for (const headers of [{}, { cookie: 'fangtong_parking=nope' }, { authorization: 'Bearer nope' }]) {
        const response = await post(
          t.app,
          'user/find-by-card-id',
          { omPrCardId: DEMO_PARKING_CARD_ID },
          headers,
        );
        assert.equal(response.statusCode, 401);
        assert.deepEqual(body(response), { timestamp: NOW, msg: '请先登录（微信授权）', isSuccess: '1' });
      }
    });

    it('takes the session as a bearer token too', async () => {
      const token = demo.cookie.split('=')[1];
      const response = await post(
        t.app,
        'park/extra-infos',
        { pmParkId: DEMO_PARK_ID },
        { authorization: `Bearer ${token}` },
      );
      assert.equal(body(response).isSuccess, '0');
    });

    it("refuses a cookie-carried change posted from another origin's page (a sibling subdomain's form)", async () => {
      // Found in a security review: SameSite=Lax keeps the cookie from other sites, not from
      // another origin of the same site, whose page could post a form to call 3 as the driver.
      const rename = (headers: Record<string, string>) =>
        t.app.inject({
          method: 'POST',
          url: '/parking/api/user/update',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          payload: `pmSetrentUserinfoId=${DEMO_PARKING_USER_ID}&name=${encodeURIComponent('改名')}`,
        });
      const token = demo.cookie.split('=')[1]!;
      const refused = { timestamp: NOW, msg: '请求来源不允许', isSuccess: '1' };
      for (const headers of [
        { ...demo, origin: 'https://evil.example.edu.cn' },
        { ...demo, origin: 'null' },
        { ...demo, 'sec-fetch-site': 'same-site' },
        { ...demo, 'sec-fetch-site': 'cross-site', origin: 'http://localhost' },
      ]) {
        const response = await rename(headers);
        assert.deepEqual([response.statusCode, body(response)], [200, refused], JSON.stringify(headers));
      }
      const user = await t.db.kysely
        .selectFrom('parking_users')
        .select('name')
        .where('id', '=', DEMO_PARKING_USER_ID)
        .executeTakeFirstOrThrow();
      assert.notEqual(user.name, '改名');
      // The page's own calls (same origin, by the browser's word even where a proxy hides the
      // host), and a bearer token from anywhere, go through.
      for (const headers of [
        { ...demo, origin: 'http://localhost', 'sec-fetch-site': 'same-origin' },
        { ...demo, origin: 'https://park.example.edu.cn', 'sec-fetch-site': 'same-origin' },
        { authorization: `Bearer ${token}`, origin: 'https://evil.example.edu.cn' },
      ]) {
        const response = await t.app.inject({
          method: 'POST',
          url: '/parking/api/park/extra-infos',
          headers,
          payload: { pmParkId: DEMO_PARK_ID },
        });
        assert.equal(body(response).isSuccess, '0', JSON.stringify(headers));
      }
    });

    it('answers an unknown URL 404 and a body that is not JSON 400, in the envelope', async () => {
      const missing = await post(t.app, 'user/nothing', {}, demo);
      assert.equal(missing.statusCode, 404);
      assert.deepEqual(body(missing), { timestamp: NOW, msg: '接口不存在', isSuccess: '1' });
      const broken = await t.app.inject({
        method: 'POST',
        url: '/parking/api/user/update',
        payload: '{"name":',
        headers: { ...demo, 'content-type': 'application/json' },
      });
      assert.equal(broken.statusCode, 400);
      assert.deepEqual(body(broken), { timestamp: NOW, msg: '请求体无法解析', isSuccess: '1' });
    });
  });

  describe('every bad field at once', () => {
    it('names a field of the wrong type beside every other bad one, and refuses a body that is no object whole', async () => {
      // Found by fuzzing: the schema's refusal of the wrong-typed field named it alone.
      for (const [url, payload, msg] of [
        [
          'user/find-by-car-num',
          { carNum: ['京A12345'], name: '用户1', pmParkId: DEMO_PARK_ID, phone: '12345', phoneCode: 'abc' },
          '车牌号格式不正确；手机号不是有效的手机号码；验证码格式不正确',
        ],
        [
          'user/update',
          { pmSetrentUserinfoId: 'u', name: ['x'], phone: '12345', phoneCode: 'abc' },
          '用户名格式不正确；手机号不是有效的手机号码；验证码格式不正确',
        ],
        [
          'car-nums/add',
          { addCarNums: 'XYZ', userInfoId: { a: 1 } },
          '用户Id格式不正确；车牌号格式不正确：XYZ',
        ],
        ['user/find-by-card-id', { omPrCardId: true }, '卡Id格式不正确'],
      ] as const) {
        const response = await post(t.app, url, payload, demo);
        assert.equal(response.statusCode, 200, url);
        assert.deepEqual(body(response), { timestamp: NOW, msg, isSuccess: '1' }, url);
      }
      const list = await t.app.inject({
        method: 'POST',
        url: '/parking/api/user/find-by-card-id',
        payload: '[1]',
        headers: { ...demo, 'content-type': 'application/json' },
      });
      assert.equal(list.statusCode, 400);
      assert.deepEqual(body(list), { timestamp: NOW, msg: '请求体须为JSON对象或表单', isSuccess: '1' });
      // The session before the body, as for calls 6 and 7.
      const stranger = await post(t.app, 'user/find-by-card-id', { omPrCardId: [] });
      assert.equal(stranger.statusCode, 401);
    });
  });

  describe('call 2: find-by-card-id', () => {
    it("answers the owner's user, plates and the one card, with canRePay", async () => {
      const response = await post(t.app, 'user/find-by-card-id', { omPrCardId: DEMO_PARKING_CARD_ID }, demo);
      assert.equal(response.statusCode, 200);
      assert.deepEqual(body(response), {
        timestamp: NOW,
        msg: '查询成功',
        isSuccess: '0',
        canRePay: '0',
        resultData: {
          ...DEMO_USER,
          pmSetRentCarInfoList: [{ carNum: '京A12345', channel: '3' }],
          cardList: [DEMO_CARD],
        },
      });
    });

    it('answers 卡不存在 for a card that is not there, 用户不存在 to an openId bound to nobody', async () => {
      const unknown = await post(t.app, 'user/find-by-card-id', { omPrCardId: 'f'.repeat(32) }, demo);
      assert.deepEqual(body(unknown), { timestamp: NOW, msg: '卡不存在', isSuccess: '1' });
      const stranger = await signIn(t.app, 'sandbox-stranger-0001');
      const other = await post(t.app, 'user/find-by-card-id', { omPrCardId: DEMO_PARKING_CARD_ID }, stranger);
      assert.equal(other.statusCode, 200);
      assert.deepEqual(body(other), { timestamp: NOW, msg: '用户不存在', isSuccess: '1' });
    });

    it('names the missing card id', async () => {
      const response = await post(t.app, 'user/find-by-card-id', {}, demo);
      assert.deepEqual(body(response), { timestamp: NOW, msg: '卡Id不能为空', isSuccess: '1' });
    });
  });

  describe('call 4: organizations, call 5: extra-infos', () => {
    it('lists the first level without orgCode and the second level under it with one', async () => {
      const first = body(await post(t.app, 'park/organizations', { pmParkId: DEMO_PARK_ID }, demo));
      assert.equal(first.isSuccess, '0');
      assert.deepEqual(
        first.resultData.map((o: { name: string; orgCode: string }) => [o.name, o.orgCode]),
        [
          ['文学院', '111'],
          ['计算机学院', '112'],
          ['机关部处', '113'],
        ],
      );
      assert.deepEqual(first.resultData[0], {
        pmParkOrganizationId: first.resultData[0].pmParkOrganizationId,
        pmParkId: DEMO_PARK_ID,
        parkName: '北京理工大学停车场',
        name: '文学院',
        orgCode: '111',
        levelCode: '111',
        parentLevelCode: '',
        level: '1',
        isLeaf: '1',
        isUsed: '0',
      });
      assert.match(first.resultData[0].pmParkOrganizationId, /^[0-9a-f]{32}$/);
      const second = body(
        await post(t.app, 'park/organizations', { pmParkId: DEMO_PARK_ID, orgCode: '111' }, demo),
      );
      assert.deepEqual(
        second.resultData.map((o: Record<string, string>) => [
          o.name,
          o.orgCode,
          o.parentLevelCode,
          o.level,
          o.isLeaf,
        ]),
        [
          ['中文系', '111001', '111', '2', '0'],
          ['历史系', '111002', '111', '2', '0'],
        ],
      );
      const none = body(
        await post(t.app, 'park/organizations', { pmParkId: DEMO_PARK_ID, orgCode: '999' }, demo),
      );
      assert.deepEqual(none, { timestamp: NOW, msg: '操作成功', isSuccess: '0', resultData: [] });
    });

    it('lists the extra items in their order', async () => {
      const extras = body(await post(t.app, 'park/extra-infos', { pmParkId: DEMO_PARK_ID }, demo));
      assert.equal(extras.msg, '操作成功');
      assert.deepEqual(
        extras.resultData.map((e: Record<string, string>) => [e.code, e.name, e.type]),
        [
          ['0', '驾驶证', '1'],
          ['1', '行驶证1', '1'],
          ['2', '在职证明', '1'],
          ['3', '工作证', '1'],
          ['4', '结婚证', '1'],
          ['5', '身份证', '1'],
          ['6', '行驶证2', '1'],
        ],
      );
      assert.deepEqual(Object.keys(extras.resultData[0]), ['pmSetrentParkExtraId', 'name', 'code', 'type']);
    });

    it('answers 停车场不存在 for an unknown park and names a missing one', async () => {
      for (const url of ['park/organizations', 'park/extra-infos']) {
        assert.deepEqual(body(await post(t.app, url, { pmParkId: '1' }, demo)), {
          timestamp: NOW,
          msg: '停车场不存在',
          isSuccess: '1',
        });
        assert.deepEqual(body(await post(t.app, url, {}, demo)), {
          timestamp: NOW,
          msg: '停车场Id不能为空',
          isSuccess: '1',
        });
      }
    });
  });

  describe('call 8: send-code', () => {
    it('names a bad phone and keeps the shared limits (1 a minute)', async () => {
      const stranger = await signIn(t.app, 'sandbox-sms-limits-01');
      assert.deepEqual(body(await post(t.app, 'sms/send-code', {}, stranger)), {
        timestamp: String(t.clock.now()),
        msg: '手机号不能为空',
        isSuccess: '1',
      });
      assert.deepEqual(body(await post(t.app, 'sms/send-code', { phone: '12345' }, stranger)), {
        timestamp: String(t.clock.now()),
        msg: '手机号不是有效的手机号码',
        isSuccess: '1',
      });
      const first = await post(t.app, 'sms/send-code', { phone: '13700007777' }, stranger);
      assert.equal(body(first).isSuccess, '0');
      assert.match(codeSentTo(sms, '13700007777'), /^\d{6}$/);
      const again = await post(t.app, 'sms/send-code', { phone: '13700007777' }, stranger);
      assert.equal(again.statusCode, 429);
      assert.deepEqual(body(again), {
        timestamp: String(t.clock.now()),
        msg: '验证码发送过于频繁，请1分钟后再试',
        isSuccess: '1',
      });
    });
  });

  describe('call 1: find-by-car-num', () => {
    it('names every missing or bad field', async () => {
      const stranger = await signIn(t.app, 'sandbox-validation-01');
      assert.deepEqual(body(await post(t.app, 'user/find-by-car-num', {}, stranger)), {
        timestamp: String(t.clock.now()),
        msg: '车牌号不能为空；用户名不能为空；停车场Id不能为空；手机号不能为空',
        isSuccess: '1',
      });
      // Every field right but the code, from a caller bound to nobody: the code is what is missing.
      const noCode = await post(
        t.app,
        'user/find-by-car-num',
        { carNum: '京A12345', name: '用户1', pmParkId: DEMO_PARK_ID, phone: '15245263262' },
        stranger,
      );
      assert.deepEqual(body(noCode), {
        timestamp: String(t.clock.now()),
        msg: '验证码不能为空',
        isSuccess: '1',
      });
      const bad = await post(
        t.app,
        'user/find-by-car-num',
        {
          carNum: '京A1234',
          name: '张三',
          pmParkId: DEMO_PARK_ID,
          phone: '2345',
          phoneCode: '12ab',
          isOverDuplicate: '2',
        },
        stranger,
      );
      assert.deepEqual(body(bad), {
        timestamp: String(t.clock.now()),
        msg: '车牌号格式不正确；手机号不是有效的手机号码；验证码格式不正确；是否覆盖职工工号只能为0（覆盖）或1（不覆盖）',
        isSuccess: '1',
      });
    });

    it('names fields longer than allowed, and a field of the wrong type', async () => {
      const stranger = await signIn(t.app, 'sandbox-validation-02');
      const long = await post(
        t.app,
        'user/find-by-car-num',
        { carNum: '京A123456789012345678', name: 'x'.repeat(40), phoneCode: ['1'] },
        stranger,
      );
      assert.deepEqual(body(long), {
        timestamp: String(t.clock.now()),
        // Every bad field at once: the missing ones too, and the reader's own limits.
        msg: '车牌号不能超过16个字符；用户名不能超过20个字符；停车场Id不能为空；手机号不能为空；验证码格式不正确',
        isSuccess: '1',
      });
    });

    it('refuses a wrong code, then makes the user with the plate and a new card, bound to the caller', async () => {
      const me = await signIn(t.app, 'sandbox-new-driver-01');
      const phone = '13900001111';
      const code = await codeFor(phone, me);
      const form = {
        carNum: '京b 54321',
        name: '张三',
        pmParkId: DEMO_PARK_ID,
        phone,
        duplicateCode: '2020001',
      };
      const wrong = await post(
        t.app,
        'user/find-by-car-num',
        { ...form, phoneCode: code === '000000' ? '111111' : '000000' },
        me,
      );
      assert.deepEqual(body(wrong), {
        timestamp: String(t.clock.now()),
        msg: '验证码错误或已失效',
        isSuccess: '1',
      });
      const response = await post(t.app, 'user/find-by-car-num', { ...form, phoneCode: code }, me);
      const answer = body(response);
      assert.equal(answer.isSuccess, '0', response.body);
      assert.equal(answer.msg, '查询成功');
      assert.equal(answer.isOverDuplicate, '1');
      const user = answer.resultData;
      assert.match(user.pmSetrentUserinfoId, /^[0-9a-f]{32}$/);
      assert.deepEqual(
        { ...user, pmSetrentUserinfoId: 'id', cardList: [] },
        {
          pmSetrentUserinfoId: 'id',
          name: '张三',
          phone,
          address: '',
          idcard: '',
          driveLicence: '',
          content: '',
          code: '',
          department: '',
          orgCode: '',
          isSingle: '0',
          isDrop: '1',
          carNums: '京B54321',
          ifBuyBeiLiRentOnline: false,
          firstOrgName: '',
          firstOrgCode: '',
          secondOrgName: '',
          secondOrgCode: '',
          duplicateCode: '2020001',
          ifHasConflictProcess: 'false',
          cardList: [],
        },
      );
      assert.equal(user.cardList.length, 1);
      const card = user.cardList[0];
      assert.match(card.omPrCardId, /^[0-9a-f]{32}$/);
      assert.deepEqual(
        { ...card, omPrCardId: 'id' },
        {
          ...DEMO_CARD,
          omPrCardId: 'id',
          userInfoId: user.pmSetrentUserinfoId,
          userName: '张三',
          startDt: '',
          endDt: '',
          state: '0',
          createDt: String(t.clock.now()),
        },
      );
      // The code is spent: the same code again is refused.
      const replay = await post(t.app, 'user/find-by-car-num', { ...form, phoneCode: code }, me);
      assert.equal(body(replay).msg, '验证码错误或已失效');
      // Now bound: call 2 answers this card to this openId, 卡不存在 for the demo's.
      const mine = body(await post(t.app, 'user/find-by-card-id', { omPrCardId: card.omPrCardId }, me));
      assert.equal(mine.resultData.pmSetrentUserinfoId, user.pmSetrentUserinfoId);
      assert.deepEqual(mine.resultData.pmSetRentCarInfoList, [{ carNum: '京B54321', channel: '9' }]);
      assert.deepEqual(
        body(await post(t.app, 'user/find-by-card-id', { omPrCardId: DEMO_PARKING_CARD_ID }, me)),
        {
          timestamp: String(t.clock.now()),
          msg: '卡不存在',
          isSuccess: '1',
        },
      );
    });

    it('answers a returning caller without a code, and asks for one whenever the find would change something', async () => {
      const find = (form: Record<string, string>) =>
        post(
          t.app,
          'user/find-by-car-num',
          { carNum: '京A12345', name: '用户1', pmParkId: DEMO_PARK_ID, phone: '15245263262', ...form },
          demo,
        );
      const audits = async () =>
        Number(
          (
            await t.db.kysely
              .selectFrom('audit_log')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await audits();
      const again = body(await find({ carNum: '京a 12345', isOverDuplicate: '1', duplicateCode: '9999' }));
      assert.equal(again.isSuccess, '0', JSON.stringify(again));
      assert.equal(again.msg, '查询成功');
      assert.deepEqual({ ...again.resultData, cardList: [] }, { ...DEMO_USER, cardList: [] });
      assert.deepEqual(
        again.resultData.cardList.map((c: { omPrCardId: string }) => c.omPrCardId),
        [DEMO_PARKING_CARD_ID],
      );
      assert.equal(await audits(), before, 'a returning find writes nothing');
      // Each of these would write (a plate to add, a 职工工号 to overwrite) or names someone else.
      const changes: Array<Record<string, string>> = [
        { carNum: '京A54321' },
        { duplicateCode: '9999', isOverDuplicate: '0' },
        { name: '用户2' },
        { phone: '13900009999' },
        { pmParkId: 'another-park' },
      ];
      for (const form of changes) {
        assert.deepEqual(
          body(await find(form)),
          {
            timestamp: String(t.clock.now()),
            msg: '验证码不能为空',
            isSuccess: '1',
          },
          JSON.stringify(form),
        );
      }
      assert.equal(await audits(), before);
      // Another caller is not the demo user's: the same find without a code is refused.
      const other = await signIn(t.app, 'sandbox-returning-other');
      const theirs = await post(
        t.app,
        'user/find-by-car-num',
        { carNum: '京A12345', name: '用户1', pmParkId: DEMO_PARK_ID, phone: '15245263262' },
        other,
      );
      assert.equal(body(theirs).msg, '验证码不能为空');
    });

    it("refuses another user's plate, and a name that is not the phone's user's", async () => {
      const me = await signIn(t.app, 'sandbox-plate-thief-1');
      const phone = '13900002222';
      const code = await codeFor(phone, me);
      const taken = await post(
        t.app,
        'user/find-by-car-num',
        { carNum: '京A12345', name: '李四', pmParkId: DEMO_PARK_ID, phone, phoneCode: code },
        me,
      );
      assert.deepEqual(body(taken), {
        timestamp: String(t.clock.now()),
        msg: '车牌号京A12345已被其他用户绑定',
        isSuccess: '1',
      });
      const demoCode = await codeFor('15245263262', me);
      const wrongName = await post(
        t.app,
        'user/find-by-car-num',
        {
          carNum: '京A12345',
          name: '别人',
          pmParkId: DEMO_PARK_ID,
          phone: '15245263262',
          phoneCode: demoCode,
        },
        me,
      );
      assert.deepEqual(body(wrongName), {
        timestamp: String(t.clock.now()),
        msg: '用户名与该手机号登记的用户不一致',
        isSuccess: '1',
      });
    });
  });

  describe('call 3: update', () => {
    it('changes the name; a new phone needs its own code; another user answers 用户不存在', async () => {
      const me = await signIn(t.app, 'sandbox-updater-0001');
      const phone = '13900003333';
      let code = await codeFor(phone, me);
      const bound = body(
        await post(
          t.app,
          'user/find-by-car-num',
          { carNum: '沪C12345', name: '王五', pmParkId: DEMO_PARK_ID, phone, phoneCode: code },
          me,
        ),
      );
      const id = bound.resultData.pmSetrentUserinfoId;
      assert.deepEqual(
        body(await post(t.app, 'user/update', { pmSetrentUserinfoId: id, name: '王五五' }, me)),
        {
          timestamp: String(t.clock.now()),
          msg: '操作成功',
          isSuccess: '0',
        },
      );
      const noCode = await post(t.app, 'user/update', { pmSetrentUserinfoId: id, phone: '13900004444' }, me);
      assert.deepEqual(body(noCode), {
        timestamp: String(t.clock.now()),
        msg: '更换手机号需先获取并填写验证码',
        isSuccess: '1',
      });
      code = await codeFor('13900004444', me);
      const changed = await post(
        t.app,
        'user/update',
        { pmSetrentUserinfoId: id, phone: '13900004444', phoneCode: code },
        me,
      );
      assert.equal(body(changed).isSuccess, '0');
      const cardId = bound.resultData.cardList[0].omPrCardId;
      const after = body(await post(t.app, 'user/find-by-card-id', { omPrCardId: cardId }, me)).resultData;
      assert.equal(after.name, '王五五');
      assert.equal(after.phone, '13900004444');
      // The demo user's phone is taken.
      code = await codeFor('15245263262', me);
      const taken = await post(
        t.app,
        'user/update',
        { pmSetrentUserinfoId: id, phone: '15245263262', phoneCode: code },
        me,
      );
      assert.equal(body(taken).msg, '该手机号已被其他用户使用');
      const others = await post(
        t.app,
        'user/update',
        { pmSetrentUserinfoId: DEMO_PARKING_USER_ID, name: 'x' },
        me,
      );
      assert.deepEqual(body(others), { timestamp: String(t.clock.now()), msg: '用户不存在', isSuccess: '1' });
      assert.deepEqual(body(await post(t.app, 'user/update', { pmSetrentUserinfoId: id }, me)), {
        timestamp: String(t.clock.now()),
        msg: '请填写要修改的用户名或手机号',
        isSuccess: '1',
      });
      assert.deepEqual(body(await post(t.app, 'user/update', { name: 'x', phone: '1' }, me)), {
        timestamp: String(t.clock.now()),
        msg: '用户ID不能为空；手机号不是有效的手机号码',
        isSuccess: '1',
      });
    });
  });

  describe('calls 9 and 10: plates', () => {
    it('adds valid plates up to the limit, refusing bad, taken and surplus ones by name', async () => {
      const add = (carNums: string) =>
        post(t.app, 'car-nums/add', { addCarNums: carNums, userInfoId: DEMO_PARKING_USER_ID }, demo).then(
          body,
        );
      assert.deepEqual(await add('京L78023，粤BD12345'), {
        timestamp: String(t.clock.now()),
        msg: '提交成功',
        isSuccess: '0',
      });
      assert.deepEqual(await add('京A1234,ABC1234,京L78024'), {
        timestamp: String(t.clock.now()),
        msg: '车牌号格式不正确：京A1234，ABC1234',
        isSuccess: '1',
      });
      assert.equal((await add('京B54321')).msg, '车牌号京B54321已被其他用户绑定');
      assert.equal((await add('京L78023')).msg, '车牌号京L78023已绑定，无需重复添加');
      assert.equal((await add('京L78025,京L78026,京L78027')).msg, '每位用户最多绑定5个车牌，已绑定3个');
      assert.equal((await add('京L78025,京L78026')).isSuccess, '0');
      const plates = body(
        await post(t.app, 'user/find-by-card-id', { omPrCardId: DEMO_PARKING_CARD_ID }, demo),
      ).resultData.pmSetRentCarInfoList;
      assert.deepEqual(plates, [
        { carNum: '京A12345', channel: '3' },
        { carNum: '京L78023', channel: '9' },
        { carNum: '粤BD12345', channel: '9' },
        { carNum: '京L78025', channel: '9' },
        { carNum: '京L78026', channel: '9' },
      ]);
      assert.deepEqual(await add(''), {
        timestamp: String(t.clock.now()),
        msg: '车牌号不能为空',
        isSuccess: '1',
      });
    });

    it('deletes only plates added online, naming the others; another user answers 用户不存在', async () => {
      const del = (carNums: string, as = demo, userInfoId = DEMO_PARKING_USER_ID) =>
        post(t.app, 'car-nums/delete', { delCarNums: carNums, userInfoId }, as).then(body);
      assert.deepEqual(await del('京A12345,京Z99999'), {
        timestamp: String(t.clock.now()),
        msg: '车牌号京Z99999不存在；车牌号京A12345非线上添加，不能删除',
        isSuccess: '1',
      });
      assert.deepEqual(await del('京L78025,京L78026'), {
        timestamp: String(t.clock.now()),
        msg: '提交成功',
        isSuccess: '0',
      });
      const stranger = await signIn(t.app, 'sandbox-stranger-0002');
      assert.equal((await del('京L78023', stranger)).msg, '用户不存在');
      const carNums = body(
        await post(t.app, 'user/find-by-card-id', { omPrCardId: DEMO_PARKING_CARD_ID }, demo),
      ).resultData.carNums;
      assert.equal(carNums, '京A12345,京L78023,粤BD12345');
    });
  });

  describe('isOverDuplicate', () => {
    it('keeps the stored 职工工号 with 1 and overwrites it with 0; the phone moves the binding to the new openId', async () => {
      const newPhone = await signIn(t.app, 'sandbox-demo-second-1');
      const bind = async (duplicateCode: string, isOverDuplicate: string) => {
        const code = await codeFor('15245263262', newPhone);
        return body(
          await post(
            t.app,
            'user/find-by-car-num',
            {
              carNum: '京A12345',
              name: '用户1',
              pmParkId: DEMO_PARK_ID,
              phone: '15245263262',
              duplicateCode,
              phoneCode: code,
              isOverDuplicate,
            },
            newPhone,
          ),
        );
      };
      const kept = await bind('30000001', '1');
      assert.equal(kept.isOverDuplicate, '1');
      assert.equal(kept.resultData.duplicateCode, '20071230');
      const overwritten = await bind('30000001', '0');
      assert.equal(overwritten.isOverDuplicate, '0');
      assert.equal(overwritten.resultData.duplicateCode, '30000001');
      assert.equal(overwritten.resultData.pmSetrentUserinfoId, DEMO_PARKING_USER_ID);
      // One openId per user: the demo's old openId is let go.
      assert.equal(
        body(await post(t.app, 'user/find-by-card-id', { omPrCardId: DEMO_PARKING_CARD_ID }, demo)).msg,
        '用户不存在',
      );
    });
  });
});
