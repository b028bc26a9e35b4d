/**
 * The one error type the domain throws. Dialects map every code to their own envelope through
 * a status table that `satisfies Record<DomainErrorCode, …>` (dialects/shared/
 * envelope-http-status.ts, partner/gateway-status.ts), so adding a code here breaks the build
 * until every family decides how to say it.
 */
export const DOMAIN_ERROR_CODES = [
  /** One or more input fields failed validation; `fields` lists every one of them. */
  'validation',
  /** The request body or a parameter could not be parsed at all. */
  'bad_request',
  /** No credential, or a credential that is unknown or expired. */
  'unauthenticated',
  /** Authenticated, but the caller may not do this (missing role, someone else's record). */
  'forbidden',
  /** The record the request names does not exist (or is not visible to the caller). */
  'not_found',
  /** The record is not in a state that allows this action (e.g. passing an order not at 面签). */
  'illegal_transition',
  /** Someone else changed the record first (optimistic version check lost). */
  'conflict',
  /** Too many attempts; try again later. */
  'rate_limited',
  /** A signature, MAC or token did not verify. */
  'bad_signature',
  /** A provider we depend on said no to this request (e.g. it will not text this number); retrying will not help. */
  'refused',
  /** A provider we depend on is down or slow; nothing was done and the caller may try again later. */
  'unavailable',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export interface FieldError {
  field: string;
  error: string;
}

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly fields: readonly FieldError[];

  constructor(code: DomainErrorCode, message: string, fields: readonly FieldError[] = []) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.fields = fields;
  }

  static validation(fields: readonly FieldError[]): DomainError {
    const first = fields[0]?.error ?? '参数错误';
    return new DomainError(
      'validation',
      fields.length > 1 ? `${first}等${fields.length}项错误` : first,
      fields,
    );
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
