import { signaturesEqual } from '../../core/signing.js';
import { parseShanghaiDateTime } from '../../core/time.js';
import { isTopSignMethod, type TopSignMethod, topSign } from '../../core/top-sign.js';

/** A TOP error as the gateway answers it inside `error_response` (request_id is added when rendered). */
export type TopError = { code: number; msg: string; sub_code?: string; sub_msg?: string };

export type TopFormat = 'json' | 'xml';

/** How far a request's `timestamp` may be from our clock either way, in milliseconds (TOP allows 10 minutes). */
export const TOP_TIMESTAMP_TOLERANCE_MS = 10 * 60_000;

/**
 * Every error this layer produces, in the order the checks run. `msg` is the text TOP's gateway
 * answers (seen in live responses for 21, 22, 25, 29, 31, 40 and 41; the others follow the same
 * spelling of TOP's error-code list); `sub_code` uses TOP's sub-error convention
 * (`isv.missing-parameter:<name>`, `isv.invalid-parameter:<name>`), except 29 which is TOP's own
 * `isv.appkey-not-exists`, answered without a sub_msg as TOP does.
 */
export const TOP_ERRORS = {
  /** 21: no `method` parameter. */
  missingMethod: {
    code: 21,
    msg: 'Missing method',
    sub_code: 'isv.missing-parameter:method',
    sub_msg: '缺少方法名参数',
  },
  /** 22: `method` names no API this gateway serves (only when `knownMethods` is given). */
  invalidMethod: {
    code: 22,
    msg: 'Invalid method',
    sub_code: 'isv.invalid-parameter:method',
    sub_msg: '不存在的方法名',
  },
  /** 23: `format` is neither `xml` nor `json` (the error itself is answered in XML, TOP's default). */
  invalidFormat: {
    code: 23,
    msg: 'Invalid format',
    sub_code: 'isv.invalid-parameter:format',
    sub_msg: 'format必须为json或xml',
  },
  /** 32: no `v` parameter. */
  missingVersion: {
    code: 32,
    msg: 'Missing version',
    sub_code: 'isv.missing-parameter:v',
    sub_msg: '缺少版本参数',
  },
  /** 33: `v` is not a version number at all (`abc`). */
  invalidVersion: {
    code: 33,
    msg: 'Invalid version',
    sub_code: 'isv.invalid-parameter:v',
    sub_msg: '非法的版本参数',
  },
  /** 34: `v` is a version number other than 2.0, the only one TOP serves. */
  unsupportedVersion: {
    code: 34,
    msg: 'Unsupported version',
    sub_code: 'isv.invalid-parameter:v',
    sub_msg: '不支持的版本号,v必须为2.0',
  },
  /** 28: no `app_key` parameter. */
  missingAppKey: {
    code: 28,
    msg: 'Missing app key',
    sub_code: 'isv.missing-parameter:app_key',
    sub_msg: '缺少AppKey参数',
  },
  /** 29: `app_key` names no application we know (word for word what TOP answers). */
  invalidAppKey: { code: 29, msg: 'Invalid app Key', sub_code: 'isv.appkey-not-exists' },
  /** 30: no `timestamp` parameter. */
  missingTimestamp: {
    code: 30,
    msg: 'Missing timestamp',
    sub_code: 'isv.missing-parameter:timestamp',
    sub_msg: '缺少时间戳参数',
  },
  /** 31: `timestamp` is not `yyyy-MM-dd HH:mm:ss` or names no real time. */
  malformedTimestamp: {
    code: 31,
    msg: 'Invalid timestamp',
    sub_code: 'isv.invalid-parameter:timestamp',
    sub_msg: '时间戳格式必须为yyyy-MM-dd HH:mm:ss(北京时间)',
  },
  /** 31: `timestamp` is more than 10 minutes from our clock, either way. */
  staleTimestamp: {
    code: 31,
    msg: 'Invalid timestamp',
    sub_code: 'isv.invalid-parameter:timestamp',
    sub_msg: '时间戳与服务器时间相差超过10分钟',
  },
  /** 24: no `sign` parameter. */
  missingSignature: {
    code: 24,
    msg: 'Missing signature',
    sub_code: 'isv.missing-parameter:sign',
    sub_msg: '缺少签名参数',
  },
  /** 25: `sign_method` is none of md5, hmac, hmac-sha256. */
  unsupportedSignMethod: {
    code: 25,
    msg: 'Invalid signature',
    sub_code: 'isv.invalid-parameter:sign_method',
    sub_msg: 'sign_method只支持md5、hmac、hmac-sha256',
  },
  /** 25: `sign` is not the signature of the parameters under the application's secret. */
  invalidSignature: {
    code: 25,
    msg: 'Invalid signature',
    sub_code: 'isv.invalid-signature',
    sub_msg: '签名错误',
  },
  /** 26: no `session` although the caller said the method needs one (`requireSession`). */
  missingSession: {
    code: 26,
    msg: 'Missing session',
    sub_code: 'isv.missing-parameter:session',
    sub_msg: '缺少SessionKey参数',
  },
} as const satisfies Record<string, TopError>;

