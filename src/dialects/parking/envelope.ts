import type { FastifyRequest } from 'fastify';
import type { FieldError } from '../../core/domain-error.js';
import type { FamilyRefusal } from '../shared/client-mistakes.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Calls 6 and 7: every failure in their own `{returnCode: "F", …}` shape, not the envelope. */
    parkingReturnCode?: boolean;
  }
}

/**
 * Family 5's envelope: `{timestamp: "<epoch ms>", msg, isSuccess: "0", resultData}` on success,
 * `isSuccess: "1"` with msg naming every bad field on failure. Calls 1 and 2 add their own
 * top-level field (isOverDuplicate, canRePay) beside resultData.
 */
export function ok<T, E extends Record<string, string> = Record<never, string>>(
  now: number,
  msg: string,
  resultData: T,
  extra?: E,
) {
  return { timestamp: String(now), msg, isSuccess: '0' as const, ...(extra ?? ({} as E)), resultData };
}

/** Success with nothing to answer (calls 3, 8, 9, 10). */
export function done(now: number, msg: string) {
  return { timestamp: String(now), msg, isSuccess: '0' as const };
}

export function fail(now: number, msg: string, errors: readonly FieldError[] = []) {
  return {
    timestamp: String(now),
    msg: errors.length ? errors.map((e) => e.error).join('；') : msg,
    isSuccess: '1' as const,
  };
}

/** The failure of calls 6 and 7: `{timestamp, returnCode: "F", returnMsg, isSuccess: "false", msg}`. */
export function returnCodeFailure(now: number, msg: string) {
  return {
    timestamp: String(now),
    returnCode: 'F' as const,
    returnMsg: msg,
    isSuccess: 'false' as const,
    msg,
  };
}

/**
 * A failure in the shape of the call `request` reached: calls 6 and 7 their own, every other the
 * envelope. A refusal made before the call's handler (no session, a body that cannot be parsed)
 * answers like the handler's own refusals, as a client of that call reads them.
 */
export function failFor(
  request: FastifyRequest | undefined,
  now: number,
  msg: string,
  errors: readonly FieldError[] = [],
) {
  const failure = fail(now, msg, errors);
  return request?.routeOptions.config?.parkingReturnCode ? returnCodeFailure(now, failure.msg) : failure;
}

/** Family 5's URLs and envelope, so the app's 404 and URL refusals answer in it. */
export const parkingRefusal: FamilyRefusal = {
  prefixes: ['/parking/api/', '/parking/oauth/'],
  refuse: (reply, mistake) =>
    reply
      .status(mistake.status)
      .send(failFor(reply.request, reply.server.ctx?.clock.now() ?? Date.now(), mistake.message)),
};
