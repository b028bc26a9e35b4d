import dysms from '@alicloud/dysmsapi20170525';
import openapiCore from '@alicloud/openapi-core';
import {
  ALIYUN_SMS_ERRORS,
  DEFAULT_SMS_TIMEOUT_MS,
  NETWORK,
  type SmsProvider,
  type SmsSendResult,
  smsFailure,
  UNKNOWN_ANSWER,
  unavailable,
  withSmsTimeout,
} from './sms-provider.js';

export interface AliyunSmsOptions {
  accessKeyId: string;
  accessKeySecret: string;
  /** 'https://dysmsapi.aliyuncs.com' by default; the sandbox's url in tests and development. */
  endpoint?: string;
  /** Bound on one send, 5 s by default; past it the answer is 'unavailable' TIMEOUT. */
  timeoutMs?: number;
}

// The SDK is CommonJS with an `exports.default` class: Node's ESM interop gives the whole
// module.exports as the default import (tsx and esbuild alike), so the client is `.default` there.
type DysmsModule = typeof dysms;
const sdk: DysmsModule = dysms;
const Client = sdk.default;
const OpenApiConfig = openapiCore.$OpenApiUtil.Config;

/** Aliyun Dysms SendSms through the official SDK (@alicloud/dysmsapi20170525, signature V3 ACS3-HMAC-SHA256). */
export function aliyunSmsProvider(options: AliyunSmsOptions): SmsProvider {
  const endpoint = new URL(options.endpoint ?? 'https://dysmsapi.aliyuncs.com');
  const timeoutMs = options.timeoutMs ?? DEFAULT_SMS_TIMEOUT_MS;
  const client = new Client(
    new OpenApiConfig({
      accessKeyId: options.accessKeyId,
      accessKeySecret: options.accessKeySecret,
      endpoint: endpoint.host,
      protocol: endpoint.protocol === 'http:' ? 'HTTP' : 'HTTPS',
      // The SDK's own timeouts sit just past ours so its socket is released soon after we give up.
      connectTimeout: timeoutMs + 1000,
      readTimeout: timeoutMs + 1000,
    }),
  );

  return {
    name: 'aliyun',
    send(message) {
      return withSmsTimeout(timeoutMs, async (): Promise<SmsSendResult> => {
        try {
          const response = await client.sendSms(
            new sdk.SendSmsRequest({
              phoneNumbers: message.phone,
              signName: message.signName,
              templateCode: message.templateId,
              templateParam: JSON.stringify(message.params),
            }),
          );
          const body = response.body;
          if (body?.code === 'OK' && body.bizId) {
            return { ok: true, providerId: body.bizId, requestId: body.requestId ?? '' };
          }
          if (!body?.code) return unavailable(UNKNOWN_ANSWER, body?.requestId);
          return smsFailure(ALIYUN_SMS_ERRORS, body.code, body.requestId, response.statusCode);
        } catch (error) {
          // AlibabaCloudError (ClientError, ServerError, ThrottlingError) carries the gateway's code;
          // anything else is the network. The SDK's message (it may quote the string to sign) is not passed on.
          const e = error as {
            code?: unknown;
            statusCode?: unknown;
            requestId?: unknown;
            data?: { RequestId?: unknown };
          };
          if (typeof e.code === 'string' && typeof e.statusCode === 'number') {
            const requestId =
              typeof e.requestId === 'string'
                ? e.requestId
                : typeof e.data?.RequestId === 'string'
                  ? e.data.RequestId
                  : undefined;
            return smsFailure(ALIYUN_SMS_ERRORS, e.code, requestId, e.statusCode);
          }
          return unavailable(NETWORK);
        }
      });
    },
  };
}