/** 40, for the method's own layer: a required business argument is absent (`Missing required arguments:name`). */
export function missingArgument(name: string): TopError {
  return { code: 40, msg: `Missing required arguments:${name}`, sub_code: `isv.missing-parameter:${name}` };
}

/** 41, for the method's own layer: a business argument is present but wrong (`Invalid arguments:name`). */
export function invalidArgument(name: string, subMsg?: string): TopError {
  const error: TopError = {
    code: 41,
    msg: `Invalid arguments:${name}`,
    sub_code: `isv.invalid-parameter:${name}`,
  };
  if (subMsg !== undefined) error.sub_msg = subMsg;
  return error;
}

export type TopRequestDeps = {
  /** The application's secret, or undefined when no application has this app key. */
  secretOf(appKey: string): Promise<string | undefined>;
  /** Our clock, epoch milliseconds. */
  now: number;
  /** The methods this gateway serves; without it an unknown method is left to the caller (22). */
  knownMethods?: ReadonlySet<string>;
  /** Whether the method needs the user's `session` (26 when absent); TOP checks it per API. */
  requireSession?: boolean;
};

/** A request that passed every protocol check; `params` are all of them, for the method to read its own. */
export type TopRequest = {
  ok: true;
  appKey: string;
  method: string;
  format: TopFormat;
  simplify: boolean;
  signMethod: TopSignMethod;
  /** Epoch milliseconds the caller's `timestamp` names. */
  timestamp: number;
  session: string | undefined;
  params: Record<string, string>;
};

/** A refusal; `format` and `simplify` say how to render it (XML, TOP's default, when `format` was the fault). */
export type TopRefusal = { ok: false; error: TopError; format: TopFormat; simplify: boolean };

const TIMESTAMP_SHAPE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const VERSION_SHAPE = /^\d+(\.\d+)*$/;

/**
 * TOP's protocol checks over a request's parameters (query and form merged), in TOP's order:
 * method (21, 22), format (23), version (32, 33, 34), app key present (28), timestamp (30, 31),
 * sign present and sign method supported (24, 25), app key known (29), signature (25), session
 * (26). Parameters with an empty value count as absent, as they do in the signature.
 */
export async function readTopRequest(
  raw: Record<string, string | undefined>,
  deps: TopRequestDeps,
): Promise<TopRequest | TopRefusal> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw))
    if (value !== undefined && value !== '') params[name] = value;

  const formatParam = params.format ?? 'xml';
  const format: TopFormat = formatParam === 'json' ? 'json' : 'xml';
  const simplify = params.simplify === 'true';
  const refuse = (error: TopError): TopRefusal => ({ ok: false, error, format, simplify });

  const method = params.method;
  if (method === undefined) return refuse(TOP_ERRORS.missingMethod);
  if (deps.knownMethods && !deps.knownMethods.has(method)) return refuse(TOP_ERRORS.invalidMethod);
  if (formatParam !== 'json' && formatParam !== 'xml') return refuse(TOP_ERRORS.invalidFormat);

  const v = params.v;
  if (v === undefined) return refuse(TOP_ERRORS.missingVersion);
  if (!VERSION_SHAPE.test(v)) return refuse(TOP_ERRORS.invalidVersion);
  if (v !== '2.0') return refuse(TOP_ERRORS.unsupportedVersion);

  const appKey = params.app_key;
  if (appKey === undefined) return refuse(TOP_ERRORS.missingAppKey);

  const timestampParam = params.timestamp;
  if (timestampParam === undefined) return refuse(TOP_ERRORS.missingTimestamp);
  const timestamp = TIMESTAMP_SHAPE.test(timestampParam) ? parseShanghaiDateTime(timestampParam) : null;
  if (timestamp === null) return refuse(TOP_ERRORS.malformedTimestamp);
  if (Math.abs(deps.now - timestamp) > TOP_TIMESTAMP_TOLERANCE_MS) return refuse(TOP_ERRORS.staleTimestamp);

  const sign = params.sign;
  if (sign === undefined) return refuse(TOP_ERRORS.missingSignature);
  const signMethod = params.sign_method ?? 'md5';
  if (!isTopSignMethod(signMethod)) return refuse(TOP_ERRORS.unsupportedSignMethod);

  const secret = await deps.secretOf(appKey);
  if (secret === undefined) return refuse(TOP_ERRORS.invalidAppKey);
  // TOP's rule is uppercase hex: a lowercase spelling of the right digest is a wrong signature.
  if (!signaturesEqual(topSign(params, secret, signMethod), sign)) {
    return refuse(TOP_ERRORS.invalidSignature);
  }

  const session = params.session;
  if (deps.requireSession && session === undefined) return refuse(TOP_ERRORS.missingSession);

  return { ok: true, appKey, method, format, simplify, signMethod, timestamp, session, params };
}
