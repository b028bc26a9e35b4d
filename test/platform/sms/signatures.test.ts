import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signaturesEqual } from '../../../src/core/signing.js';
import {
  acs3Authorization,
  acs3StringToSign,
  aliyunPercentEncode,
  aliyunRpcSignature,
  aliyunRpcStringToSign,
  sha256Hex,
} from '../../../src/platform/sms/aliyun-signature.js';
import {
  parseTc3Authorization,
  tc3CanonicalRequest,
  tc3Signature,
  tc3StringToSign,
} from '../../../src/platform/sms/tencent-signature.js';

// Aliyun's RPC signature document: DescribeRegions with AccessKeyId testid, AccessKeySecret testsecret.
test('Aliyun RPC v1 HMAC-SHA1 matches the published example', () => {
  const params = {
    Timestamp: '2016-02-23T12:46:24Z',
    Format: 'XML',
    AccessKeyId: 'testid',
    Action: 'DescribeRegions',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
    Version: '2014-05-26',
    SignatureVersion: '1.0',
  };
  assert.equal(
    aliyunRpcStringToSign('GET', params),
    'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1' +
      '%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0' +
      '%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
  );
  assert.equal(aliyunRpcSignature('GET', params, 'testsecret'), 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  assert.equal(aliyunPercentEncode("a b*c~d!'()"), 'a%20b%2Ac~d%21%27%28%29');
});

// Aliyun's V3 signature document: RunInstances in cn-shanghai with YourAccessKeyId / YourAccessKeySecret.
test('Aliyun V3 ACS3-HMAC-SHA256 matches the published example', () => {
  const request = {
    method: 'POST',
    pathname: '/',
    query: { RegionId: 'cn-shanghai', ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd' },
    headers: {
      host: 'ecs.cn-shanghai.aliyuncs.com',
      'x-acs-action': 'RunInstances',
      'x-acs-content-sha256': sha256Hex(''),
      'x-acs-date': '2023-10-26T10:22:32Z',
      'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
      'x-acs-version': '2014-05-26',
    },
    signedHeaders: [
      'x-acs-version',
      'host',
      'x-acs-action',
      'x-acs-content-sha256',
      'x-acs-date',
      'x-acs-signature-nonce',
    ],
    hashedPayload: sha256Hex(''),
  };
  assert.equal(
    acs3StringToSign(request),
    'ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259',
  );
  assert.equal(
    acs3Authorization(request, 'YourAccessKeyId', 'YourAccessKeySecret'),
    'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;' +
      'x-acs-date;x-acs-signature-nonce;x-acs-version,' +
      'Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
  );
});

// Tencent's TC3 document: CVM DescribeInstances at 1551113065. The document masks the key as
// 'Gu5t9xGARNpq86cd98joQYCN3*******' and its worked signature is computed with that very string.
test('Tencent TC3-HMAC-SHA256 matches the published example', () => {
  const payload = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
  assert.equal(sha256Hex(payload), '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064');
  const canonical = tc3CanonicalRequest({
    method: 'POST',
    pathname: '/',
    query: '',
    headers: { 'content-type': 'application/json; charset=utf-8', host: 'cvm.tencentcloudapi.com' },
    signedHeaders: ['content-type', 'host'],
    payload,
  });
  assert.equal(
    canonical,
    'POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n' +
      '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
  );
  assert.equal(
    tc3StringToSign(canonical, 1551113065, 'cvm'),
    'TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n' +
      '5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
  );
  assert.equal(
    tc3Signature('Gu5t9xGARNpq86cd98joQYCN3*******', canonical, 1551113065, 'cvm'),
    '2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c',
  );
  const parsed = parseTc3Authorization(
    'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, ' +
      'SignedHeaders=content-type;host, Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c',
  );
  assert.equal(parsed?.service, 'cvm');
  assert.deepEqual(parsed?.signedHeaders, ['content-type', 'host']);
});

test('signatures compare in constant time and differ on any byte or length', () => {
  assert.equal(signaturesEqual('abc', 'abc'), true);
  assert.equal(signaturesEqual('abc', 'abd'), false);
  assert.equal(signaturesEqual('abc', 'abcd'), false);
});
