import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addParkingUnits } from '../../../src/modules/parking/index.js';
import { body, startTestApp, type TestApp } from '../../helpers/test-app.js';
import {
  openOrderIds,
  type ParkingWorld,
  renewalFields,
  seedParkingWorld,
} from '../../modules/parking/parking-orders-fixtures.js';
import { filesUnder, JPEG, PDF, PNG } from '../../platform/storage/fixtures.js';

type FilePart = { filename: string; bytes: Buffer; contentType?: string } | null;

/** A multipart/form-data body as the page sends it: text fields, then `files` parts in slot order. */
export function multipart(fields: Record<string, string>, files: readonly FilePart[]) {
  const boundary = `----fangtong${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  for (const file of files) {
    const filename = file?.filename ?? 'rentForBeiLiGongTempPic';
    const type = file?.contentType ?? (file ? 'image/jpeg' : 'application/octet-stream');
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
      ),
      file?.bytes ?? Buffer.alloc(0),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Calls 6 and 7's failure shape: its keys, sorted. */
const FAILURE_KEYS = ['isSuccess', 'msg', 'returnCode', 'returnMsg', 'timestamp'];

describe('POST /parking/api/order/renew and /parking/api/order/wechat-pay (calls 6 and 7)', () => {
  let t: TestApp;
  let world: ParkingWorld;
  let token: string;
  let uploads: string;

  before(async () => {
    t = await startTestApp();
    world = await seedParkingWorld(t.db.kysely, t.app.runtime.pii, t.clock.now());
    token = (await t.app.runtime.modules.parking.sessions.open(world.openId, t.clock.now())).token;
    uploads = t.app.ctx.config.uploads.dir;
  });
  /** Files stored under the test app's own uploads folder. */
  const added = () => filesUnder(uploads);
  after(() => t.close());

  const renew = (fields: Record<string, string>, files: readonly FilePart[], auth = token) => {
    const { payload, contentType } = multipart(fields, files);
    return t.app.inject({
      method: 'POST',
      url: '/parking/api/order/renew',
      headers: { 'content-type': contentType, authorization: `Bearer ${auth}` },
      payload,
    });
  };
  /** Calls 6 and 7's failure, whole. */
  const refused = (msg: string) => ({
    timestamp: String(t.clock.now()),
    returnCode: 'F',
    returnMsg: msg,
    isSuccess: 'false',
    msg,
  });
  const pay = (payload: object, auth = token) =>
    t.app.inject({
      method: 'POST',
      url: '/parking/api/order/wechat-pay',
      headers: { authorization: `Bearer ${auth}` },
      payload,
    });

  it('refuses a text file named .jpg and a 6 MB file in the spec’s failure shape, keeping nothing', async () => {
    const big = Buffer.concat([JPEG.subarray(0, 12), Buffer.alloc(6 * 1024 * 1024)]);
    const res = await renew(renewalFields(world), [
      { filename: 'photo.jpg', bytes: Buffer.from('plain text pretending to be a JPEG') },
      { filename: 'big.jpg', bytes: big },
    ]);
    assert.equal(res.statusCode, 200);
    const answer = body(res);
    assert.deepEqual(Object.keys(answer).sort(), FAILURE_KEYS);
    assert.equal(answer.returnCode, 'F');
    assert.equal(answer.isSuccess, 'false');
    assert.equal(answer.msg, '第1个文件文件类型不支持，只接受JPEG、PNG或PDF；第2个文件文件超过5MB');
    assert.equal(answer.returnMsg, answer.msg);
    assert.deepEqual(added(), []);
  });

  it('names every bad field and deletes the good file it had already stored', async () => {
    const res = await renew(
      renewalFields(world, { priceType: '9', firstOrgCode: '999', duplicateCode: '' }),
      [{ filename: 'ok.png', bytes: PNG }, null],
    );
    const answer = body(res);
    assert.equal(answer.isSuccess, 'false');
    assert.equal(answer.msg, '职工编号不能为空；产品价格类型只能是01(校内)或02(校外)；所属一级机构不存在');
    assert.deepEqual(added(), []);
  });

  it('answers 401 without a session, and another person’s card like a missing one', async () => {
    const res = await renew(renewalFields(world), [{ filename: 'a.png', bytes: PNG }, null], 'no-such-token');
    assert.equal(res.statusCode, 401);
    assert.deepEqual(body(res), refused('请先登录（微信授权）'));
    const other = await seedParkingWorld(t.db.kysely, t.app.runtime.pii, t.clock.now(), {
      phone: '13900000002',
    });
    const otherToken = (await t.app.runtime.modules.parking.sessions.open(other.openId, t.clock.now())).token;
    const stolen = await renew(
      renewalFields(world, { userInfoId: other.userId }),
      [{ filename: 'a.png', bytes: PNG }, null],
      otherToken,
    );
    assert.equal(body(stolen).msg, '卡不存在');
    assert.deepEqual(added(), []);
  });

  let orderId = '';
  it('pay: a field its schema refuses is answered in call 7’s own shape, every bad field named', async () => {
    // Found by the route fuzzer: these answered the family envelope {timestamp, msg, isSuccess: "1"}.
    for (const [payload, msg] of [
      [{ omPrOrderId: 'x'.repeat(65), openId: world.openId }, '订单ID不能超过64个字符'],
      [{ omPrOrderId: {}, openId: ' '.repeat(200) }, '订单ID格式不正确；微信公众号ID不能超过128个字符'],
    ] as const) {
      const res = await pay(payload);
      assert.equal(res.statusCode, 200);
      assert.deepEqual(body(res), {
        timestamp: String(t.clock.now()),
        returnCode: 'F',
        returnMsg: msg,
        isSuccess: 'false',
        msg,
      });
    }
    const stranger = await pay({ omPrOrderId: {} }, 'no-such-token');
    assert.equal(stranger.statusCode, 401, 'the session first');
    assert.deepEqual(body(stranger), refused('请先登录（微信授权）'));
  });

  it('answers a multipart body that breaks off or has no boundary as 表单格式不正确, keeping nothing', async () => {
    // Found by fuzzing: each answered 500 服务器内部错误 (the parser's own errors were not known).
    const head = (boundary: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`;
    const long = 'b'.repeat(300);
    for (const [contentType, payload] of [
      [
        'multipart/form-data',
        Buffer.from(`--X\r\nContent-Disposition: form-data; name="omPrCardId"\r\n\r\n1\r\n--X--\r\n`),
      ],
      [
        `multipart/form-data; boundary=${long}`,
        Buffer.from(`--${long}\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--${long}--\r\n`),
      ],
      ['multipart/form-data; boundary=X', Buffer.concat([Buffer.from(head('X')), PNG, Buffer.from('\r\n')])],
      ['multipart/form-data; boundary=X', Buffer.concat([Buffer.from(head('X')), PNG.subarray(0, 20)])],
      [
        'multipart/form-data; boundary=X',
        Buffer.concat([
          Buffer.from(`--X\r\nContent-Disposition: form-data; name="omPrCardId"\r\n\r\n${world.cardId}\r\n`),
          Buffer.from(head('X')),
          PNG,
          Buffer.from('\r\n--X\r\nContent-Disposition: form-data; name="files"; filename="b.png"\r\n\r\n'),
          PNG.subarray(0, 30),
        ]),
      ],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/parking/api/order/renew',
        headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
        payload,
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(body(res), refused('表单格式不正确'));
    }
    assert.deepEqual(added(), []);
    assert.deepEqual(await openOrderIds(t.db.kysely, 'card_id', world.cardId), []);
  });

  it('refuses U+0000 in a multipart field, its name or a file’s name as in a JSON body (PostgreSQL stores none)', async () => {
    for (const [fields, filename] of [
      [renewalFields(world, { userDepartment: 'a\u0000b' }), 'a.png'],
      [{ ...renewalFields(world), 'x\u0000': '1' }, 'a.png'],
      [renewalFields(world), 'a\u0000.png'],
    ] as const) {
      const res = await renew(fields, [{ filename, bytes: PNG }, null]);
      assert.equal(res.statusCode, 400, res.body);
      assert.deepEqual(body(res), refused('请求含有不允许的空字符（U+0000）'));
    }
    assert.deepEqual(added(), []);
    assert.deepEqual(await openOrderIds(t.db.kysely, 'card_id', world.cardId), []);
  });

  it('refuses a file sent under a field other than files, which would shift the documents after it', async () => {
    // Found by fuzzing: a part named "photo" was taken as the first document.
    const { payload, contentType } = multipart(renewalFields(world), [
      { filename: 'a.png', bytes: PNG },
      null,
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/parking/api/order/renew',
      headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
      payload: Buffer.from(
        payload
          .toString('latin1')
          .replace('name="files"; filename="a.png"', 'name="photo"; filename="a.png"'),
        'latin1',
      ),
    });
    // Without the file its slot is empty, so the missing 驾驶证 is named beside the misnamed part.
    assert.deepEqual(
      body(res),
      refused('上传文件数量与额外信息不符；请上传驾驶证；上传文件须以字段名files提交'),
    );
    assert.deepEqual(added(), []);
    assert.deepEqual(await openOrderIds(t.db.kysely, 'card_id', world.cardId), []);
  });

  it('answers what is refused before the call runs in the call’s own shape too, never the envelope', async () => {
    // Found in a review against the spec: these answered {timestamp, msg, isSuccess: "1"}, which
    // a client of calls 6 and 7 (reading returnCode and isSuccess "true"/"false") cannot read.
    const post = (url: string, contentType: string, payload: string, auth = token) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': contentType, authorization: `Bearer ${auth}` },
        payload,
      });
    for (const url of ['/parking/api/order/renew', '/parking/api/order/wechat-pay']) {
      for (const [res, status, msg] of [
        [await post(url, 'application/json', '{}', 'no-such-token'), 401, '请先登录（微信授权）'],
        [await post(url, 'application/json', '{"omPrOrderId": '), 400, '请求体无法解析'],
        [await post(url, 'text/plain', 'omPrOrderId=1'), 415, '不支持的请求格式'],
        [
          await post(url, 'application/json', '{"omPrOrderId": "a\\u0000"}'),
          400,
          '请求含有不允许的空字符（U+0000）',
        ],
      ] as const) {
        assert.equal(res.statusCode, status, `${url}: ${res.body}`);
        assert.deepEqual(body(res), refused(msg), url);
      }
    }
    // A body that is no object of fields is refused whole by both, before any field is read.
    for (const url of ['/parking/api/order/renew', '/parking/api/order/wechat-pay']) {
      for (const payload of ['[1]', 'null', '"x"']) {
        const list = await post(url, 'application/json', payload);
        assert.equal(list.statusCode, 400, `${url} ${payload}: ${list.body}`);
        assert.deepEqual(body(list), refused('请求体须为JSON对象或表单'), `${url} ${payload}`);
      }
    }
    // An unknown URL of the family is no call of these two: the family's envelope.
    const unknown = await post('/parking/api/order/nothing', 'application/json', '{}');
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual(body(unknown), { timestamp: String(t.clock.now()), msg: '接口不存在', isSuccess: '1' });
    assert.deepEqual(added(), []);
  });

  it('places the renewal: a PNG named .pdf is taken by its content; the answer is the spec’s order', async () => {
    const card = await t.db.kysely
      .selectFrom('parking_cards')
      .selectAll()
      .where('id', '=', world.cardId)
      .executeTakeFirstOrThrow();
    const res = await renew(renewalFields(world), [
      { filename: 'licence.pdf', bytes: PNG, contentType: 'application/pdf' },
      { filename: 'car.pdf', bytes: PDF, contentType: 'application/pdf' },
    ]);
    assert.equal(res.statusCode, 200);
    const answer = body(res);
    assert.deepEqual(
      [answer.returnCode, answer.returnMsg, answer.isSuccess, answer.msg],
      ['T', 'OK', 'true', '下单成功，等待审核'],
    );
    const vo = answer.omPrOrderRentOutVo;
    orderId = vo.omPrOrderId;
    assert.match(orderId, /^[0-9a-f]{32}$/);
    assert.deepEqual(
      {
        ...vo,
        omPrOrderId: 'x',
        createDt: 'x',
      },
      {
        omPrOrderId: 'x',
        omPrCardId: world.cardId,
        productName: '包月123',
        productId: world.productId,
        productVId: world.versionId,
        userInfoId: world.userId,
        count: '1',
        startDt: String(card.end_dt),
        endDt: String(addParkingUnits(Number(card.end_dt), '4', 1)),
        amount: '4.00',
        state: '01',
        createDt: 'x',
        isAuditBeforePay: '1',
        auditStateBeforePay: '02',
        extraInfo: [
          {
            type: '1',
            name: '驾驶证',
            code: '0',
            content: `/parking/api/order/file?omPrOrderId=${orderId}&slot=0`,
          },
          {
            type: '1',
            name: '行驶证1',
            code: '1',
            content: `/parking/api/order/file?omPrOrderId=${orderId}&slot=1`,
          },
          { type: '0', name: '在职证明', code: '2', content: '在职' },
        ],
        cardType: '3',
        isLink: '1',
        paySucDt: '',
        orderType: '1',
      },
    );
    assert.equal(added().length, 2);
    // Found in a security review: the documents and the text items were kept as sent. Both are
    // sealed at rest; the answer above and the links below read them back.
    const row = await t.db.kysely
      .selectFrom('parking_orders')
      .select('extra_info')
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    assert.match(row.extra_info, /^v1\./);
    assert.equal(row.extra_info.includes('在职'), false);
    for (const stored of added()) assert.equal(fs.readFileSync(stored).subarray(0, 4).toString(), 'FTE1');
    // The owner reads the document back by its link, typed by content.
    const file = await t.app.inject({
      method: 'GET',
      url: vo.extraInfo[0].content,
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'image/png');
    assert.deepEqual(file.rawPayload, PNG);
    const unnamed = await t.app.inject({
      method: 'GET',
      url: '/parking/api/order/file?slot=0&slot=1',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.deepEqual(body(unnamed), {
      timestamp: String(t.clock.now()),
      msg: '订单ID不能为空；文件序号格式不正确',
      isSuccess: '1',
    });
  });

  it('refuses a second order while one is open, and the card list shows the conflict', async () => {
    const res = await renew(renewalFields(world), [{ filename: 'a.jpg', bytes: JPEG }, null]);
    assert.equal(body(res).msg, '存在未完成的订单');
    assert.equal(added().length, 2, 'nothing of the refused order stayed');
    const byCard = body(
      await t.app.inject({
        method: 'POST',
        url: '/parking/api/user/find-by-card-id',
        headers: { authorization: `Bearer ${token}` },
        payload: { omPrCardId: world.cardId },
      }),
    );
    assert.equal(byCard.canRePay, '1');
    assert.equal(byCard.resultData.cardList[0].ifHasConflictProcess, 'true');
    assert.equal(byCard.resultData.cardList[0].state, '2');
  });

  it('pay: refused under review, then after approval the JSAPI parameters; notify extends the card exactly', async () => {
    const early = body(await pay({ omPrOrderId: orderId, openId: world.openId }));
    assert.deepEqual(
      [early.returnCode, early.isSuccess, early.msg],
      ['F', 'false', '订单审核中，审核通过后才能支付'],
    );
    const missing = body(await pay({ omPrOrderId: '', openId: 'x' }));
    assert.equal(missing.msg, '订单ID不能为空；微信公众号ID与当前登录用户不符');
    const reviewer = await t.tokenFor('parking');
    const approve = await t.app.inject({
      method: 'POST',
      url: `/api/parking/orders/${orderId}/approve`,
      headers: { authorization: `Bearer ${reviewer}` },
    });
    assert.equal(approve.statusCode, 200);
    const before = await t.db.kysely
      .selectFrom('parking_cards')
      .selectAll()
      .where('id', '=', world.cardId)
      .executeTakeFirstOrThrow();
    const answer = body(await pay({ omPrOrderId: orderId, openId: world.openId }));
    assert.deepEqual(
      [answer.returnCode, answer.returnMsg, answer.isSuccess],
      ['T', 'OK', 'true'],
      JSON.stringify(answer),
    );
    const res = answer.prOrderPayRes;
    assert.deepEqual(Object.keys(res.secuParam).sort(), [
      'appId',
      'nonceStr',
      'package',
      'paySign',
      'signType',
      'timeStamp',
    ]);
    assert.match(res.secuParam.package, /^prepay_id=/);
    assert.equal(res.secuParam.signType, 'RSA');
    assert.deepEqual([res.period, res.payState], [300, 'CREATE']);
    assert.equal(await t.app.runtime.sandboxV3()!.settle(res.prPayId, 'SUCCESS'), 204);
    assert.equal(await t.app.runtime.sandboxV3()!.settle(res.prPayId, 'SUCCESS'), 204, 'a second notify');
    const after = await t.db.kysely
      .selectFrom('parking_cards')
      .selectAll()
      .where('id', '=', world.cardId)
      .executeTakeFirstOrThrow();
    assert.equal(after.state, 1);
    assert.equal(Number(after.end_dt), addParkingUnits(Number(before.end_dt), '4', 1));
    const paidAudits = await t.db.kysely
      .selectFrom('audit_log')
      .select('id')
      .where('entity_id', '=', orderId)
      .where('action', '=', 'paid')
      .execute();
    assert.equal(paidAudits.length, 1, 'the replayed notify wrote nothing');
    const again = body(await pay({ omPrOrderId: orderId, openId: world.openId }));
    assert.equal(again.msg, '订单已支付');
  });
});

describe('POST /parking/api/order/renew when the uploads folder cannot be written', () => {
  let t: TestApp;
  let uploads: string;

  before(async () => {
    uploads = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-unwritable-')), 'uploads');
    // A file where the uploads folder goes: every upload fails before a byte is read.
    fs.writeFileSync(uploads, 'not a folder');
    t = await startTestApp({ uploadsDir: uploads });
  });
  after(() => t.close());

  it('answers at once, in the call’s failure shape without a trace, and keeps nothing', {
    timeout: 20_000,
  }, async () => {
    const world = await seedParkingWorld(t.db.kysely, t.app.runtime.pii, t.clock.now());
    const token = (await t.app.runtime.modules.parking.sessions.open(world.openId, t.clock.now())).token;
    // Files larger than what the parser buffers: the next part comes only once this one is read.
    const big = Buffer.concat([JPEG, Buffer.alloc(300_000)]);
    const { payload, contentType } = multipart(renewalFields(world), [
      { filename: 'licence.jpg', bytes: big },
      { filename: 'car.jpg', bytes: big },
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/parking/api/order/renew',
      headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
      payload,
    });
    assert.equal(res.statusCode, 500);
    const answer = body(res);
    assert.deepEqual(Object.keys(answer).sort(), FAILURE_KEYS);
    assert.deepEqual(
      [answer.returnCode, answer.isSuccess, answer.msg, answer.returnMsg],
      ['F', 'false', '服务器内部错误', '服务器内部错误'],
    );
    assert.doesNotMatch(res.body, /EEXIST|ENOTDIR|at |\.ts/);
    assert.equal(fs.readFileSync(uploads, 'utf8'), 'not a folder');
    assert.deepEqual(await openOrderIds(t.db.kysely, 'card_id', world.cardId), []);
  });
});
