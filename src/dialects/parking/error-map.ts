import type { DomainErrorCode } from '../../core/domain-error.js';

/**
 * HTTP status per domain error in family 5: what the spec describes (bad fields, a record the
 * caller cannot see, a state that forbids the action, a provider's refusal) answers 200 with
 * isSuccess "1", as the official-account page expects; a missing or expired session 401 (the
 * page goes through OAuth again); limits 429 and outages 503, so proxies and monitors see them.
 * A new code fails the build until it is mapped here.
 */
export const PARKING_HTTP_STATUS = {
  validation: 200,
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 200,
  not_found: 200,
  illegal_transition: 200,
  conflict: 200,
  rate_limited: 429,
  bad_signature: 401,
  refused: 200,
  unavailable: 503,
} as const satisfies Record<DomainErrorCode, number>;
