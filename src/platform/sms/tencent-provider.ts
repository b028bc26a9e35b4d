import tencentSms from 'tencentcloud-sdk-nodejs-sms';
import {
  DEFAULT_SMS_TIMEOUT_MS,
  NETWORK,
  type SmsProvider,
  type SmsSendResult,
  smsFailure,
  TENCENT_SMS_ERRORS,
  UNKNOWN_ANSWER,
  unavailable,
  withSmsTimeout,
} from './sms-provider.js';

export interface TencentSmsOptions {
  secretId: string;
  secretKey: string;
  /** The SMS application's SdkAppId, 1400…. */
  smsSdkAppId: string;
  /** 'ap-guangzhou' by default. */
  region?: string;
  /** 'https://sms.tencentcloudapi.com' by default; the sandbox's url in tests and development. */
  endpoint?: string;
  /** Bound on one send, 5 s by default; past it the answer is 'unavailable' TIMEOUT. */
  timeoutMs?: number;
}

const Client = tencentSms.sms.v20210111.Client;

/** Tencent Cloud SMS SendSms 2021-01-11 through the official SDK (tencentcloud-sdk-nodejs-sms, TC3-HMAC-SHA256). */
export function tencentSmsProvider(options: TencentSmsOptions): SmsProvider {
  const endpoint = new URL(options.endpoint ?? 'https://sms.tencentcloudapi.com');
  const timeoutMs = options.timeoutMs ?? DEFAULT_SMS_TIMEOUT_MS;
  const client = new Client({
    credential: { secretId: options.secretId, secretKey: options.secretKey },
    region: options.region ?? 'ap-guangzhou',
    profile: {
      httpProfile: {
        endpoint: endpoint.host,
        protocol: `${endpoint.protocol}//`,
        // Seconds; just past ours so the SDK's socket is released soon after we give up.
        reqTimeout: Math.ceil(timeoutMs / 1000) + 1,
      },
    },
  });

  return {
    name: 'tencent',
    send(message) {
      return withSmsTimeout(timeoutMs, async (): Promise<SmsSendResult> => {
        try {
          const response = await client.SendSms({
            SmsSdkAppId: options.smsSdkAppId,
            SignName: message.signName,
            TemplateId: message.templateId,
            TemplateParamSet: Object.values(message.params),
            PhoneNumberSet: [`+86${message.phone}`],
          });
          const status = response.SendStatusSet?.[0];
          const requestId = response.RequestId ?? '';
          if (status?.Code === 'Ok' && status.SerialNo) {
            return { ok: true, providerId: status.SerialNo, requestId };
          }
          if (!status?.Code) return unavailable(UNKNOWN_ANSWER, requestId);
          return smsFailure(TENCENT_SMS_ERRORS, status.Code, requestId);
        } catch (error) {
          // TencentCloudSDKHttpException: `code` for a Response.Error, `httpCode` for a non-2xx answer.
          const e = error as { code?: unknown; httpCode?: unknown; requestId?: unknown };
          const requestId = typeof e.requestId === 'string' ? e.requestId : undefined;
          if (typeof e.code === 'string' && e.code !== '')
            return smsFailure(TENCENT_SMS_ERRORS, e.code, requestId);
          if (typeof e.httpCode === 'number') return unavailable(`HTTP_${e.httpCode}`, requestId);
          return unavailable(NETWORK);
        }
      });
    },
  };
}
