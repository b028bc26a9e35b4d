import type { Config } from '../../config.js';
import type { Clock } from '../clock.js';
import { httpTransport } from './http-transport.js';
import { type NotifyDelivery, WechatPaySandbox } from './sandbox.js';
import { createV2Gateway, type V2Gateway, type V2Merchant } from './v2-gateway.js';

/** The gateway the app pays through: WeChat itself, or the in-process sandbox. */
export function createWechatGateway(
  config: Config,
  deliver: NotifyDelivery,
  clock: Clock,
): { gateway: V2Gateway; sandbox: WechatPaySandbox | undefined } {
  const merchant: V2Merchant = {
    appId: config.wechat.appId,
    mchId: config.wechat.mchId,
    apiKey: config.wechat.apiKey,
    signType: 'MD5',
  };
  if (config.wechat.mode === 'live') {
    return { gateway: createV2Gateway(merchant, httpTransport(config.wechat.apiBase)), sandbox: undefined };
  }
  const sandbox = new WechatPaySandbox([merchant], deliver, () => clock.now());
  return { gateway: createV2Gateway(merchant, (path, xml) => sandbox.handle(path, xml)), sandbox };
}
