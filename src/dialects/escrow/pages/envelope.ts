import type { FieldError } from '../../../core/domain-error.js';
import type { FamilyRefusal } from '../../shared/client-mistakes.js';

/** The acceptance pages' API answers `{code: 0, data}`, or `{code: -1, msg, errors?}` naming bad fields. */
export const ok = <T>(data: T) => ({ code: 0 as const, data });

export function fail(msg: string, errors: readonly FieldError[] = []) {
  return errors.length
    ? { code: -1 as const, msg: errors.map((e) => e.error).join('；'), errors: [...errors] }
    : { code: -1 as const, msg };
}

/** The pages' API URLs and envelope, so the app's 404 and URL refusals answer in it. */
export const escrowPagesRefusal: FamilyRefusal = {
  prefixes: ['/escrow/api/'],
  refuse: (reply, mistake) => reply.status(mistake.status).send(fail(mistake.message)),
};
