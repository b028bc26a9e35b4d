import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** A request refused for the client's own mistake: the HTTP status and what to tell them. */
export interface ClientMistake {
  readonly status: number;
  readonly message: string;
}

/**
 * Where a family's URLs start and how it says no, so that refusals made before any of its
 * routes runs (an unknown URL, one that cannot be decoded) still answer in its envelope.
 */
export interface FamilyRefusal {
  readonly prefixes: readonly string[];
  refuse(reply: FastifyReply, mistake: ClientMistake): FastifyReply;
}

export const NOT_FOUND: ClientMistake = { status: 404, message: '接口不存在' };

const BODY_NOT_OBJECT: ClientMistake = { status: 400, message: '请求体须为JSON对象或表单' };

const NUL_CHARACTER_CODE = 'FT_ERR_NUL_CHARACTER';
const BODY_NOT_OBJECT_CODE = 'FT_ERR_BODY_NOT_OBJECT';
// How deep a body is searched: fields sit at the top, and the JSON some fields hold a level or two down.
const NUL_SEARCH_DEPTH = 8;

// Fastify's own refusals; their English messages and codes are not for our clients.
const BY_CODE = new Map<string | undefined, ClientMistake>([
  ['FST_ERR_CTP_BODY_TOO_LARGE', { status: 413, message: '请求体过大' }],
  ['FST_ERR_CTP_INVALID_MEDIA_TYPE', { status: 415, message: '不支持的请求格式' }],
  ['FST_ERR_BAD_URL', { status: 400, message: '请求地址无法解析' }],
  ['FST_ERR_MAX_PARAM_LENGTH', { status: 414, message: '请求地址过长' }],
  [NUL_CHARACTER_CODE, { status: 400, message: '请求含有不允许的空字符（U+0000）' }],
  [BODY_NOT_OBJECT_CODE, BODY_NOT_OBJECT],
]);

/**
 * The client's mistake in `error`, found before a route's own rules ran: a body too large, of a
 * type the route does not take, unparsable or not an object; U+0000 anywhere; a URL that cannot
 * be decoded or a path parameter too long.
 * Undefined for field-level validation (each family reports those field by field) and for our
 * own faults, which stay 500s.
 */
export function clientMistake(error: FastifyError): ClientMistake | undefined {
  if (error.validation) {
    // A body that is JSON `null`, an array or a scalar has no fields to name one by one.
    const wholeBody =
      error.validationContext === 'body' &&
      error.validation.some((e) => e.instancePath === '' && e.keyword === 'type');
    return wholeBody ? BODY_NOT_OBJECT : undefined;
  }
  const known = BY_CODE.get(error.code);
  if (known) return known;
  const status = error.statusCode;
  if (status === undefined || status < 400 || status >= 500) return undefined;
  // What is left of Fastify's 4xx is the body: bad JSON, an empty JSON body, a wrong length.
  return { status, message: status === 400 ? '请求体无法解析' : '请求无效' };
}

/** Client mistakes are the client's to fix: logged for the record, never at error level. */
export function logClientMistake(request: FastifyRequest, error: FastifyError, mistake: ClientMistake): void {
  request.log.info({ code: error.code, statusCode: mistake.status }, `refused: ${mistake.message}`);
}

/**
 * preValidation hook: a POST without a body sends no fields, so it is validated as an empty
 * form — a route whose fields are all optional works, a required field is named — rather than
 * failing as one error on a body that is not an object.
 */
export function readMissingBodyAsEmpty(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: () => void,
): void {
  if (request.body === undefined) request.body = {};
  done();
}

/**
 * preValidation hook: PostgreSQL cannot store U+0000 in text, so a string carrying one would
 * fail in the database as a 500 (SQLite would keep it). It is refused here, on either store.
 */
export function refuseNulCharacters(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: (error?: Error) => void,
): void {
  if ([request.body, request.query, request.params].some((part) => containsNul(part))) {
    done(nulCharacterError());
    return;
  }
  done();
}

/** What the families answer 400 请求含有不允许的空字符, for a body read outside the hook (multipart). */
export function nulCharacterError(): Error {
  return Object.assign(new Error('request carries U+0000'), { statusCode: 400, code: NUL_CHARACTER_CODE });
}

/** What a route without a body schema throws for a body that is no object (JSON `[1]`, `null`, `"x"`). */
export function bodyNotObjectError(): Error {
  return Object.assign(new Error('the body is no object of fields'), {
    statusCode: 400,
    code: BODY_NOT_OBJECT_CODE,
  });
}

/** Whether any string in `value`, or any key of its objects, holds U+0000 (as a JSON `\u0000` parses to). */
export function containsNul(value: unknown, depth: number = NUL_SEARCH_DEPTH): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (typeof value !== 'object' || value === null || depth <= 0) return false;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000') || containsNul(item, depth - 1)) return true;
  }
  return false;
}
