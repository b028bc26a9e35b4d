/**
 * better-sqlite3's SqliteError reaches the parent thread as a bare `{ code }` (structured cloning
 * keeps a plain Error's message, not a subclass's): a worker's failure leaves as its message and
 * code, or as a plain Error naming both.
 */
export function describedSqliteError(error: unknown): { message: string; code?: string } {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? { message, code } : { message };
}

export function plainSqliteError(error: unknown): Error {
  const { message, code } = describedSqliteError(error);
  return new Error(code ? `${code}: ${message}` : message);
}
