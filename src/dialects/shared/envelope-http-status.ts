import type { DomainErrorCode } from '../../core/domain-error.js';

/**
 * HTTP status per domain error for the families whose envelope carries the outcome (family 1's
 * `{code, msg}` and family 2's `{code: -1, msg}`). Outcomes the specs describe (validation,
 * refusals, an unknown record, a provider refusing a message) stay 200 in the envelope, as their
 * pages and apps expect; credentials, limits and outages answer with their own status so proxies,
 * monitors and retrying clients see them. Family 4's gateway has its own table
 * (partner/gateway-status.ts). A new code fails the build until it is mapped here.
 */
export const ENVELOPE_HTTP_STATUS = {
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
