import type { DomainErrorCode } from '../../core/domain-error.js';

/**
 * HTTP status per domain error for family 1. Outcomes the spec describes (validation, refusals,
 * unknown order) stay 200 in the envelope, as the pages expect; credentials answer 401/403.
 */
export const MIANQIAN_HTTP_STATUS = {
  validation: 200,
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 200,
  illegal_transition: 200,
  conflict: 200,
  rate_limited: 429,
  bad_signature: 401,
  refused: 200,
  unavailable: 503,
} as const satisfies Record<DomainErrorCode, number>;
