import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { WechatBankPayoutProvider } from '../../../src/platform/payouts/index.js';
import { httpTransport } from '../../../src/platform/wechat-pay/http-transport.js';
import { WechatPaySandbox } from '../../../src/platform/wechat-pay/sandbox.js';
import { createV2BankGateway } from '../../../src/platform/wechat-pay/v2-bank.js';
import { createV2Gateway, type V2Merchant } from '../../../src/platform/wechat-pay/v2-gateway.js';
import { loadClientCertificate } from '../../../src/platform/wechat-pay/wechat-setup.js';

const MERCHANT: V2Merchant = {
  appId: 'wxd930ea5d5a258f4f',
  mchId: '10000100',
  apiKey: '192006250b4c09247ec02edce69f6a2d',
  signType: 'MD5',
};

/**
 * WeChat's side of mutual TLS, locally: an HTTPS server holding a certificate of a test CA that
 * admits only clients with a certificate of that CA, in front of the WeChat Pay sandbox — as
 * api.mch.weixin.qq.com admits only the merchant's apiclient_cert on secapi and mmpaysptrans.
 */
describe('the v2 transport presents the merchant’s client certificate (mutual TLS)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-mtls-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const sandbox = new WechatPaySandbox([MERCHANT], async () => '');
  const seen: Array<{ path: string; client: string }> = [];
  let server: https.Server;
  let base: string;

  before(async () => {
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '1',
      '-subj',
      '/CN=test-ca',
    );
    fs.writeFileSync(file('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
    for (const [name, cn] of [
      ['server', '127.0.0.1'],
      ['client', MERCHANT.mchId],
    ] as const) {
      openssl(
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
        '-subj',
        `/CN=${cn}`,
      );
      openssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.pem`,
        '-days',
        '1',
        ...(name === 'server' ? ['-extfile', 'san.ext'] : []),
      );
    }
    // WeChat's apiclient_cert.p12 is protected by the merchant id.
    openssl(
      'pkcs12',
      '-export',
      '-in',
      'client.pem',
      '-inkey',
      'client.key',
      '-out',
      'client.p12',
      '-passout',
      `pass:${MERCHANT.mchId}`,
    );
    server = https.createServer(
      {
        key: fs.readFileSync(file('server.key')),
        cert: fs.readFileSync(file('server.pem')),
        ca: fs.readFileSync(file('ca.pem')),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        let body = '';
        req.setEncoding('utf8');
        req.on('data', (chunk: string) => {
          body += chunk;
        });
        req.on('end', async () => {
          const peer = (req.socket as TLSSocket).getPeerCertificate();
          seen.push({ path: req.url ?? '', client: String(peer?.subject?.CN) });
          res.writeHead(200, { 'content-type': 'text/xml' });
          res.end(await sandbox.handle(req.url ?? '', body));
        });
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const ca = () => fs.readFileSync(file('ca.pem'));

  it('without a certificate the server refuses the TLS session', async () => {
    const transport = httpTransport(base, 5_000, { ca: ca() });
    await assert.rejects(transport('/pay/orderquery', '<xml></xml>'));
    assert.equal(seen.length, 0);
  });

  it('a v2 refund (secapi/pay/refund) carries the PKCS#12 certificate, opened with the merchant id', async () => {
    const clientCertificate = loadClientCertificate({
      p12File: file('client.p12'),
      password: MERCHANT.mchId,
    });
    const gateway = createV2Gateway(MERCHANT, httpTransport(base, 5_000, { clientCertificate, ca: ca() }));
    // An order the sandbox holds, paid, to refund.
    await gateway.unifiedOrder({
      body: '押金',
      outTradeNo: 'P2406010000001',
      totalFee: 500,
      clientIp: '127.0.0.1',
      notifyUrl: 'https://fangtong.test/payments/wechat/notify',
      tradeType: 'APP',
    });
    await sandbox.pay('P2406010000001', { notify: false });
    const answer = await gateway.refund({
      outTradeNo: 'P2406010000001',
      outRefundNo: 'R2406010000001',
      totalFee: 500,
      refundFee: 500,
    });
    assert.equal(answer.accepted, true);
    assert.deepEqual(seen.at(-1), { path: '/secapi/pay/refund', client: MERCHANT.mchId });
  });

  it('a bank payout (pay_bank, query_bank) carries the PEM certificate and key', async () => {
    const clientCertificate = loadClientCertificate({
      certFile: file('client.pem'),
      keyFile: file('client.key'),
    });
    const transport = httpTransport(base, 5_000, { clientCertificate, ca: ca() });
    const provider = new WechatBankPayoutProvider(
      createV2BankGateway({ mchId: MERCHANT.mchId, apiKey: MERCHANT.apiKey }, transport),
      sandbox.payoutPublicKey(),
    );
    const result = await provider.transfer({
      payoutNo: 'EP240601100000000000000001',
      amount: 900_000,
      cardNo: '6217000000000000006',
      name: '王五',
      bank: '建设银行',
    });
    assert.deepEqual(result, {
      status: 'paid',
      providerId: sandbox.bankPayout('EP240601100000000000000001')!.paymentNo,
    });
    assert.deepEqual(seen.slice(-2), [
      { path: '/mmpaysptrans/pay_bank', client: MERCHANT.mchId },
      { path: '/mmpaysptrans/query_bank', client: MERCHANT.mchId },
    ]);
  });

  it('a server that does not answer in time is a timeout, not a hang', async () => {
    const silent = https.createServer({
      key: fs.readFileSync(file('server.key')),
      cert: fs.readFileSync(file('server.pem')),
    });
    silent.on('request', () => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const transport = httpTransport(`https://127.0.0.1:${(silent.address() as AddressInfo).port}`, 300, {
      ca: ca(),
    });
    await assert.rejects(transport('/pay/orderquery', '<xml></xml>'), /did not answer within 300 ms/);
    silent.closeAllConnections();
    silent.close();
  });
});
