import assert from 'node:assert/strict';
import { generateKeyPairSync, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  decryptV3Resource,
  encryptV3Resource,
  jsapiPayParams,
  parseV3AuthorizationHeader,
  signV3Response,
  v3AuthorizationHeader,
  v3SignatureMessage,
  verifyV3Request,
  verifyV3Response,
} from '../../../src/platform/wechat-pay/v3-sign.js';

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
const APIV3_KEY = 'abcdefghijklmnopqrstuvwxyz012345';
const NOW = 1_717_207_200;

describe('WeChat Pay v3 signatures', () => {
  it('builds the newline-terminated message WeChat documents', () => {
    assert.equal(
      v3SignatureMessage(['GET', '/v3/certificates', '1554208460', '593BEC0C930BF1AFEB40B4A08C8FB242', '']),
      'GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n',
    );
  });

  it('signs a request; the header parses and verifies, and any change breaks it', () => {
    const request = {
      method: 'POST',
      pathWithQuery: '/v3/pay/transactions/jsapi',
      body: '{"amount":{"total":100}}',
    };
    const header = v3AuthorizationHeader({
      ...request,
      mchId: '1900000109',
      serialNo: 'SERIAL1',
      timestamp: NOW,
      nonce: 'n0nce',
      privateKey: merchant.privateKey,
    });
    const parsed = parseV3AuthorizationHeader(header)!;
    assert.deepEqual(
      [parsed.mchid, parsed.nonce_str, parsed.timestamp, parsed.serial_no],
      ['1900000109', 'n0nce', String(NOW), 'SERIAL1'],
    );
    assert.equal(
      verifyV3Request({ ...request, header, publicKey: merchant.publicKey, nowSeconds: NOW }),
      true,
    );
    assert.equal(
      verifyV3Request({
        ...request,
        body: '{"amount":{"total":1}}',
        header,
        publicKey: merchant.publicKey,
        nowSeconds: NOW,
      }),
      false,
    );
    assert.equal(
      verifyV3Request({ ...request, header, publicKey: platform.publicKey, nowSeconds: NOW }),
      false,
    );
    assert.equal(
      verifyV3Request({ ...request, header, publicKey: merchant.publicKey, nowSeconds: NOW + 301 }),
      false,
    );
    assert.equal(parseV3AuthorizationHeader('Bearer x'), null);
  });

  it("verifies WeChat's response signature and refuses stale or forged ones without throwing", () => {
    const body = '{"prepay_id":"wx201410272009395522657a690389285100"}';
    const signature = signV3Response({ timestamp: NOW, nonce: 'abc', body, privateKey: platform.privateKey });
    const base = {
      timestamp: String(NOW),
      nonce: 'abc',
      body,
      signature,
      publicKey: platform.publicKey,
      nowSeconds: NOW,
    };
    assert.equal(verifyV3Response(base), true);
    assert.equal(verifyV3Response({ ...base, body: `${body} ` }), false);
    assert.equal(verifyV3Response({ ...base, publicKey: merchant.publicKey }), false);
    assert.equal(verifyV3Response({ ...base, nowSeconds: NOW - 301 }), false);
    assert.equal(verifyV3Response({ ...base, timestamp: 'soon' }), false);
    assert.equal(verifyV3Response({ ...base, signature: '%%%' }), false);
  });
});

describe('WeChat Pay v3 notify resources (AEAD_AES_256_GCM)', () => {
  const plaintext = JSON.stringify({
    out_trade_no: 'P1',
    trade_state: 'SUCCESS',
    amount: { total: 100 },
    attach: '房租',
  });
  const resource = encryptV3Resource({
    plaintext,
    apiV3Key: APIV3_KEY,
    nonce: 'fdasflkja484',
    associatedData: 'transaction',
  });

  it('decrypts what WeChat encrypts', () => {
    assert.equal(resource.algorithm, 'AEAD_AES_256_GCM');
    assert.equal(decryptV3Resource(resource, APIV3_KEY), plaintext);
  });

  it('refuses a tampered ciphertext, another key, other associated data, another algorithm', () => {
    const bytes = Buffer.from(resource.ciphertext, 'base64');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    assert.throws(
      () => decryptV3Resource({ ...resource, ciphertext: bytes.toString('base64') }, APIV3_KEY),
      /cannot decrypt/,
    );
    assert.throws(() => decryptV3Resource(resource, 'x'.repeat(32)), /cannot decrypt/);
    assert.throws(
      () => decryptV3Resource({ ...resource, associated_data: 'other' }, APIV3_KEY),
      /cannot decrypt/,
    );
    assert.throws(
      () => decryptV3Resource({ ...resource, algorithm: 'AES_128' }, APIV3_KEY),
      /cannot decrypt/,
    );
    assert.throws(() => decryptV3Resource(resource, 'short'), /cannot decrypt/);
  });
});

describe('JSAPI page parameters', () => {
  it('signs appId, timeStamp, nonceStr and package with the merchant key', () => {
    const params = jsapiPayParams({
      appId: 'wx8888888888888888',
      prepayId: 'wx2017033010242291fcfe0db70013231072',
      timestamp: NOW,
      nonce: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
      privateKey: merchant.privateKey,
    });
    assert.deepEqual(
      { ...params, paySign: 'x' },
      {
        appId: 'wx8888888888888888',
        timeStamp: String(NOW),
        nonceStr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
        package: 'prepay_id=wx2017033010242291fcfe0db70013231072',
        signType: 'RSA',
        paySign: 'x',
      },
    );
    const message = `wx8888888888888888\n${NOW}\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx2017033010242291fcfe0db70013231072\n`;
    assert.equal(
      verify('sha256', Buffer.from(message), merchant.publicKey, Buffer.from(params.paySign, 'base64')),
      true,
    );
  });
});
