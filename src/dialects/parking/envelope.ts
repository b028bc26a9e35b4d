import type { FieldError } from '../../core/domain-error.js';
import type { FamilyRefusal } from '../shared/client-mistakes.js';

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

/** Family 5's URLs and envelope, so the app's 404 and URL refusals answer in it. */
export const parkingRefusal: FamilyRefusal = {
  prefixes: ['/parking/api/', '/parking/oauth/'],
  refuse: (reply, mistake) =>
    reply.status(mistake.status).send(fail(reply.server.ctx?.clock.now() ?? Date.now(), mistake.message)),
};
