import { maskMobile } from '../../core/mobile.js';

/**
 * The provider layer of text messages: one shape for Aliyun (Dysms), Tencent Cloud SMS and the
 * development log, so the code that sends a verification code or a notice does not know which
 * cloud carries it. A provider never throws for a provider's answer: every outcome is a value.
 */
export interface SmsMessage {
  /** 11-digit mainland mobile, e.g. 13800138000 (Tencent gets it as +8613800138000). */
  phone: string;
  /** Aliyun TemplateCode (SMS_123456789) or Tencent TemplateId (1234567). */
  templateId: string;
  /** Template variables in template order: Aliyun sends them by name, Tencent by position. */
  params: Record<string, string>;
  signName: string;
  /**
   * What the approved template renders to, for the development log and tests to read; a cloud
   * provider never receives it (it renders its own approved copy from the params).
   */
  text?: string;
}

export type SmsFailureKind = 'refused' | 'unavailable';

export type SmsSendResult =
  | { ok: true; providerId: string; requestId: string }
  | { ok: false; kind: SmsFailureKind; code: string; message: string; requestId?: string };

export type SmsProviderName = 'log' | 'aliyun' | 'tencent';

export interface SmsProvider {
  readonly name: SmsProviderName;
  send(message: SmsMessage): Promise<SmsSendResult>;
}

export interface SmsErrorEntry {
  /**
   * 'refused': the provider said no for this message or this number (template or sign not approved,
   * invalid number, the provider's per-number limits) — sending it again now will not help.
   * 'unavailable': our side or the provider's side is down (network, timeout, 5xx, our account's
   * throttling, balance or credentials) — the user did nothing wrong and may try again later.
   */
  kind: SmsFailureKind;
  /** What the user may read. */
  message: string;
}

const TEMPLATE = '短信模板不可用，请联系客服';
const SIGN = '短信签名不可用，请联系客服';
const BAD_PHONE = '手机号码格式不正确';
const TOO_OFTEN = '发送过于频繁，请稍后再试';
const DAY_LIMIT = '该号码今日接收短信已达上限，请明天再试';
const BLACKLIST = '该号码无法接收短信，请联系客服';
const CONTENT = '短信内容不符合规范，请联系客服';
const BUSY = '短信服务暂时不可用，请稍后再试';

/** Dysms SendSms answer codes (Code in the JSON body) and the gateway's own error codes. */
export const ALIYUN_SMS_ERRORS: Readonly<Record<string, SmsErrorEntry>> = {
  'isv.SMS_TEMPLATE_ILLEGAL': { kind: 'refused', message: TEMPLATE },
  'isv.TEMPLATE_MISSING_PARAMETERS': { kind: 'refused', message: TEMPLATE },
  'isv.TEMPLATE_PARAMS_ILLEGAL': { kind: 'refused', message: TEMPLATE },
  'isv.SMS_SIGNATURE_ILLEGAL': { kind: 'refused', message: SIGN },
  'isv.SMS_SIGN_ILLEGAL': { kind: 'refused', message: SIGN },
  'isv.SMS_SIGNATURE_SCENE_ILLEGAL': { kind: 'refused', message: SIGN },
  'isv.MOBILE_NUMBER_ILLEGAL': { kind: 'refused', message: BAD_PHONE },
  'isv.MOBILE_COUNT_OVER_LIMIT': { kind: 'refused', message: BAD_PHONE },
  'isv.BUSINESS_LIMIT_CONTROL': { kind: 'refused', message: TOO_OFTEN },
  'isv.DAY_LIMIT_CONTROL': { kind: 'refused', message: DAY_LIMIT },
  'isv.BLACK_KEY_CONTROL_LIMIT': { kind: 'refused', message: CONTENT },
  'isv.PARAM_LENGTH_LIMIT': { kind: 'refused', message: CONTENT },
  'isv.PARAM_NOT_SUPPORT_URL': { kind: 'refused', message: CONTENT },
  'isv.INVALID_JSON_PARAM': { kind: 'refused', message: CONTENT },
  'isv.INVALID_PARAMETERS': { kind: 'refused', message: CONTENT },
  'isv.SMS_CONTENT_ILLEGAL': { kind: 'refused', message: CONTENT },
  'isv.SMS_TEST_SIGN_TEMPLATE_LIMIT': { kind: 'refused', message: TEMPLATE },
  'isv.SMS_TEST_NUMBER_LIMIT': { kind: 'refused', message: BLACKLIST },
  'isv.DOMESTIC_NUMBER_NOT_SUPPORTED': { kind: 'refused', message: BAD_PHONE },
  // Our account, not the user's message:
  'isv.AMOUNT_NOT_ENOUGH': { kind: 'unavailable', message: BUSY },
  'isv.OUT_OF_SERVICE': { kind: 'unavailable', message: BUSY },
  'isv.PRODUCT_UN_SUBSCRIPT': { kind: 'unavailable', message: BUSY },
  'isv.PRODUCT_UNSUBSCRIBE': { kind: 'unavailable', message: BUSY },
  'isv.ACCOUNT_NOT_EXISTS': { kind: 'unavailable', message: BUSY },
  'isv.ACCOUNT_ABNORMAL': { kind: 'unavailable', message: BUSY },
  'isv.DENY_IP_RANGE': { kind: 'unavailable', message: BUSY },
  'isp.RAM_PERMISSION_DENY': { kind: 'unavailable', message: BUSY },
  'isp.SYSTEM_ERROR': { kind: 'unavailable', message: BUSY },
  'isp.GATEWAY_ERROR': { kind: 'unavailable', message: BUSY },
  'isp.UNKNOWN': { kind: 'unavailable', message: BUSY },
  // The OpenAPI gateway (HTTP 4xx/5xx before Dysms sees the message):
  'InvalidAccessKeyId.NotFound': { kind: 'unavailable', message: BUSY },
  'InvalidAccessKeyId.Inactive': { kind: 'unavailable', message: BUSY },
  SignatureDoesNotMatch: { kind: 'unavailable', message: BUSY },
  SignatureNonceUsed: { kind: 'unavailable', message: BUSY },
  InvalidTimeStamp: { kind: 'unavailable', message: BUSY },
  'InvalidTimeStamp.Expired': { kind: 'unavailable', message: BUSY },
  Forbidden: { kind: 'unavailable', message: BUSY },
  'Forbidden.RAM': { kind: 'unavailable', message: BUSY },
  Throttling: { kind: 'unavailable', message: BUSY },
  'Throttling.User': { kind: 'unavailable', message: BUSY },
  'Throttling.Api': { kind: 'unavailable', message: BUSY },
  ServiceUnavailable: { kind: 'unavailable', message: BUSY },
  InternalError: { kind: 'unavailable', message: BUSY },
};

