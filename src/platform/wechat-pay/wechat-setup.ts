import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import type { ClientCertificateConfig, Config } from '../../config.js';
import type { Clock } from '../clock.js';
import type { PayoutProvider } from '../payouts/payout-provider.js';
import { WechatBankPayoutProvider } from '../payouts/wechat-bank-payout.js';
import { type ClientCertificate, httpTransport } from './http-transport.js';
import { type NotifyDelivery, WechatPaySandbox } from './sandbox.js';
import { type V3NotifyDelivery, WechatPayV3Sandbox } from './sandbox-v3.js';
import { createV2BankGateway, GET_PUBLIC_KEY_BASE } from './v2-bank.js';
import { createV2Gateway, type V2Gateway, type V2Merchant } from './v2-gateway.js';
import { createV3Gateway, type V3Gateway, type V3Transport } from './v3-gateway.js';

export interface WechatSetup {
  gateway: V2Gateway;
  sandbox: WechatPaySandbox | undefined;
  /** The v3 gateway, made on first use (sandbox keys are generated then). */
  v3(): V3Gateway;
  v3Sandbox(): WechatPayV3Sandbox | undefined;
  /** Bank payouts through WeChat's 企业付款到银行卡 (PAYOUT_PROVIDER=wechat), made on first use. */
  bankPayouts(): PayoutProvider;
}

/** The client certificate's files, read once at start-up. */
export function loadClientCertificate(config: ClientCertificateConfig): ClientCertificate {
  return 'p12File' in config
    ? { pfx: fs.readFileSync(config.p12File), passphrase: config.password }
    : { cert: fs.readFileSync(config.certFile), key: fs.readFileSync(config.keyFile) };
}

const WECHAT_API = 'https://api.mch.weixin.qq.com';

// The sandbox's APIv3 key: a development default, like its merchant.
const SANDBOX_APIV3_KEY = 'fangtongsandboxapiv3key000000000';

/** The gateways the app pays through: WeChat itself, or the in-process sandbox. */
export function createWechatGateway(
  config: Config,
  deliver: NotifyDelivery,
  deliverV3: V3NotifyDelivery,
  clock: Clock,
): WechatSetup {
  const merchant: V2Merchant = {
    appId: config.wechat.appId,
    mchId: config.wechat.mchId,
    apiKey: config.wechat.apiKey,
    signType: 'MD5',
  };
  const nowSeconds = () => Math.floor(clock.now() / 1000);
  let v3: { gateway: V3Gateway; sandbox: WechatPayV3Sandbox | undefined } | undefined;
  const makeV3 = () => {
    if (config.wechat.mode === 'live') {
      const keys = config.wechat.v3;
      if (!keys) throw new Error('WeChat Pay v3 is not configured (WECHAT_V3_* variables)');
      const transport: V3Transport = async (request) => {
        // v2 and v3 live on one host at WeChat, so WECHAT_API_BASE moves both (to a sandbox, say).
        const response = await fetch(new URL(request.pathWithQuery, config.wechat.apiBase), {
          method: request.method,
          headers: request.headers,
          ...(request.method === 'POST' ? { body: request.body } : {}),
          signal: AbortSignal.timeout(10_000),
        });
        return {
          status: response.status,
          headers: Object.fromEntries(response.headers),
          body: await response.text(),
        };
      };
      return {
        gateway: createV3Gateway(
          {
            appId: merchant.appId,
            mchId: merchant.mchId,
            serialNo: keys.serialNo,
            privateKey: createPrivateKey(fs.readFileSync(keys.privateKeyFile)),
            apiV3Key: keys.apiV3Key,
            platformPublicKey: createPublicKey(fs.readFileSync(keys.platformPublicKeyFile)),
          },
          transport,
          nowSeconds,
        ),
        sandbox: undefined,
      };
    }
    const merchantKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const platformKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const sandbox = new WechatPayV3Sandbox(
      {
        appId: merchant.appId,
        mchId: merchant.mchId,
        merchantPublicKey: merchantKeys.publicKey,
        apiV3Key: SANDBOX_APIV3_KEY,
      },
      platformKeys.privateKey,
      deliverV3,
      nowSeconds,
    );
    const gateway = createV3Gateway(
      {
        appId: merchant.appId,
        mchId: merchant.mchId,
        serialNo: 'SANDBOX_MERCHANT',
        privateKey: merchantKeys.privateKey,
        apiV3Key: SANDBOX_APIV3_KEY,
        platformPublicKey: platformKeys.publicKey,
      },
      (request) => sandbox.handle(request),
      nowSeconds,
    );
    return { gateway, sandbox };
  };
  const v3Setup = () => {
    v3 ??= makeV3();
    return v3;
  };
  if (config.wechat.mode === 'live') {
    // Refunds and payouts need the merchant's certificate in mutual TLS; every v2 call carries it.
    const clientCertificate = config.wechat.clientCertificate
      ? loadClientCertificate(config.wechat.clientCertificate)
      : undefined;
    const transport = httpTransport(config.wechat.apiBase, 10_000, { clientCertificate });
    let payouts: PayoutProvider | undefined;
    return {
      gateway: createV2Gateway(merchant, transport),
      sandbox: undefined,
      v3: () => v3Setup().gateway,
      v3Sandbox: () => undefined,
      bankPayouts: () => {
        if (payouts) return payouts;
        const keyFile = config.payouts.wechatPublicKeyFile;
        if (!keyFile) throw new Error('WeChat bank payouts need WECHAT_PAYOUT_PUBLIC_KEY_FILE');
        // getpublickey has its own host at WeChat; a sandbox server answers it at its own base.
        const keyBase = config.wechat.apiBase === WECHAT_API ? GET_PUBLIC_KEY_BASE : config.wechat.apiBase;
        payouts = new WechatBankPayoutProvider(
          createV2BankGateway(merchant, transport, httpTransport(keyBase, 10_000, { clientCertificate })),
          createPublicKey(fs.readFileSync(keyFile)),
        );
        return payouts;
      },
    };
  }
  const sandbox = new WechatPaySandbox([merchant], deliver, () => clock.now());
  const inProcess = (path: string, xml: string) => sandbox.handle(path, xml);
  let payouts: PayoutProvider | undefined;
  return {
    gateway: createV2Gateway(merchant, inProcess),
    sandbox,
    v3: () => v3Setup().gateway,
    v3Sandbox: () => v3Setup().sandbox,
    bankPayouts: () => {
      payouts ??= new WechatBankPayoutProvider(
        createV2BankGateway(merchant, inProcess),
        sandbox.payoutPublicKey(),
      );
      return payouts;
    },
  };
}
