import type { TSchema } from '@sinclair/typebox';
import type { RawInput } from '../../../core/field-reader.js';
import type { DialectContext } from '../../shared/dialect-context.js';

/**
 * One marketplace call, in its own file named after the spec's call name: the literal name,
 * its args and response described for the OpenAPI document, and its handler. The gateway
 * parses and checks `args` itself (a JSON object); the handler reads its fields.
 */
export interface PartnerCall {
  readonly name: string;
  readonly summary: string;
  /** Documentation only: the JSON object `args` holds. */
  readonly args: TSchema;
  /** Documentation only: the call's `response` on success. */
  readonly response: TSchema;
  handle(args: RawInput, ctx: DialectContext, ua: string): Promise<unknown>;
}
