import type { FieldError } from '../../core/domain-error.js';

/** Family 2 answers `{code: 0, data}` on success and `{code: -1, msg}` on failure. */
export function ok(): { code: 0 };
export function ok<T>(data: T): { code: 0; data: T };
export function ok<T>(data?: T): { code: 0; data?: T } {
  return data === undefined ? { code: 0 } : { code: 0, data };
}

/** msg says what is wrong, every field of it; `errors` names them for programs. */
export function fail(msg: string, errors: readonly FieldError[] = []) {
  return errors.length > 1
    ? { code: -1 as const, msg: errors.map((e) => e.error).join('；'), errors: [...errors] }
    : { code: -1 as const, msg, ...(errors.length ? { errors: [...errors] } : {}) };
}
