import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { signaturesEqual } from '../../src/core/signing.js';
import { isTopSignMethod, topSign } from '../../src/core/top-sign.js';

// REFERENCE.md's vector.
const VECTOR = {
  app_key: 'test',
  fields: 'nick',
  format: 'xml',
  method: 'taobao.user.seller.get',
  session: 'test',
  sign_method: 'md5',
  timestamp: '2013-05-06 13:52:03',
  v: '2.0',
};
// The concatenation the documented rule gives for VECTOR, written out by hand.
const VECTOR_S =
  'app_keytestfieldsnickformatxmlmethodtaobao.user.seller.getsessiontestsign_methodmd5timestamp2013-05-06 13:52:03v2.0';

describe('topSign', () => {
  it('gives the published md5 vector', () => {
    assert.equal(topSign(VECTOR, 'test', 'md5'), '72CB4D809B375A54502C09360D879C64');
  });

  it('gives the md5 vector of TOP’s signing page with a Chinese value (UTF-8), as the fengmk2 top client tests it', () => {
    const params = {
      method: 'taobao.user.get',
      timestamp: '2011-07-01 13: 52:03',
      format: 'xml',
      app_key: 'test',
      v: '2.0',
      fields: 'nick,location.state,location.city',
      nick: '商家测试帐号17',
      sign_method: 'md5',
    };
    assert.equal(topSign(params, 'test', 'md5'), '990FD28323F67A1EEC29336EDF373C0E');
  });

  it('signs hmac as HMAC-MD5 keyed with the secret over the concatenation, uppercase', () => {
    const params = { ...VECTOR, sign_method: 'hmac' };
    const s = VECTOR_S.replace('sign_methodmd5', 'sign_methodhmac');
    const expected = createHmac('md5', 'test').update(s, 'utf8').digest('hex').toUpperCase();
    assert.equal(topSign(params, 'test', 'hmac'), expected);
    assert.match(expected, /^[0-9A-F]{32}$/);
  });

  it('signs hmac-sha256 as HMAC-SHA256 keyed with the secret over the concatenation, uppercase', () => {
    const params = { ...VECTOR, sign_method: 'hmac-sha256' };
    const s = VECTOR_S.replace('sign_methodmd5', 'sign_methodhmac-sha256');
    const expected = createHmac('sha256', 'test').update(s, 'utf8').digest('hex').toUpperCase();
    assert.equal(topSign(params, 'test', 'hmac-sha256'), expected);
    assert.match(expected, /^[0-9A-F]{64}$/);
  });

  it('hashes Chinese values and secrets as UTF-8 under every method', () => {
    const params = { app_key: 'k', landlord_payee_bank_name: '中国银行', method: 'm' };
    const s = 'app_keyklandlord_payee_bank_name中国银行methodm';
    const secret = '密钥';
    const md5 = createHash('md5')
      .update(Buffer.from(secret + s + secret, 'utf8'))
      .digest('hex')
      .toUpperCase();
    assert.equal(topSign(params, secret, 'md5'), md5);
    assert.equal(
      topSign(params, secret, 'hmac'),
      createHmac('md5', Buffer.from(secret, 'utf8'))
        .update(Buffer.from(s, 'utf8'))
        .digest('hex')
        .toUpperCase(),
    );
    assert.equal(
      topSign(params, secret, 'hmac-sha256'),
      createHmac('sha256', Buffer.from(secret, 'utf8'))
        .update(Buffer.from(s, 'utf8'))
        .digest('hex')
        .toUpperCase(),
    );
  });

  it('skips parameters with an empty value', () => {
    assert.equal(
      topSign({ ...VECTOR, partner_id: '', target_app_key: '' }, 'test', 'md5'),
      topSign(VECTOR, 'test', 'md5'),
    );
  });

  it('leaves `sign` itself out', () => {
    assert.equal(topSign({ ...VECTOR, sign: 'ANYTHING' }, 'test', 'md5'), '72CB4D809B375A54502C09360D879C64');
  });

  it('does not depend on the order the parameters arrive in', () => {
    const reversed = Object.fromEntries(Object.entries(VECTOR).reverse());
    assert.equal(topSign(reversed, 'test', 'md5'), '72CB4D809B375A54502C09360D879C64');
  });

  it('sorts names by code unit: uppercase before underscore before lowercase', () => {
    const params = { b: '2', B: '1', _a: '3', a: '4' };
    const s = 'B1_a3a4b2';
    assert.equal(topSign(params, 'x', 'md5'), createHash('md5').update(`x${s}x`).digest('hex').toUpperCase());
  });

  it('changes when any signed value changes', () => {
    assert.notEqual(topSign({ ...VECTOR, fields: 'nicK' }, 'test', 'md5'), topSign(VECTOR, 'test', 'md5'));
    assert.notEqual(topSign(VECTOR, 'tesT', 'md5'), topSign(VECTOR, 'test', 'md5'));
  });
});

describe('isTopSignMethod', () => {
  it('knows exactly md5, hmac and hmac-sha256', () => {
    for (const m of ['md5', 'hmac', 'hmac-sha256']) assert.equal(isTopSignMethod(m), true);
    for (const m of ['MD5', 'sha256', 'hmac-sha1', 'rsa', '']) assert.equal(isTopSignMethod(m), false);
  });
});

describe('a TOP signature compared (signaturesEqual)', () => {
  const right = '72CB4D809B375A54502C09360D879C64';

  it('accepts the exact signature', () => {
    assert.equal(signaturesEqual(right, right), true);
  });

  it('refuses a lowercase spelling (the rule is uppercase hex)', () => {
    assert.equal(signaturesEqual(right, right.toLowerCase()), false);
  });

  it('refuses one wrong digit, a prefix, an extension and an empty string', () => {
    assert.equal(signaturesEqual(right, `${right.slice(0, -1)}5`), false);
    assert.equal(signaturesEqual(right, right.slice(0, 16)), false);
    assert.equal(signaturesEqual(right, `${right}00`), false);
    assert.equal(signaturesEqual(right, ''), false);
  });

  it('refuses a string of the same length in UTF-16 but not in UTF-8', () => {
    assert.equal(signaturesEqual(right, `${right.slice(0, -1)}é`), false);
  });
});
