import { ApiError } from '../api/client';

/**
 * What a record page shows when it cannot read its record: the server's words for an unknown one
 * (a 404, or a refusal in the envelope), or nothing for a 401 or 403, which the shell already
 * shows in place of the page.
 */
export function missingRecord(error: unknown): string | undefined {
  if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return undefined;
  return error instanceof Error ? error.message : String(error);
}
