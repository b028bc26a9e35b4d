import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { TOP_ERRORS } from '../../../src/platform/top/top-request.js';
import {
  escapeXmlText,
  newTopRequestId,
  renderTopError,
  renderTopSuccess,
  responseKey,
  TOP_JSON_CONTENT_TYPE,
  TOP_XML_CONTENT_TYPE,
  topList,
} from '../../../src/platform/top/top-response.js';

const METHOD = 'tmall.alihouse.trade.order.second.house.operate';
const KEY = 'tmall_alihouse_trade_order_second_house_operate_response';
const DECL = '<?xml version="1.0" encoding="utf-8" ?>';

// Spec 3's success example.
const RESULT = {
  result: {
    code: '4000',
    message: 'xxx',
    is_success: true,
    data: {
      template_id: 'xxx',
      house_order_no: '2023xxx',
      buyer_url: 'xxx',
      landlord_url: 'xxxx',
      store_id: 1023,
    },
  },
};

const parser = new XMLParser({ parseTagValue: false, ignoreDeclaration: false, isArray: () => false });
const parse = (xml: string) => parser.parse(xml);

describe('responseKey', () => {
  it('keeps a tmall. prefix and turns dots into underscores', () => {
    assert.equal(responseKey(METHOD), KEY);
  });

  it('drops a leading taobao. only', () => {
    assert.equal(responseKey('taobao.user.seller.get'), 'user_seller_get_response');
    assert.equal(responseKey('alibaba.aliqin.fc.sms.num.send'), 'alibaba_aliqin_fc_sms_num_send_response');
    assert.equal(responseKey('tmall.taobao.x'), 'tmall_taobao_x_response');
  });
});

describe('renderTopSuccess', () => {
  it('wraps JSON in the response key with request_id last', () => {
    const out = renderTopSuccess(METHOD, RESULT, { format: 'json', requestId: 'abc123' });
    assert.equal(out.contentType, TOP_JSON_CONTENT_TYPE);
    assert.equal(out.contentType, 'application/json;charset=UTF-8');
    assert.deepEqual(JSON.parse(out.body), { [KEY]: { ...RESULT, request_id: 'abc123' } });
    assert.ok(out.body.endsWith('"request_id":"abc123"}}'));
  });

  it('drops the wrapper with simplify=true in JSON, as TOP does', () => {
    const out = renderTopSuccess(METHOD, RESULT, { format: 'json', simplify: true, requestId: 'r' });
    assert.deepEqual(JSON.parse(out.body), { ...RESULT, request_id: 'r' });
  });

  it('ignores simplify in XML', () => {
    const a = renderTopSuccess(METHOD, RESULT, { format: 'xml', simplify: true, requestId: 'r' });
    const b = renderTopSuccess(METHOD, RESULT, { format: 'xml', requestId: 'r' });
    assert.equal(a.body, b.body);
  });

  it('renders spec 3’s XML example under the declaration, root named the key', () => {
    const out = renderTopSuccess(METHOD, RESULT, { format: 'xml', requestId: 'r1' });
    assert.equal(out.contentType, TOP_XML_CONTENT_TYPE);
    assert.equal(out.contentType, 'text/xml;charset=UTF-8');
    assert.ok(out.body.startsWith(`${DECL}<${KEY}><result><code>4000</code>`));
    const doc = parse(out.body);
    assert.deepEqual(doc[KEY], {
      result: {
        code: '4000',
        message: 'xxx',
        is_success: 'true',
        data: {
          template_id: 'xxx',
          house_order_no: '2023xxx',
          buyer_url: 'xxx',
          landlord_url: 'xxxx',
          store_id: '1023',
        },
      },
      request_id: 'r1',
    });
  });

  it('leaves out null and undefined fields in both formats', () => {
    const fields = { result: { code: '4000', message: null, data: undefined } };
    const json = JSON.parse(renderTopSuccess(METHOD, fields, { format: 'json', requestId: 'r' }).body);
    assert.deepEqual(json[KEY].result, { code: '4000' });
    const xml = renderTopSuccess(METHOD, fields, { format: 'xml', requestId: 'r' }).body;
    assert.equal(xml.includes('message'), false);
    assert.equal(xml.includes('data'), false);
  });

  describe('lists', () => {
    const fields = {
      buyer_infos: topList('user_info_d_t_o', [
        { name: '张三', cert_type: 1 },
        { name: '李四', cert_type: 1 },
      ]),
      offline_contract_pics: ['a.jpg', 'b.jpg'],
      store_ids: [1, 2],
    };

    it('JSON wraps each list in its item name, as TOP’s JsonConverter reads it', () => {
      const body = JSON.parse(renderTopSuccess(METHOD, fields, { format: 'json', requestId: 'r' }).body)[KEY];
      assert.deepEqual(body.buyer_infos, {
        user_info_d_t_o: [
          { name: '张三', cert_type: 1 },
          { name: '李四', cert_type: 1 },
        ],
      });
      assert.deepEqual(body.offline_contract_pics, { string: ['a.jpg', 'b.jpg'] });
      assert.deepEqual(body.store_ids, { number: [1, 2] });
    });

    it('simplified JSON gives plain arrays, as TOP’s SimplifyJsonConverter reads them', () => {
      const body = JSON.parse(
        renderTopSuccess(METHOD, fields, { format: 'json', simplify: true, requestId: 'r' }).body,
      );
      assert.deepEqual(body.buyer_infos, [
        { name: '张三', cert_type: 1 },
        { name: '李四', cert_type: 1 },
      ]);
      assert.deepEqual(body.offline_contract_pics, ['a.jpg', 'b.jpg']);
    });

    it('XML repeats the item element inside the list element', () => {
      const xml = renderTopSuccess(METHOD, fields, { format: 'xml', requestId: 'r' }).body;
      assert.ok(
        xml.includes(
          '<buyer_infos><user_info_d_t_o><name>张三</name><cert_type>1</cert_type></user_info_d_t_o>' +
            '<user_info_d_t_o><name>李四</name><cert_type>1</cert_type></user_info_d_t_o></buyer_infos>',
        ),
      );
      const doc = new XMLParser({
        parseTagValue: false,
        isArray: (name) => ['user_info_d_t_o', 'string', 'number'].includes(name),
      }).parse(xml)[KEY];
      assert.deepEqual(doc.buyer_infos.user_info_d_t_o, [
        { name: '张三', cert_type: '1' },
        { name: '李四', cert_type: '1' },
      ]);
      assert.deepEqual(doc.offline_contract_pics.string, ['a.jpg', 'b.jpg']);
      assert.deepEqual(doc.store_ids.number, ['1', '2']);
    });

    it('an empty list is an empty element, or {} with no items', () => {
      const empty = { buyer_infos: topList('user_info_d_t_o', []) };
      assert.ok(
        renderTopSuccess(METHOD, empty, { format: 'xml', requestId: 'r' }).body.includes(
          '<buyer_infos></buyer_infos>',
        ),
      );
      const json = JSON.parse(renderTopSuccess(METHOD, empty, { format: 'json', requestId: 'r' }).body)[KEY];
      assert.deepEqual(json.buyer_infos, { user_info_d_t_o: [] });
    });
  });

  it('escapes markup in XML text and reads back the same text', () => {
    const nasty = 'a<b>&c"d\'e]]>f</message><x>';
    const xml = renderTopSuccess(
      METHOD,
      { result: { message: nasty } },
      { format: 'xml', requestId: 'r' },
    ).body;
    assert.equal(xml.includes('<x>'), false);
    assert.equal(xml.includes(']]>'), false);
    assert.equal(parse(xml)[KEY].result.message, nasty);
  });

  it('replaces characters XML 1.0 cannot carry, keeping Chinese and emoji', () => {
    assert.equal(escapeXmlText('a\u0000b\u001Fc\td\ne'), 'a\uFFFDb\uFFFDc\td\ne');
    assert.equal(escapeXmlText('中国银行😀'), '中国银行😀');
    assert.equal(escapeXmlText('x\uD800y'), 'x\uFFFDy');
    assert.equal(escapeXmlText('x\uDC00y'), 'x\uFFFDy');
  });

  it('refuses a field name that is not an XML name rather than emit broken XML', () => {
    assert.throws(
      () => renderTopSuccess(METHOD, { 'a b': 'x' }, { format: 'xml', requestId: 'r' }),
      TypeError,
    );
    assert.throws(
      () => renderTopSuccess(METHOD, { '<x>': 'x' }, { format: 'xml', requestId: 'r' }),
      TypeError,
    );
  });

  it('refuses a non-finite number', () => {
    assert.throws(
      () => renderTopSuccess(METHOD, { n: Number.NaN }, { format: 'json', requestId: 'r' }),
      TypeError,
    );
    assert.throws(
      () => renderTopSuccess(METHOD, { n: Number.POSITIVE_INFINITY }, { format: 'xml', requestId: 'r' }),
      TypeError,
    );
  });
});

