import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { partnerSign } from '../../src/core/signing.js';
import { notifyReply } from '../../src/platform/wechat-pay/v2-gateway.js';
import { captureLogs, ERROR_LEVEL } from '../helpers/log-capture.js';
import { bearer, startTestApp, type TestApp } from '../helpers/test-app.js';

const FORM = 'application/x-www-form-urlencoded';
const TWO_MIB = 'x'.repeat(2 * 1024 * 1024);
const OVER_NOTIFY_LIMIT = 'x'.repeat(64 * 1024 + 1);
const BAD_ESCAPE = '%E0%A4%A';
const PARTNER_UA = 'MISTAKES_UA';
const PARTNER_KEY = 'mistakes-signkey-0123456789';

const F1_UNSUPPORTED = { code: 0, errors: [], msg: '不支持的请求格式' };
const F1_UNPARSABLE = { code: 0, errors: [], msg: '请求体无法解析' };
const F1_NOT_OBJECT = { code: 0, errors: [], msg: '请求体须为JSON对象或表单' };
const NUL_MESSAGE = '请求含有不允许的空字符（U+0000）';
const F4_NOT_FORM = {
  status: 1012,
  message: '请求须为application/x-www-form-urlencoded表单',
  response: null,
};

describe('client mistakes answer 4xx in the family envelope, with a request id, never logged as errors', () => {
  const logs = captureLogs();
  let t: TestApp;
  let staff: string;
  before(async () => {
    t = await startTestApp({ demo: true, logStream: logs.stream });
    staff = await t.tokenFor('mianqian');
  });
  after(() => t.close());

  const post = (url: string, contentType: string | undefined, payload?: string) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...bearer(staff), ...(contentType ? { 'content-type': contentType } : {}) },
      ...(payload === undefined ? {} : { payload }),
    });

  /**
   * The answer's status and exact body, its request id, and what the app logged for it: an
   * info line naming the refusal and nothing at error level.
   */
  function assertRefused(res: LightMyRequestResponse, status: number, expected: unknown, logged?: string) {
    assert.equal(res.statusCode, status, res.body);
    if (typeof expected === 'string') {
      assert.equal(res.headers['content-type'], 'text/xml');
      assert.equal(res.body, expected);
    } else {
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.deepEqual(res.json(), expected);
    }
    const id = res.headers['x-request-id'];
    assert.ok(typeof id === 'string' && id.length > 0, 'the answer carries x-request-id');
    const lines = logs.lines.filter((line) => line.reqId === id);
    assert.deepEqual(
      lines.filter((line) => line.level >= ERROR_LEVEL),
      [],
      'a client mistake is not an error of ours',
    );
    if (logged) {
      assert.ok(
        lines.some((line) => line.level === 30 && line.msg === `refused: ${logged}`),
        `an info line says "refused: ${logged}"`,
      );
    }
  }

  describe('family 4, the partner gateway (forms only)', () => {
    const gateway = '/partner/gateway';

    it('answers a JSON body, well-formed or not, with 415 status 1012', async () => {
      assertRefused(
        await post(gateway, 'application/json', '{"ua":"x"}'),
        415,
        F4_NOT_FORM,
        '不支持的请求格式',
      );
      assertRefused(await post(gateway, 'application/json', '{"ua": '), 415, F4_NOT_FORM);
      assertRefused(await post(gateway, 'application/json', ''), 415, F4_NOT_FORM);
    });

    it('answers text/plain and multipart with 415 status 1012', async () => {
      assertRefused(await post(gateway, 'text/plain', 'ua=x'), 415, F4_NOT_FORM);
      const multipart = '--b\r\nContent-Disposition: form-data; name="ua"\r\n\r\nx\r\n--b--\r\n';
      assertRefused(await post(gateway, 'multipart/form-data; boundary=b', multipart), 415, F4_NOT_FORM);
    });

    it('answers an empty form and a request without a body as missing public parameters (1001, 400)', async () => {
      const missing = { status: 1001, message: '缺少公共参数', response: null };
      assertRefused(await post(gateway, FORM, ''), 400, missing);
      assertRefused(await post(gateway, undefined), 400, missing);
    });

    it('answers a 2 MB form with 413 status 1011', async () => {
      assertRefused(
        await post(gateway, FORM, `args=${TWO_MIB}`),
        413,
        { status: 1011, message: '请求体过大', response: null },
        '请求体过大',
      );
    });

    it('answers U+0000 in a public parameter with 400 status 1010, and in args with 1009', async () => {
      assertRefused(await post(gateway, FORM, 'ua=FUZZ%00&call=x&args=%7B%7D&sign=x'), 400, {
        status: 1010,
        message: '请求无法解析',
        response: null,
      });
      await t.app.runtime.modules.partner.create(
        { ua: PARTNER_UA, signkey: PARTNER_KEY, calls: '*' },
        t.clock.now(),
        'test',
      );
      const args = JSON.stringify({ card_type: '1\u0000', echo_data: 'x' });
      const form = new URLSearchParams({
        ua: PARTNER_UA,
        call: 'BindCard.getValidBankList',
        args,
        sign: partnerSign(PARTNER_UA, PARTNER_KEY, 'BindCard.getValidBankList', args),
        timestamp: String(Math.floor(t.clock.now() / 1000)),
      });
      assertRefused(await post(gateway, FORM, form.toString()), 200, {
        status: 1009,
        message: 'args参数错误：含有不允许的空字符（U+0000）',
        response: null,
      });
    });

    it('answers an unknown path with 404 status 1006 and an undecodable one with 400 status 1010', async () => {
      assertRefused(await post('/partner/other', FORM, 'ua=x'), 404, {
        status: 1006,
        message: '接口不存在',
        response: null,
      });
      assertRefused(
        await t.app.inject({ url: `/partner/${BAD_ESCAPE}` }),
        400,
        { status: 1010, message: '请求无法解析', response: null },
        '请求地址无法解析',
      );
    });
  });

  describe('WeChat Pay v3 notify (JSON only, at most 64 KB)', () => {
    const notify = '/payments/wechat/v3/notify';

    it('answers a body over 64 KB with 413 FAIL', async () => {
      assertRefused(
        await post(notify, 'application/json', `"${OVER_NOTIFY_LIMIT}"`),
        413,
        { code: 'FAIL', message: '请求体过大' },
        '请求体过大',
      );
    });

    it('answers any other content type with 415 FAIL', async () => {
      const unsupported = { code: 'FAIL', message: '不支持的请求格式' };
      assertRefused(await post(notify, 'text/plain', '{}'), 415, unsupported, '不支持的请求格式');
      assertRefused(await post(notify, 'application/xml', '<xml/>'), 415, unsupported);
      assertRefused(await post(notify, FORM, 'a=1'), 415, unsupported);
    });
  });

  describe('WeChat Pay v2 notify (XML only, at most 64 KB)', () => {
    const notify = '/payments/wechat/notify';

    it('answers a body over 64 KB with 413 and the XML FAIL reply', async () => {
      assertRefused(
        await post(notify, 'text/xml', `<xml>${OVER_NOTIFY_LIMIT}</xml>`),
        413,
        notifyReply(false, '请求体过大'),
        '请求体过大',
      );
    });

    it('answers U+0000 with 400 and the XML FAIL reply', async () => {
      assertRefused(
        await post(notify, 'text/xml', '<xml><out_trade_no>1\u0000</out_trade_no></xml>'),
        400,
        notifyReply(false, NUL_MESSAGE),
        NUL_MESSAGE,
      );
    });

    it('answers JSON, text and forms with 415 and the XML FAIL reply', async () => {
      const unsupported = notifyReply(false, '不支持的请求格式');
      assertRefused(await post(notify, 'application/json', '{}'), 415, unsupported, '不支持的请求格式');
      assertRefused(await post(notify, 'text/plain', '<xml/>'), 415, unsupported);
      assertRefused(await post(notify, FORM, 'a=1'), 415, unsupported);
    });
  });

  describe('family 1, the 面签 back-office (forms and JSON)', () => {
    const save = '/order_mianqian/save_suggest';

    it('answers text/plain and multipart with 415, not a field error on ""', async () => {
      assertRefused(await post(save, 'text/plain', 'hello'), 415, F1_UNSUPPORTED, '不支持的请求格式');
      assertRefused(await post(save, 'multipart/form-data; boundary=b', '--b--\r\n'), 415, F1_UNSUPPORTED);
    });

    it('answers broken and empty JSON with 400', async () => {
      assertRefused(
        await post(save, 'application/json', '{"son_order_id": '),
        400,
        F1_UNPARSABLE,
        '请求体无法解析',
      );
      assertRefused(await post(save, 'application/json', ''), 400, F1_UNPARSABLE);
      assertRefused(await post(save, 'application/json', '{"__proto__": {"x": 1}}'), 400, F1_UNPARSABLE);
    });

    it('answers JSON that is not an object (null, an array, a string) with 400', async () => {
      for (const payload of ['null', '[1]', '"text"', '7']) {
        assertRefused(
          await post(save, 'application/json', payload),
          400,
          F1_NOT_OBJECT,
          '请求体须为JSON对象或表单',
        );
      }
    });

    it('answers U+0000 anywhere (PostgreSQL cannot store it) with 400, on either database', async () => {
      const nul = { code: 0, errors: [], msg: NUL_MESSAGE };
      const login = { username: 'a\u0000', password: 'secret-pass' };
      assertRefused(
        await post('/api/auth/login', 'application/json', JSON.stringify(login)),
        400,
        nul,
        NUL_MESSAGE,
      );
      assertRefused(await post('/api/auth/login', FORM, new URLSearchParams(login).toString()), 400, nul);
      assertRefused(
        await t.app.inject({
          url: '/order_mianshen/ajax_get_list?customer_name=%00',
          headers: bearer(staff),
        }),
        400,
        nul,
      );
      assertRefused(
        await t.app.inject({ url: '/api/loan-orders/1%00/audit', headers: bearer(staff) }),
        400,
        nul,
      );
    });

    it('answers a body over 1 MiB with 413', async () => {
      assertRefused(await post(save, 'application/json', JSON.stringify({ s: TWO_MIB })), 413, {
        code: 0,
        errors: [],
        msg: '请求体过大',
      });
    });

    it('reads a POST without a body as an empty form: the required field is named, the optional ones pass', async () => {
      const res = await post('/order_mianqian/order_pass', undefined);
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), {
        code: 0,
        errors: [{ field: 'son_order_id', error: '订单编号不能为空' }],
        msg: '订单编号不能为空',
      });
      const list = await post('/order_mianshen/ajax_get_list', undefined);
      assert.equal(list.statusCode, 200);
      const viaGet = await t.app.inject({ url: '/order_mianshen/ajax_get_list', headers: bearer(staff) });
      assert.ok(list.json().order_list.length > 0);
      assert.deepEqual(
        list.json(),
        viaGet.json(),
        'every filter is optional, so no body lists like no query',
      );
    });

    it('answers a path parameter over 100 characters with 414 in the envelope, with the request id', async () => {
      const res = await t.app.inject({
        url: `/api/loan-orders/${'1'.repeat(101)}/audit`,
        headers: { ...bearer(staff), 'x-request-id': 'client-chosen-id' },
      });
      assertRefused(res, 414, { code: 0, errors: [], msg: '请求地址过长' }, '请求地址过长');
      assert.equal(res.headers['x-request-id'], 'client-chosen-id');
    });

    it('answers a bad %-escape with 400 in the envelope, with the request id', async () => {
      assertRefused(
        await t.app.inject({ url: `/api/loan-orders/${BAD_ESCAPE}/audit`, headers: bearer(staff) }),
        400,
        { code: 0, errors: [], msg: '请求地址无法解析' },
        '请求地址无法解析',
      );
      assertRefused(await t.app.inject({ url: `/order_mianqian/${BAD_ESCAPE}` }), 400, {
        code: 0,
        errors: [],
        msg: '请求地址无法解析',
      });
    });

    it('answers an unknown URL with 404 whatever its body', async () => {
      const notFound = { code: 0, errors: [], msg: '接口不存在' };
      assertRefused(await post('/order_mianqian/nothing', 'application/json', '{"a": '), 404, notFound);
      assertRefused(
        await post('/order_mianqian/nothing', 'application/json', JSON.stringify({ s: TWO_MIB })),
        404,
        notFound,
      );
      assertRefused(await post('/order_mianqian/nothing', 'text/plain', 'x'), 404, notFound);
    });
  });

  describe('family 2, the rental app (forms and JSON)', () => {
    const save = '/user_contract/save';

    it('answers text/plain with 415', async () => {
      assertRefused(await post(save, 'text/plain', 'hello'), 415, { code: -1, msg: '不支持的请求格式' });
    });

    it('answers broken JSON with 400 and JSON that is not an object with 400', async () => {
      assertRefused(await post(save, 'application/json', '{'), 400, { code: -1, msg: '请求体无法解析' });
      assertRefused(await post(save, 'application/json', '[]'), 400, {
        code: -1,
        msg: '请求体须为JSON对象或表单',
      });
    });

    it('answers a body over 1 MiB with 413', async () => {
      assertRefused(await post(save, FORM, `t_name=${TWO_MIB}`), 413, { code: -1, msg: '请求体过大' });
    });

    it('answers U+0000 with 400', async () => {
      assertRefused(
        await post('/user_auth/send_code', 'application/json', '{"mobile": "1380000000\\u0000"}'),
        400,
        {
          code: -1,
          msg: NUL_MESSAGE,
        },
      );
    });

    it('answers a bad %-escape with 400 and an unknown URL with 404, in its envelope', async () => {
      assertRefused(await t.app.inject({ url: `/user_order/${BAD_ESCAPE}` }), 400, {
        code: -1,
        msg: '请求地址无法解析',
      });
      assertRefused(await t.app.inject({ url: '/user_order/nothing' }), 404, { code: -1, msg: '接口不存在' });
    });
  });

  describe('outside the families', () => {
    it('answers a bad %-escape with 400 in the neutral envelope, with the request id', async () => {
      assertRefused(await t.app.inject({ url: `/nothing/${BAD_ESCAPE}` }), 400, {
        code: 400,
        msg: '请求地址无法解析',
      });
    });

    it('answers HTTP that cannot be parsed with 400, a request id and a neutral Chinese body', async () => {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const address = t.app.server.address();
      assert.ok(address && typeof address === 'object');
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(address.port, '127.0.0.1', () =>
          socket.write('GET / HTTP/1.1\r\nHost\r\n\r\n'),
        );
        let data = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk) => {
          data += chunk;
        });
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
      const [head = '', payload] = raw.split('\r\n\r\n');
      assert.match(head, /^HTTP\/1\.1 400 Bad Request\r\n/);
      assert.match(head, /\r\nx-request-id: [0-9a-f-]{36}(\r\n|$)/);
      assert.deepEqual(JSON.parse(payload ?? ''), { code: 400, msg: '请求无法解析' });
    });
  });

  it('logged nothing at error level in the whole file', () => {
    assert.deepEqual(logs.errors(), []);
  });
});
