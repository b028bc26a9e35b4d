import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalV2, signV2, verifyV2 } from '../../../src/platform/wechat-pay/v2-sign.js';
import { parseV2Xml, toV2Xml } from '../../../src/platform/wechat-pay/v2-xml.js';

// WeChat's published example (REFERENCE.md).
const PARAMS = {
  appid: 'wxd930ea5d5a258f4f',
  mch_id: '10000100',
  device_info: '1000',
  body: 'test',
  nonce_str: 'ibuaiVcKdpRxkhJA',
};
const KEY = '192006250b4c09247ec02edce69f6a2d';

describe('WeChat Pay v2 signing', () => {
  it('builds the ASCII-sorted string WeChat signs', () => {
    assert.equal(
      canonicalV2(PARAMS),
      'appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA',
    );
    assert.equal(canonicalV2({ b: '2', a: '', sign: 'X', c: undefined, d: 0 }), 'b=2&d=0');
  });

  it('signs the published vector in MD5 and HMAC-SHA256', () => {
    assert.equal(signV2(PARAMS, KEY, 'MD5'), '9A0A8659F005D6984697E2CA0A9CF3B7');
    assert.equal(
      signV2(PARAMS, KEY, 'HMAC-SHA256'),
      '6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6',
    );
  });

  it('verifies by the signature length when sign_type is absent, accepting unknown fields', () => {
    assert.equal(verifyV2({ ...PARAMS, sign: '9A0A8659F005D6984697E2CA0A9CF3B7' }, KEY), true);
    assert.equal(
      verifyV2({ ...PARAMS, sign: '6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6' }, KEY),
      true,
    );
    const withExtra = { ...PARAMS, future_field: 'x' };
    assert.equal(verifyV2({ ...withExtra, sign: signV2(withExtra, KEY) }, KEY), true);
  });

  it('refuses a changed field, another key, a missing or malformed signature', () => {
    assert.equal(verifyV2({ ...PARAMS, body: 'tesT', sign: '9A0A8659F005D6984697E2CA0A9CF3B7' }, KEY), false);
    assert.equal(
      verifyV2({ ...PARAMS, sign: '9A0A8659F005D6984697E2CA0A9CF3B7' }, `${KEY.slice(1)}0`),
      false,
    );
    assert.equal(verifyV2({ ...PARAMS }, KEY), false);
    assert.equal(verifyV2({ ...PARAMS, sign: 'abc' }, KEY), false);
  });
});

describe('WeChat Pay v2 XML', () => {
  it('round-trips fields in CDATA, even a CDATA terminator', () => {
    const xml = toV2Xml({ a: '1', b: 'x]]>y<z&', c: 2, skipped: undefined });
    assert.equal(xml.includes('skipped'), false);
    assert.deepEqual(parseV2Xml(xml), { a: '1', b: 'x]]>y<z&', c: '2' });
  });

  it('refuses entity declarations (no XXE, no entity expansion) and non-v2 shapes', () => {
    assert.equal(
      parseV2Xml(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><a>&e;</a></xml>',
      ),
      null,
    );
    assert.equal(parseV2Xml('<xml><a><b>1</b></a></xml>'), null);
    assert.equal(parseV2Xml('<root><a>1</a></root>'), null);
    assert.equal(parseV2Xml('not xml at all'), null);
  });
});
