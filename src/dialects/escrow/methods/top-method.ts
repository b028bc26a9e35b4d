import { isRawInput, type RawInput } from '../../../core/field-reader.js';
import type { EscrowIsv, IsvSignature } from '../../../modules/escrow/index.js';
import type { TopError } from '../../../platform/top/top-request.js';
import type { TopObject } from '../../../platform/top/top-response.js';
import type { DialectContext } from '../../shared/dialect-context.js';

export type MethodInput = { ok: true; input: RawInput } | { ok: false; error: TopError };

/** One TOP method of family 3: its name, how it reads its business parameters, and its answer's `data`. */
export interface TopMethod {
  readonly name: string;
  /** The method's business input from the request's parameters, or the TOP error naming what is wrong. */
  input(params: Readonly<Record<string, string>>): MethodInput;
  /**
   * Answers the method's `data`, spending the request's signature exactly once: inside the
   * transaction of what the method writes, or before a read.
   */
  run(
    ctx: DialectContext,
    isv: EscrowIsv,
    input: RawInput,
    now: number,
    signature: IsvSignature,
  ): Promise<TopObject>;
}

/** Parses a JSON-object business parameter (TOP sends complex parameters as JSON strings). */
export function jsonParameter(
  params: Readonly<Record<string, string>>,
  name: string,
  missing: (name: string) => TopError,
  invalid: (name: string, subMsg?: string) => TopError,
): MethodInput {
  const text = params[name];
  if (text === undefined) return { ok: false, error: missing(name) };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  return isRawInput(value)
    ? { ok: true, input: value }
    : { ok: false, error: invalid(name, `${name}须为JSON对象`) };
}
