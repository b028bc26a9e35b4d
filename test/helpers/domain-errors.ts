import assert from 'node:assert/strict';
import { DomainError, type FieldError } from '../../src/core/domain-error.js';

/** The DomainError `run` throws; fails the test when it throws nothing or something else. */
export function thrownDomainError(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a DomainError, nothing was thrown');
}

/** The DomainError an async `run` rejects with. */
export async function rejectedDomainError(run: () => Promise<unknown>): Promise<DomainError> {
  try {
    await run();
  } catch (error) {
    assert.ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a DomainError, nothing was thrown');
}

/** The field errors of the validation error `run` throws, in the order the reader found them. */
export function validationErrors(run: () => unknown): FieldError[] {
  const error = thrownDomainError(run);
  assert.equal(error.code, 'validation');
  return [...error.fields];
}

/** The one field error `run` throws (asserts there is exactly one). */
export function onlyValidationError(run: () => unknown): FieldError {
  const fields = validationErrors(run);
  assert.equal(fields.length, 1, `expected one field error, got ${JSON.stringify(fields)}`);
  return fields[0]!;
}
