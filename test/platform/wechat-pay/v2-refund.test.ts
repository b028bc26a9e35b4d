import assert from 'node:assert/strict';
import { createCipheriv, createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { decryptRefundReqInfo, encryptRefundReqInfo } from '../../../src/platform/wechat-pay/v2-refund.js';

const KEY = '192006250b4c09247ec02edce69f6a2d';

describe('v2 refund notify req_info (AES-256-ECB keyed by MD5(API key))', () => {
  it('decrypts what WeChat encrypts: <root> XML under the lowercase-hex MD5 of the API key', () => {
    const xml =
      '<root><out_refund_no><![CDATA[R1]]></out_refund_no><refund_status><![CDATA[SUCCESS]]></refund_status></root>';
    const key = Buffer.from(createHash('md5').update(KEY).digest('hex'), 'utf8');
    const cipher = createCipheriv('aes-256-ecb', key, null);
    const reqInfo = Buffer.concat([cipher.update(xml, 'utf8'), cipher.final()]).toString('base64');
    assert.deepEqual(decryptRefundReqInfo(reqInfo, KEY), { out_refund_no: 'R1', refund_status: 'SUCCESS' });
  });

  it('round-trips the sandbox encryption and refuses another key or garbage', () => {
    const reqInfo = encryptRefundReqInfo({ out_refund_no: 'R2', refund_fee: '100' }, KEY);
    assert.deepEqual(decryptRefundReqInfo(reqInfo, KEY), { out_refund_no: 'R2', refund_fee: '100' });
    assert.equal(decryptRefundReqInfo(reqInfo, 'another-key'), null);
    assert.equal(decryptRefundReqInfo('not base64 at all', KEY), null);
  });
});