/** Tencent Cloud SMS 2021-01-11: SendStatusSet[].Code and Response.Error.Code. */
export const TENCENT_SMS_ERRORS: Readonly<Record<string, SmsErrorEntry>> = {
  'FailedOperation.TemplateIncorrectOrUnapproved': { kind: 'refused', message: TEMPLATE },
  'FailedOperation.MissingTemplateList': { kind: 'refused', message: TEMPLATE },
  'FailedOperation.SignatureIncorrectOrUnapproved': { kind: 'refused', message: SIGN },
  'FailedOperation.MissingSignatureList': { kind: 'refused', message: SIGN },
  'InvalidParameterValue.IncorrectPhoneNumber': { kind: 'refused', message: BAD_PHONE },
  'MissingParameter.EmptyPhoneNumberSet': { kind: 'refused', message: BAD_PHONE },
  'UnsupportedOperation.UnsuportedRegion': { kind: 'refused', message: BAD_PHONE },
  'FailedOperation.PhoneNumberInBlacklist': { kind: 'refused', message: BLACKLIST },
  'LimitExceeded.PhoneNumberDailyLimit': { kind: 'refused', message: DAY_LIMIT },
  'LimitExceeded.PhoneNumberOneHourLimit': { kind: 'refused', message: TOO_OFTEN },
  'LimitExceeded.PhoneNumberThirtySecondLimit': { kind: 'refused', message: TOO_OFTEN },
  'LimitExceeded.PhoneNumberSameContentDailyLimit': { kind: 'refused', message: DAY_LIMIT },
  'LimitExceeded.DeliveryFrequencyLimit': { kind: 'refused', message: TOO_OFTEN },
  'FailedOperation.ContainSensitiveWord': { kind: 'refused', message: CONTENT },
  'InvalidParameter.DirtyWordFound': { kind: 'refused', message: CONTENT },
  'InvalidParameterValue.ContentLengthLimit': { kind: 'refused', message: CONTENT },
  'InvalidParameterValue.TemplateParameterFormatError': { kind: 'refused', message: CONTENT },
  'InvalidParameterValue.TemplateParameterLengthLimit': { kind: 'refused', message: CONTENT },
  'InvalidParameterValue.ProhibitedUseUrlInTemplateParameter': { kind: 'refused', message: CONTENT },
  'FailedOperation.MarketingSendTimeConstraint': { kind: 'refused', message: BUSY },
  // Our account or the platform:
  'FailedOperation.InsufficientBalanceInSmsPackage': { kind: 'unavailable', message: BUSY },
  'LimitExceeded.AppDailyLimit': { kind: 'unavailable', message: BUSY },
  'LimitExceeded.DailyLimit': { kind: 'unavailable', message: BUSY },
  'UnauthorizedOperation.SerivceSuspendDueToArrears': { kind: 'unavailable', message: BUSY },
  'UnauthorizedOperation.SdkAppIdIsDisabled': { kind: 'unavailable', message: BUSY },
  'UnauthorizedOperation.SmsSdkAppIdVerifyFail': { kind: 'unavailable', message: BUSY },
  'UnauthorizedOperation.RequestIpNotInWhitelist': { kind: 'unavailable', message: BUSY },
  'UnauthorizedOperation.RequestPermissionDeny': { kind: 'unavailable', message: BUSY },
  'InvalidParameterValue.SdkAppIdNotExist': { kind: 'unavailable', message: BUSY },
  'InternalError.Timeout': { kind: 'unavailable', message: BUSY },
  'InternalError.SendAndRecvFail': { kind: 'unavailable', message: BUSY },
  'InternalError.OtherError': { kind: 'unavailable', message: BUSY },
  'InternalError.UnknownError': { kind: 'unavailable', message: BUSY },
  'InternalError.RequestTimeException': { kind: 'unavailable', message: BUSY },
  'AuthFailure.SignatureFailure': { kind: 'unavailable', message: BUSY },
  'AuthFailure.SignatureExpire': { kind: 'unavailable', message: BUSY },
  'AuthFailure.SecretIdNotFound': { kind: 'unavailable', message: BUSY },
  'AuthFailure.InvalidSecretId': { kind: 'unavailable', message: BUSY },
  'AuthFailure.InvalidAuthorization': { kind: 'unavailable', message: BUSY },
  'AuthFailure.UnauthorizedOperation': { kind: 'unavailable', message: BUSY },
  RequestLimitExceeded: { kind: 'unavailable', message: BUSY },
  InternalError: { kind: 'unavailable', message: BUSY },
};

