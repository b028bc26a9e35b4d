import type { DomainErrorCode } from '../../core/domain-error.js';
import { ENVELOPE_HTTP_STATUS } from '../shared/envelope-http-status.js';

/**
 * HTTP status per domain error in family 5: the envelope families' table (outcomes the spec
 * describes answer 200 with isSuccess "1"; a missing or expired session 401, so the page goes
 * through OAuth again; limits 429 and outages 503), except that a record or action the caller may
 * not touch answers 200 like a missing one, as the official-account page expects.
 */
export const PARKING_HTTP_STATUS = {
  ...ENVELOPE_HTTP_STATUS,
  forbidden: 200,
} as const satisfies Record<DomainErrorCode, number>;
