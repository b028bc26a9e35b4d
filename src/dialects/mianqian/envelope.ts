import type { FieldError } from '../../core/domain-error.js';

/** Family 1 answers `{code: 1, msg, data}` on success and `{code: 0, errors, msg}` on failure. */
export interface MianqianSuccess<T> {
  code: 1;
  msg: string;
  data: T;
}

export interface MianqianFailure {
  code: 0;
  errors: FieldError[];
  msg: string;
}

export function ok<T>(data: T, msg = ''): MianqianSuccess<T> {
  return { code: 1, msg, data };
}

export function fail(msg: string, errors: readonly FieldError[] = []): MianqianFailure {
  return { code: 0, errors: [...errors], msg };
}