/** Our own codes, for failures no provider named. */
export const TIMEOUT = 'TIMEOUT';
export const NETWORK = 'NETWORK';
export const UNKNOWN_ANSWER = 'UNKNOWN_ANSWER';

/**
 * A provider's code as a failure. A code the table does not know is 'unavailable' when it looks
 * like the provider's or our account's trouble (5xx, throttling, auth, internal), else 'refused':
 * an unknown refusal makes the user wait, an unknown outage should not blame the user.
 */
export function smsFailure(
  table: Readonly<Record<string, SmsErrorEntry>>,
  code: string,
  requestId?: string,
  httpStatus?: number,
): Extract<SmsSendResult, { ok: false }> {
  const known = Object.hasOwn(table, code) ? table[code] : undefined;
  const kind: SmsFailureKind =
    known?.kind ??
    (httpStatus !== undefined && (httpStatus >= 500 || httpStatus === 429)
      ? 'unavailable'
      : /^(isp\.|InternalError|AuthFailure|Throttling|RequestLimitExceeded|InvalidAccessKey|Signature|ServiceUnavailable|UnauthorizedOperation)/.test(
            code,
          )
        ? 'unavailable'
        : 'refused');
  const message = known?.message ?? (kind === 'unavailable' ? BUSY : '短信发送失败，请稍后再试');
  return requestId === undefined || requestId === ''
    ? { ok: false, kind, code, message }
    : { ok: false, kind, code, message, requestId };
}

export function unavailable(code: string, requestId?: string): Extract<SmsSendResult, { ok: false }> {
  return requestId
    ? { ok: false, kind: 'unavailable', code, message: BUSY, requestId }
    : { ok: false, kind: 'unavailable', code, message: BUSY };
}

export const DEFAULT_SMS_TIMEOUT_MS = 5000;

/**
 * Bounds a provider call: past `ms` the caller gets TIMEOUT while the SDK's own request (also
 * given a timeout) is abandoned. The timer never keeps the process alive.
 */
export async function withSmsTimeout(ms: number, call: () => Promise<SmsSendResult>): Promise<SmsSendResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<SmsSendResult>((resolve) => {
    timer = setTimeout(() => resolve(unavailable(TIMEOUT)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([call(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Development provider: the message goes to the log, where a developer reads the code; the
 * phone is masked like any personal data there. Never a production provider (config refuses it
 * unless SMS_PROVIDER=log is chosen on purpose for a trial).
 */
export function logSmsProvider(log: (line: string) => void): SmsProvider {
  let n = 0;
  return {
    name: 'log',
    async send(message) {
      n += 1;
      log(
        `[dev sms] to ${maskMobile(message.phone)}: 【${message.signName}】${message.text ?? JSON.stringify(message.params)} (template ${message.templateId})`,
      );
      return { ok: true, providerId: `log-${n}`, requestId: `log-${n}` };
    },
  };
}

/** Keeps messages in memory, for tests to read what a phone would get; `failWith` makes the next sends fail. */
export function memorySmsProvider() {
  const sent: Array<SmsMessage & { text: string }> = [];
  const failures: Array<Extract<SmsSendResult, { ok: false }>> = [];
  return {
    name: 'log' as const,
    sent,
    failWith(failure: Extract<SmsSendResult, { ok: false }>, count = 1) {
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    async send(message: SmsMessage): Promise<SmsSendResult> {
      const failure = failures.shift();
      if (failure) return failure;
      sent.push({ ...message, text: message.text ?? JSON.stringify(message.params) });
      return { ok: true, providerId: `memory-${sent.length}`, requestId: `memory-${sent.length}` };
    },
  } satisfies SmsProvider & Record<string, unknown>;
}

/** For the providers' own log lines: a phone never appears whole. */
export function maskedPhone(phone: string): string {
  return maskMobile(phone.replace(/^\+86/, ''));
}
