import type { DomainError, DomainErrorCode } from '../../core/domain-error.js';
import { invalidArgument, missingArgument, type TopError } from '../../platform/top/top-request.js';

/** What a method's business answer says in `result`, beside `is_success`. */
export interface TopResult {
  code: string;
  message: string;
  is_success: boolean;
}

export const TOP_RESULT_OK: TopResult = { code: '200', message: '成功', is_success: true };

/**
 * How family 3 says each domain outcome. Refusals about the order itself (unknown order, a
 * MODIFY after both parties signed, a store the ISV may not act for) are successful calls whose
 * `result` says no, as the spec's `result {code, message, is_success}` allows; malformed input is
 * TOP's own 40/41 error naming the field; our own trouble is TOP's isp error (15), which clients
 * retry. Every code is in docs/escrow.md.
 */
export const ESCROW_OUTCOME = {
  validation: 'arguments',
  bad_request: 'arguments',
  unauthenticated: {
    error: { code: 11, msg: 'Insufficient isv permissions', sub_code: 'isv.permission-denied' },
  },
  forbidden: { result: '4030' },
  not_found: { result: '4040' },
  illegal_transition: { result: '4090' },
  conflict: { result: '4091' },
  rate_limited: { error: { code: 7, msg: 'App Call Limited', sub_code: 'isv.call-limited' } },
  bad_signature: { error: { code: 25, msg: 'Invalid signature', sub_code: 'isv.invalid-signature' } },
  refused: { result: '4220' },
  unavailable: { error: { code: 15, msg: 'Remote service error', sub_code: 'isp.service-unavailable' } },
} as const satisfies Record<DomainErrorCode, 'arguments' | { result: string } | { error: TopError }>;

/**
 * Malformed `operate_request` as TOP says it: 40 when the first bad field is missing, else 41,
 * the sub_code naming that field's path and sub_msg listing every bad field in Chinese.
 */
export function argumentsError(error: DomainError): TopError {
  const [first] = error.fields;
  if (!first) return invalidArgument('operate_request', error.message);
  const path = `operate_request.${first.field}`;
  const all = error.fields.map((f) => f.error).join('；');
  // FieldReader words every missing required field as "…不能为空".
  const base = first.error.endsWith('不能为空') ? missingArgument(path) : invalidArgument(path);
  return { ...base, sub_msg: all };
}
