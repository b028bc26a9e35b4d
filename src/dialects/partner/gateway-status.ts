import type { DomainErrorCode } from '../../core/domain-error.js';

/**
 * Family 4's `status`: 1 is success; the spec leaves failures to the partner, so each failure
 * of the gateway has its own number and Chinese message. Business refusals (401, 505 …) are
 * not here: they are successful calls whose `response.result` says no.
 */
export const GATEWAY_STATUS = {
  ok: { status: 1, http: 200, message: 'success' },
  missingParameter: { status: 1001, http: 400, message: '缺少公共参数' },
  unknownUa: { status: 1002, http: 401, message: 'ua不存在或已停用' },
  badSign: { status: 1003, http: 401, message: '签名错误' },
  staleTimestamp: { status: 1004, http: 401, message: 'timestamp缺失或与服务器时间相差超过10分钟' },
  replay: { status: 1005, http: 401, message: '重复的请求' },
  unknownCall: { status: 1006, http: 404, message: '接口不存在' },
  callNotAllowed: { status: 1007, http: 403, message: '无权调用该接口' },
  argsNotJson: { status: 1008, http: 400, message: 'args不是合法的JSON字符串' },
  argsInvalid: { status: 1009, http: 200, message: 'args参数错误' },
  // Refused before the gateway reads a field; the HTTP status is the refusal's own (400 or 414).
  unreadable: { status: 1010, http: 400, message: '请求无法解析' },
  bodyTooLarge: { status: 1011, http: 413, message: '请求体过大' },
  notForm: { status: 1012, http: 415, message: '请求须为application/x-www-form-urlencoded表单' },
  // A provider we depend on (the SMS carrier) refused the message or could not be reached.
  refused: { status: 1013, http: 200, message: '第三方服务拒绝了请求' },
  unavailable: { status: 1014, http: 503, message: '第三方服务暂时不可用，请稍后重试' },
  internal: { status: -1, http: 500, message: '系统繁忙，请稍后重试' },
} as const;

export type GatewayOutcome = keyof typeof GATEWAY_STATUS;

/** Refusals made before the gateway reads a field, by HTTP status; any other is `unreadable`. */
export const CLIENT_MISTAKE_OUTCOME: Readonly<Partial<Record<number, GatewayOutcome>>> = {
  404: 'unknownCall',
  413: 'bodyTooLarge',
  415: 'notForm',
};

/** Domain errors a call may throw, as gateway outcomes. */
export const PARTNER_ERROR_OUTCOME = {
  validation: 'argsInvalid',
  bad_request: 'argsInvalid',
  unauthenticated: 'unknownUa',
  forbidden: 'callNotAllowed',
  not_found: 'argsInvalid',
  illegal_transition: 'argsInvalid',
  conflict: 'internal',
  rate_limited: 'internal',
  bad_signature: 'badSign',
  refused: 'refused',
  unavailable: 'unavailable',
} as const satisfies Record<DomainErrorCode, GatewayOutcome>;
