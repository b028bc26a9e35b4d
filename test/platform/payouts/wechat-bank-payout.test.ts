import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  type PayoutRequest,
  WechatBankPayoutProvider,
  wechatBankCode,
} from '../../../src/platform/payouts/index.js';
import { WechatPaySandbox } from '../../../src/platform/wechat-pay/sandbox.js';
import {
  createV2BankGateway,
  decryptFromMerchant,
  encryptForWechat,
} from '../../../src/platform/wechat-pay/v2-bank.js';
import type { V2Merchant, V2Transport } from '../../../src/platform/wechat-pay/v2-gateway.js';
import { signV2 } from '../../../src/platform/wechat-pay/v2-sign.js';
import { parseV2Xml, toV2Xml } from '../../../src/platform/wechat-pay/v2-xml.js';

// WeChat's published test merchant, as the sandbox uses it in development.
const MERCHANT: V2Merchant = {
  appId: 'wxd930ea5d5a258f4f',
  mchId: '10000100',
  apiKey: '192006250b4c09247ec02edce69f6a2d',
  signType: 'MD5',
};
const NOW = Date.parse('2024-06-01T10:00:00+08:00');

function setup(options: { apiKey?: string; transport?: (inner: V2Transport) => V2Transport } = {}) {
  const sandbox = new WechatPaySandbox(
    [MERCHANT],
    async () => '',
    () => NOW,
  );
  const requests: Array<{ path: string; fields: Record<string, string> }> = [];
  const inner: V2Transport = async (path, xml) => {
    requests.push({ path, fields: parseV2Xml(xml)! });
    return sandbox.handle(path, xml);
  };
  const transport = options.transport ? options.transport(inner) : inner;
  const gateway = createV2BankGateway(
    { mchId: MERCHANT.mchId, apiKey: options.apiKey ?? MERCHANT.apiKey },
    transport,
  );
  return {
    sandbox,
    requests,
    gateway,
    provider: new WechatBankPayoutProvider(gateway, sandbox.payoutPublicKey()),
  };
}

let seq = 0;
const payout = (over: Partial<PayoutRequest> = {}): PayoutRequest => ({
  payoutNo: `EP2406011000000000${String(++seq).padStart(8, '0')}`,
  amount: 1_900_000,
  cardNo: '6222020200000000006',
  name: '李四',
  bank: '中国工商银行',
  description: '放款 202406011234567890',
  ...over,
});

describe('WeChat bank numbers', () => {
  it('knows the banks WeChat pays to by name, short name, branch or catalog code; not the others', () => {
    const cases: Array<[string, string | undefined]> = [
      ['中国工商银行', '1002'],
      ['工商银行', '1002'],
      ['ICBC', '1002'],
      ['中国工商银行杭州文三路支行', '1002'],
      ['中国银行', '1026'],
      ['中国银行股份有限公司上海分行', '1026'],
      ['中国建设银行', '1003'],
      ['建设银行', '1003'],
      ['中国农业银行', '1005'],
      ['招商银行', '1001'],
      ['中国邮政储蓄银行', '1066'],
      ['交通银行', '1020'],
      ['上海浦东发展银行', '1004'],
      ['浦发银行', '1004'],
      ['中国光大银行', '1022'],
      ['广发银行', '1027'],
      ['北京银行', '4836'],
      ['宁波银行', '1056'],
      ['上海银行', '1024'],
      ['NJCB', '1054'],
      ['杭州银行', undefined],
      ['浙商银行', undefined],
      ['某某银行', undefined],
      ['BOCX', undefined],
      ['', undefined],
    ];
    for (const [name, code] of cases) assert.equal(wechatBankCode(name), code, name);
  });
});

