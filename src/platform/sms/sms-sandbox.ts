import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signaturesEqual } from '../../core/signing.js';
import { type Acs3Request, acs3Signature, aliyunRpcSignature, sha256Hex } from './aliyun-signature.js';
import { parseTc3Authorization, tc3CanonicalRequest, tc3Date, tc3Signature } from './tencent-signature.js';

/**
 * A local stand-in for Aliyun Dysms and Tencent Cloud SMS: one node:http server that speaks both
 * wire protocols closely enough for the official SDKs. It checks each request's signature with
 * the credentials it was given (Aliyun V3 ACS3-HMAC-SHA256, which the SDK sends, and RPC v1
 * HMAC-SHA1; Tencent TC3-HMAC-SHA256), answers the providers' own success and error JSON, records
 * the messages, and answers the delivery-receipt calls (Aliyun QuerySendDetails, Tencent
 * PullSmsSendStatus). Tests and local development point a provider's endpoint at `url`.
 */

export type SandboxProvider = 'aliyun' | 'tencent';

export interface SandboxMessage {
  provider: SandboxProvider;
  /** As the provider received it: '13800138000' for Aliyun, '+8613800138000' for Tencent. */
  phone: string;
  signName: string;
  templateId: string;
  /** Aliyun: TemplateParam by name; Tencent: TemplateParamSet by position, keyed '1', '2'… like its {1} {2}. */
  params: Record<string, string>;
  at: Date;
  providerId: string;
  /** The delivery receipt the sandbox will report: 'DELIVERED' or the failure code set by failNext(…, 'delivery'). */
  receipt: string;
}

export interface SmsSandboxOptions {
  port?: number;
  host?: string;
  credentials: {
    aliyun: { accessKeyId: string; accessKeySecret: string };
    tencent: { secretId: string; secretKey: string };
  };
  /** Told of every message the sandbox takes (the `sms-sandbox` command prints them). */
  onMessage?: (message: SandboxMessage) => void;
}

/**
 * Development credentials of the sandbox, for `fangtong sms-sandbox` and tests: they open
 * nothing but the sandbox, and a real provider refuses them.
 */
export const SANDBOX_SMS_CREDENTIALS = {
  aliyun: { accessKeyId: 'sandbox-aliyun-key-id', accessKeySecret: 'sandbox-aliyun-key-secret' },
  tencent: { secretId: 'sandbox-tencent-secret-id', secretKey: 'sandbox-tencent-secret-key' },
} as const;

export interface SmsSandbox {
  url: string;
  messages: SandboxMessage[];
  /** The next `count` sends (stage 'send') answer `code`; or the next `count` accepted messages get a failed receipt `code` (stage 'delivery'). */
  failNext(provider: SandboxProvider, code: string, count?: number, stage?: 'send' | 'delivery'): void;
  /** The next request to `provider` is answered after `ms`. */
  delayNext(provider: SandboxProvider, ms: number): void;
  close(): Promise<void>;
}

/** Aliyun gateway errors come with an HTTP status; Dysms's own isv./isp. codes come in a 200 body. */
const ALIYUN_HTTP_STATUS: Record<string, number> = {
  'InvalidAccessKeyId.NotFound': 404,
  'InvalidAccessKeyId.Inactive': 400,
  SignatureDoesNotMatch: 400,
  SignatureNonceUsed: 400,
  'InvalidTimeStamp.Expired': 400,
  'Throttling.User': 400,
  'Throttling.Api': 400,
  Throttling: 400,
  'Forbidden.RAM': 403,
  InternalError: 500,
  ServiceUnavailable: 503,
};

/** Tencent codes that fail the whole call (Response.Error) rather than one number's SendStatus. */
const TENCENT_CALL_ERROR =
  /^(AuthFailure|InternalError|RequestLimitExceeded|UnauthorizedOperation|FailedOperation\.(Template|Signature|Missing)|InvalidParameterValue\.SdkAppIdNotExist|MissingParameter)/;

const SKEW_SECONDS = 15 * 60;

