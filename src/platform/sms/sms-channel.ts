import type { SmsConfig } from '../../config.js';
import { logSmsProvider, type SmsProvider } from './sms-provider.js';

/** How the app texts: the provider, the approved sign name and the approved template of each purpose. */
export interface SmsChannel {
  provider: SmsProvider;
  signName: string;
  templates: SmsConfig['templates'];
}

/**
 * The configured provider. The cloud SDKs are loaded only by a server configured for them:
 * each weighs several megabytes, and a development server never needs them.
 */
export async function createSmsChannel(config: SmsConfig, log: (line: string) => void): Promise<SmsChannel> {
  const common = { signName: config.signName, templates: config.templates };
  if (config.provider === 'aliyun' && config.aliyun) {
    const { aliyunSmsProvider } = await import('./aliyun-provider.js');
    return { ...common, provider: aliyunSmsProvider({ ...config.aliyun, timeoutMs: config.timeoutMs }) };
  }
  if (config.provider === 'tencent' && config.tencent) {
    const { tencentSmsProvider } = await import('./tencent-provider.js');
    const { sdkAppId, ...keys } = config.tencent;
    return {
      ...common,
      provider: tencentSmsProvider({ ...keys, smsSdkAppId: sdkAppId, timeoutMs: config.timeoutMs }),
    };
  }
  return { ...common, provider: logSmsProvider(log) };
}