describe('renderTopError', () => {
  it('answers JSON as {"error_response":{code,msg,sub_code,sub_msg,request_id}} in that order', () => {
    const out = renderTopError(TOP_ERRORS.invalidSignature, { format: 'json', requestId: 'rid' });
    assert.equal(out.contentType, 'application/json;charset=UTF-8');
    assert.equal(
      out.body,
      '{"error_response":{"code":25,"msg":"Invalid signature","sub_code":"isv.invalid-signature","sub_msg":"签名错误","request_id":"rid"}}',
    );
  });

  it('leaves out an absent sub_msg, as TOP’s 29 has none', () => {
    const out = renderTopError(TOP_ERRORS.invalidAppKey, { format: 'json', requestId: '3bsxgbx6seom' });
    assert.equal(
      out.body,
      '{"error_response":{"code":29,"msg":"Invalid app Key","sub_code":"isv.appkey-not-exists","request_id":"3bsxgbx6seom"}}',
    );
  });

  it('answers XML as <error_response> under the declaration', () => {
    const out = renderTopError(TOP_ERRORS.invalidAppKey, { format: 'xml', requestId: '14sqam8deckzh' });
    assert.equal(out.contentType, 'text/xml;charset=UTF-8');
    assert.equal(
      out.body,
      `${DECL}<error_response><code>29</code><msg>Invalid app Key</msg><sub_code>isv.appkey-not-exists</sub_code><request_id>14sqam8deckzh</request_id></error_response>`,
    );
    assert.deepEqual(parse(out.body).error_response, {
      code: '29',
      msg: 'Invalid app Key',
      sub_code: 'isv.appkey-not-exists',
      request_id: '14sqam8deckzh',
    });
  });

  it('escapes the messages in XML', () => {
    const out = renderTopError(
      { code: 41, msg: 'Invalid arguments:a<b', sub_msg: 'x & y' },
      { format: 'xml', requestId: 'r' },
    );
    assert.ok(out.body.includes('<msg>Invalid arguments:a&lt;b</msg><sub_msg>x &amp; y</sub_msg>'));
    assert.equal(parse(out.body).error_response.sub_msg, 'x & y');
  });
});

describe('newTopRequestId', () => {
  it('gives 13 lowercase base-36 characters, different each time', () => {
    const ids = new Set(Array.from({ length: 200 }, newTopRequestId));
    assert.equal(ids.size, 200);
    for (const id of ids) assert.match(id, /^[0-9a-z]{13}$/);
  });
});