interface Failure {
  code: string;
  left: number;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function header(req: IncomingMessage, name: string): string {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : (v ?? '');
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** 'yyyy-MM-dd HH:mm:ss' in China time, as Dysms writes its dates. */
function chinaTime(d: Date): string {
  const c = new Date(d.getTime() + 8 * 3600_000);
  return `${c.getUTCFullYear()}-${pad(c.getUTCMonth() + 1)}-${pad(c.getUTCDate())} ${pad(c.getUTCHours())}:${pad(c.getUTCMinutes())}:${pad(c.getUTCSeconds())}`;
}

function chinaDay(d: Date): string {
  return chinaTime(d).slice(0, 10).replaceAll('-', '');
}

export async function startSmsSandbox(options: SmsSandboxOptions): Promise<SmsSandbox> {
  const messages: SandboxMessage[] = [];
  const failures: Record<SandboxProvider, { send: Failure[]; delivery: Failure[] }> = {
    aliyun: { send: [], delivery: [] },
    tencent: { send: [], delivery: [] },
  };
  const delays: Record<SandboxProvider, number[]> = { aliyun: [], tencent: [] };
  const nonces = new Set<string>();
  const pulled = new Set<SandboxMessage>();
  let serial = 0;

  const take = (list: Failure[]): string | undefined => {
    const first = list[0];
    if (!first) return undefined;
    first.left -= 1;
    if (first.left <= 0) list.shift();
    return first.code;
  };

  const record = (
    m: Omit<SandboxMessage, 'at' | 'providerId' | 'receipt'>,
    providerId: string,
  ): SandboxMessage => {
    const message: SandboxMessage = {
      ...m,
      at: new Date(),
      providerId,
      receipt: take(failures[m.provider].delivery) ?? 'DELIVERED',
    };
    messages.push(message);
    options.onMessage?.(message);
    return message;
  };

  // ---------------------------------------------------------------- Aliyun
  const aliyunError = (
    res: ServerResponse,
    code: string,
    message: string,
    status = ALIYUN_HTTP_STATUS[code] ?? 200,
  ) =>
    json(res, status, {
      RequestId: randomUUID().toUpperCase(),
      HostId: 'dysmsapi.aliyuncs.com',
      Code: code,
      Message: message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}`,
    });

  /** Checks the signature; answers the gateway's error and returns null when it does not hold. */
  const aliyunVerify = (
    req: IncomingMessage,
    url: URL,
    body: Buffer,
    res: ServerResponse,
  ): { action: string; params: Record<string, string> } | null => {
    const { accessKeyId, accessKeySecret } = options.credentials.aliyun;
    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    if (header(req, 'content-type').startsWith('application/x-www-form-urlencoded') && body.length > 0) {
      Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
    }
    const authorization = header(req, 'authorization');
    if (authorization.startsWith('ACS3-HMAC-SHA256 ')) {
      const m =
        /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([a-z0-9;-]+),Signature=([0-9a-f]+)$/.exec(
          authorization,
        );
      if (!m) {
        aliyunError(
          res,
          'IncompleteSignature',
          'The request signature does not conform to Aliyun standards.',
          400,
        );
        return null;
      }
      if (m[1] !== accessKeyId) {
        aliyunError(res, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
        return null;
      }
      const date = Date.parse(header(req, 'x-acs-date'));
      if (!Number.isFinite(date) || Math.abs(Date.now() - date) > SKEW_SECONDS * 1000) {
        aliyunError(res, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
        return null;
      }
      const hashedPayload = sha256Hex(body);
      const signedHeaders = m[2]!.split(';');
      const headers: Record<string, string> = {};
      for (const h of signedHeaders) headers[h] = header(req, h);
      const request: Acs3Request = {
        method: req.method ?? 'POST',
        pathname: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        signedHeaders,
        hashedPayload,
      };
      if (
        !signedHeaders.includes('host') ||
        !signedHeaders.includes('x-acs-date') ||
        header(req, 'x-acs-content-sha256') !== hashedPayload ||
        !signaturesEqual(acs3Signature(request, accessKeySecret), m[3]!)
      ) {
        aliyunError(res, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
        return null;
      }
      const nonce = header(req, 'x-acs-signature-nonce');
      if (nonce === '' || nonces.has(nonce)) {
        aliyunError(res, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
        return null;
      }
      nonces.add(nonce);
      return { action: header(req, 'x-acs-action'), params };
    }
    if (params.SignatureMethod === 'HMAC-SHA1' && params.Signature !== undefined) {
      if (params.AccessKeyId !== accessKeyId) {
        aliyunError(res, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
        return null;
      }
      const { Signature: signature, ...signed } = params;
      if (!signaturesEqual(aliyunRpcSignature(req.method ?? 'GET', signed, accessKeySecret), signature)) {
        aliyunError(res, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
        return null;
      }
      const nonce = params.SignatureNonce ?? '';
      if (nonce === '' || nonces.has(nonce)) {
        aliyunError(res, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
        return null;
      }
      nonces.add(nonce);
      return { action: params.Action ?? '', params: signed };
    }
    aliyunError(res, 'MissingSignature', 'Signature is mandatory for this action.', 400);
    return null;
  };

  const aliyun = (req: IncomingMessage, url: URL, body: Buffer, res: ServerResponse) => {
    const verified = aliyunVerify(req, url, body, res);
    if (!verified) return;
    const { action, params } = verified;
    const requestId = randomUUID().toUpperCase();
    if (action === 'SendSms') {
      const failure = take(failures.aliyun.send);
      if (failure) return aliyunError(res, failure, `sandbox: ${failure}`);
      const phone = params.PhoneNumbers ?? '';
      if (!/^1[3-9]\d{9}$/.test(phone))
        return aliyunError(res, 'isv.MOBILE_NUMBER_ILLEGAL', 'invalid mobile number');
      let templateParams: Record<string, string> = {};
      if (params.TemplateParam) {
        try {
          templateParams = JSON.parse(params.TemplateParam) as Record<string, string>;
        } catch {
          return aliyunError(res, 'isv.INVALID_JSON_PARAM', 'JSON参数不合法，只接受字符串值');
        }
      }
      serial += 1;
      const bizId = `${String(900000 + serial)}${String(Date.now()).slice(-7)}^0`;
      record(
        {
          provider: 'aliyun',
          phone,
          signName: params.SignName ?? '',
          templateId: params.TemplateCode ?? '',
          params: templateParams,
        },
        bizId,
      );
      return json(res, 200, { Code: 'OK', Message: 'OK', BizId: bizId, RequestId: requestId });
    }
    if (action === 'QuerySendDetails') {
      const found = messages.filter(
        (m) =>
          m.provider === 'aliyun' &&
          m.phone === params.PhoneNumber &&
          (params.BizId === undefined || m.providerId === params.BizId) &&
          (params.SendDate === undefined || chinaDay(m.at) === params.SendDate),
      );
      const pageSize = Number(params.PageSize ?? 10) || 10;
      const page = Number(params.CurrentPage ?? 1) || 1;
      return json(res, 200, {
        Code: 'OK',
        Message: 'OK',
        RequestId: requestId,
        TotalCount: String(found.length),
        SmsSendDetailDTOs: {
          SmsSendDetailDTO: found.slice((page - 1) * pageSize, page * pageSize).map((m) => ({
            PhoneNum: m.phone,
            SendStatus: m.receipt === 'DELIVERED' ? 3 : 2,
            ErrCode: m.receipt,
            TemplateCode: m.templateId,
            Content: `【${m.signName}】${Object.values(m.params).join(' ')}`,
            SendDate: chinaTime(m.at),
            ReceiveDate: chinaTime(m.at),
            OutId: '',
          })),
        },
      });
    }
    aliyunError(
      res,
      'InvalidAction.NotFound',
      `Specified api is not found, please check your url and method.`,
      404,
    );
  };

  // ---------------------------------------------------------------- Tencent
  const tencentError = (res: ServerResponse, code: string, message: string) =>
    json(res, 200, { Response: { Error: { Code: code, Message: message }, RequestId: randomUUID() } });

  const tencent = (req: IncomingMessage, url: URL, body: Buffer, res: ServerResponse) => {
    const { secretId, secretKey } = options.credentials.tencent;
    const auth = parseTc3Authorization(header(req, 'authorization'));
    if (!auth) return tencentError(res, 'AuthFailure.InvalidAuthorization', 'Authorization is not valid.');
    if (auth.secretId !== secretId)
      return tencentError(res, 'AuthFailure.SecretIdNotFound', 'The SecretId is not found.');
    const timestamp = Number(header(req, 'x-tc-timestamp'));
    if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) {
      return tencentError(res, 'AuthFailure.SignatureExpire', 'Signature expired.');
    }
    if (auth.date !== tc3Date(timestamp) || !auth.signedHeaders.includes('host')) {
      return tencentError(
        res,
        'AuthFailure.SignatureFailure',
        'The provided credentials could not be validated.',
      );
    }
    const headers: Record<string, string> = {};
    for (const h of auth.signedHeaders) headers[h] = header(req, h);
    const check = (hostValue: string) =>
      signaturesEqual(
        tc3Signature(
          secretKey,
          tc3CanonicalRequest({
            method: req.method ?? 'POST',
            pathname: url.pathname,
            query: url.search.slice(1),
            headers: { ...headers, host: hostValue },
            signedHeaders: auth.signedHeaders,
            payload: body,
          }),
          timestamp,
          auth.service,
        ),
        auth.signature,
      );
    // The Node SDK signs the host name without the port (a real endpoint has none); accept both.
    const host = headers.host ?? '';
    if (!check(host) && !check(host.replace(/:\d+$/, ''))) {
      return tencentError(
        res,
        'AuthFailure.SignatureFailure',
        'The provided credentials could not be validated.',
      );
    }
    if (header(req, 'x-tc-version') !== '2021-01-11') {
      return tencentError(res, 'NoSuchVersion', 'The requested version does not exist.');
    }
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return tencentError(res, 'FailedOperation.JsonParseFail', 'Failed to parse the request body.');
    }
    const action = header(req, 'x-tc-action');
    const requestId = randomUUID();
    if (action === 'SendSms') {
      const phones = Array.isArray(payload.PhoneNumberSet) ? (payload.PhoneNumberSet as string[]) : [];
      if (phones.length === 0)
        return tencentError(res, 'MissingParameter.EmptyPhoneNumberSet', 'PhoneNumberSet is empty.');
      const failure = take(failures.tencent.send);
      if (failure && TENCENT_CALL_ERROR.test(failure))
        return tencentError(res, failure, `sandbox: ${failure}`);
      const values = Array.isArray(payload.TemplateParamSet) ? (payload.TemplateParamSet as string[]) : [];
      const set = phones.map((phone) => {
        const base = {
          PhoneNumber: phone,
          SessionContext: String(payload.SessionContext ?? ''),
          IsoCode: 'CN',
        };
        if (failure) return { ...base, SerialNo: '', Fee: 0, Code: failure, Message: `sandbox: ${failure}` };
        if (!/^\+861[3-9]\d{9}$/.test(phone)) {
          return {
            ...base,
            SerialNo: '',
            Fee: 0,
            Code: 'InvalidParameterValue.IncorrectPhoneNumber',
            Message: 'incorrect phone number',
          };
        }
        serial += 1;
        const serialNo = `2028:${String(Date.now())}${String(serial).padStart(6, '0')}`;
        record(
          {
            provider: 'tencent',
            phone,
            signName: String(payload.SignName ?? ''),
            templateId: String(payload.TemplateId ?? ''),
            params: Object.fromEntries(values.map((v, i) => [String(i + 1), String(v)])),
          },
          serialNo,
        );
        return { ...base, SerialNo: serialNo, Fee: 1, Code: 'Ok', Message: 'send success' };
      });
      return json(res, 200, { Response: { SendStatusSet: set, RequestId: requestId } });
    }
    if (action === 'PullSmsSendStatus') {
      const limit = Number(payload.Limit ?? 100) || 100;
      const fresh = messages.filter((m) => m.provider === 'tencent' && !pulled.has(m)).slice(0, limit);
      for (const m of fresh) pulled.add(m);
      return json(res, 200, {
        Response: {
          PullSmsSendStatusSet: fresh.map((m) => ({
            UserReceiveTime: Math.floor(m.at.getTime() / 1000),
            CountryCode: '86',
            SubscriberNumber: m.phone.replace(/^\+86/, ''),
            PhoneNumber: m.phone,
            SerialNo: m.providerId,
            ReportStatus: m.receipt === 'DELIVERED' ? 'SUCCESS' : 'FAIL',
            Description: m.receipt === 'DELIVERED' ? '用户短信送达成功' : m.receipt,
            SessionContext: '',
          })),
          RequestId: requestId,
        },
      });
    }
    tencentError(res, 'InvalidAction', 'The requested action does not exist.');
  };

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://sandbox');
      const provider: SandboxProvider | null =
        header(req, 'x-tc-action') !== ''
          ? 'tencent'
          : header(req, 'x-acs-action') !== '' || url.searchParams.has('Action') || body.includes('Action=')
            ? 'aliyun'
            : null;
      if (!provider) return json(res, 404, { error: 'not an SMS provider call' });
      const delay = delays[provider].shift();
      if (delay) await new Promise((r) => setTimeout(r, delay));
      if (res.destroyed) return;
      if (provider === 'aliyun') aliyun(req, url, body, res);
      else tencent(req, url, body, res);
    })().catch(() => {
      if (!res.headersSent) json(res, 500, { error: 'sandbox failure' });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    messages,
    failNext(provider, code, count = 1, stage = 'send') {
      failures[provider][stage].push({ code, left: count });
    },
    delayNext(provider, ms) {
      delays[provider].push(ms);
    },
    close() {
      return new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