describe('WechatBankPayoutProvider against the WeChat Pay sandbox', () => {
  it('encrypts card and name with RSA-OAEP (SHA-1) under WeChat’s public key; only its private key reads them', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const sealed = encryptForWechat('6222020200000000006', publicKey);
    assert.equal(Buffer.from(sealed, 'base64').length, 256);
    assert.notEqual(encryptForWechat('6222020200000000006', publicKey), sealed, 'OAEP is randomised');
    assert.equal(decryptFromMerchant(sealed, privateKey), '6222020200000000006');
    assert.equal(decryptFromMerchant(sealed, other.privateKey), null);
  });

  it('pays: pay_bank signed and encrypted, then query_bank; the sandbox read the card and name', async () => {
    const { sandbox, requests, provider } = setup();
    const request = payout();
    const result = await provider.transfer(request);
    const held = sandbox.bankPayout(request.payoutNo)!;
    assert.deepEqual(result, { status: 'paid', providerId: held.paymentNo });
    assert.deepEqual(
      requests.map((r) => r.path),
      ['/mmpaysptrans/pay_bank', '/mmpaysptrans/query_bank'],
    );
    const pay = requests[0]!.fields;
    assert.deepEqual(Object.keys(pay).sort(), [
      'amount',
      'bank_code',
      'desc',
      'enc_bank_no',
      'enc_true_name',
      'mch_id',
      'nonce_str',
      'partner_trade_no',
      'sign',
    ]);
    assert.equal(pay.appid, undefined, 'pay_bank carries no appid');
    assert.equal(pay.partner_trade_no, request.payoutNo);
    assert.equal(pay.amount, '1900000');
    assert.equal(pay.bank_code, '1002');
    assert.equal(pay.desc, '放款 202406011234567890');
    assert.equal(pay.sign, signV2(pay, MERCHANT.apiKey, 'MD5'));
    assert.ok(
      !JSON.stringify(requests).includes('6222020200000000006'),
      'the card number never travels in clear',
    );
    assert.ok(!JSON.stringify(requests).includes('李四'));
    assert.equal(held.bankNo, '6222020200000000006');
    assert.equal(held.trueName, '李四');
    assert.equal(held.amount, 1_900_000);
    assert.equal(held.status, 'SUCCESS');
  });

  it('is idempotent by payout number: asked twice, WeChat pays once and both answers name that payment', async () => {
    const { sandbox, provider } = setup();
    const request = payout();
    const first = await provider.transfer(request);
    const second = await provider.transfer(request);
    assert.deepEqual(second, first);
    assert.equal(sandbox.listBankPayouts().length, 1);
    assert.equal(sandbox.bankPayout(request.payoutNo)!.requests, 2);
    // The same number with other terms is refused and pays nothing more; the first stands.
    const changed = await provider.transfer({ ...request, amount: 1 });
    assert.equal(changed.status, 'pending');
    assert.equal(sandbox.listBankPayouts().length, 1);
  });

  it('PROCESSING stays pending until the bank finishes; then the same number answers paid', async () => {
    const { sandbox, provider } = setup();
    sandbox.settlePayoutsAtOnce = false;
    const request = payout();
    assert.deepEqual(await provider.transfer(request), {
      status: 'pending',
      code: 'PROCESSING',
      message: '银行处理中',
    });
    sandbox.settlePayout(request.payoutNo, 'SUCCESS');
    const paid = await provider.transfer(request);
    assert.deepEqual(paid, { status: 'paid', providerId: sandbox.bankPayout(request.payoutNo)!.paymentNo });
    assert.equal(sandbox.listBankPayouts().length, 1);
  });

  it('FAILED and BANK_FAIL are final failures with WeChat’s reason', async () => {
    const { sandbox, provider } = setup();
    sandbox.settlePayoutsAtOnce = false;
    const failed = payout();
    await provider.transfer(failed);
    sandbox.settlePayout(failed.payoutNo, 'FAILED', '收款人户名与卡号不符');
    assert.deepEqual(await provider.transfer(failed), {
      status: 'failed',
      code: 'FAILED',
      message: '收款人户名与卡号不符',
    });
    const returned = payout();
    await provider.transfer(returned);
    sandbox.settlePayout(returned.payoutNo, 'BANK_FAIL');
    assert.deepEqual(await provider.transfer(returned), {
      status: 'failed',
      code: 'BANK_FAIL',
      message: '银行退票',
    });
  });

  it('SYSTEMERROR is asked again with the same number: pending when WeChat took nothing, paid when it took it after all', async () => {
    const { sandbox, provider } = setup();
    sandbox.troubleNextPayBank('SYSTEMERROR', '系统繁忙，请稍后再试');
    const request = payout();
    assert.deepEqual(await provider.transfer(request), {
      status: 'pending',
      code: 'SYSTEMERROR',
      message: '系统繁忙，请稍后再试',
    });
    assert.equal(sandbox.listBankPayouts().length, 0);
    const again = await provider.transfer(request);
    assert.equal(again.status, 'paid');
    assert.equal(sandbox.bankPayout(request.payoutNo)!.requests, 1);

    sandbox.troubleNextPayBank('SYSTEMERROR', '系统繁忙，请稍后再试', { taken: true });
    const taken = payout();
    assert.deepEqual(await provider.transfer(taken), {
      status: 'paid',
      providerId: sandbox.bankPayout(taken.payoutNo)!.paymentNo,
    });
  });

  it('a refusal of a number WeChat never took is final with its code (NOTENOUGH, PARAM_ERROR); a bank WeChat does not pay is refused unasked', async () => {
    const { sandbox, requests, provider } = setup();
    sandbox.troubleNextPayBank('NOTENOUGH', '余额不足');
    assert.deepEqual(await provider.transfer(payout()), {
      status: 'failed',
      code: 'NOTENOUGH',
      message: '余额不足',
    });
    assert.deepEqual(await provider.transfer(payout({ cardNo: '62220202' })), {
      status: 'failed',
      code: 'PARAM_ERROR',
      message: '收款方银行卡号格式错误',
    });
    const before = requests.length;
    assert.deepEqual(await provider.transfer(payout({ bank: '杭州银行' })), {
      status: 'failed',
      code: 'BANK_NOT_SUPPORTED',
      message: '微信付款不支持该银行：杭州银行',
    });
    assert.equal(requests.length, before, 'WeChat was not asked');
    assert.equal(sandbox.listBankPayouts().length, 0);
  });

  it('no answer, or an answer not signed with our key, is pending — never paid, never failed', async () => {
    const down = setup({
      transport: () => async () => {
        throw new Error('connect ETIMEDOUT');
      },
    });
    assert.deepEqual(await down.provider.transfer(payout()), {
      status: 'pending',
      code: 'NO_ANSWER',
      message: 'connect ETIMEDOUT',
    });
    // The sandbox refuses our signature (a wrong API key): return_code FAIL to both calls.
    const wrongKey = setup({ apiKey: '0'.repeat(32) });
    assert.deepEqual(await wrongKey.provider.transfer(payout()), {
      status: 'pending',
      code: 'QUERY_FAILED',
      message: '签名错误',
    });
    assert.equal(wrongKey.sandbox.listBankPayouts().length, 0);
    // A forged SUCCESS, signed with another key, is not believed.
    const forged = setup({
      transport: (inner) => async (path, xml) => {
        if (path !== '/mmpaysptrans/query_bank') return inner(path, xml);
        const fields = { ...parseV2Xml(await inner(path, xml))!, status: 'SUCCESS' };
        return toV2Xml({ ...fields, sign: signV2(fields, 'f'.repeat(32), 'MD5') });
      },
    });
    forged.sandbox.settlePayoutsAtOnce = false;
    assert.deepEqual(await forged.provider.transfer(payout()), {
      status: 'pending',
      code: 'NO_ANSWER',
      message: '微信支付应答签名错误',
    });
  });

  it('getpublickey answers the sandbox’s key as PKCS#1 PEM, signed', async () => {
    const { sandbox, gateway, requests } = setup();
    const pem = await gateway.getPublicKey();
    assert.match(pem, /^-----BEGIN RSA PUBLIC KEY-----/);
    assert.equal(pem, sandbox.payoutPublicKeyPem());
    assert.equal(requests[0]!.path, '/risk/getpublickey');
    assert.equal(requests[0]!.fields.sign_type, 'MD5');
  });
});
