import type { Insertable, Kysely } from 'kysely';

/** Rows one statement inserts at most: far below either database's limit on bound parameters. */
const MAX_ROWS = 500;

/**
 * Appends rows to table `T` in shared statements: the rows asked for while the event loop is
 * busy go in as one multi-row INSERT at its next turn, one commit (one log sync) for all of them
 * instead of one each. Each caller's promise settles when its own row is written, so a caller
 * that awaits it knows its row is durable; a failed statement fails every row it carried.
 */
export function groupInsert<DB extends Record<T, object>, T extends string>(db: Kysely<DB>, table: T) {
  type Row = Insertable<DB[T]>;
  const pending: { row: Row; settle: (error?: unknown) => void }[] = [];
  const flush = async () => {
    const batch = pending.splice(0, MAX_ROWS);
    if (pending.length > 0) setImmediate(flush);
    try {
      // Kysely cannot see through the generic table name to its row type.
      await (db as unknown as Kysely<Record<string, Record<string, unknown>>>)
        .insertInto(table)
        .values(batch.map((entry) => entry.row as Record<string, unknown>))
        .execute();
      for (const entry of batch) entry.settle();
    } catch (error) {
      for (const entry of batch) entry.settle(error);
    }
  };
  return (row: Row): Promise<void> =>
    new Promise((resolve, reject) => {
      pending.push({ row, settle: (error) => (error === undefined ? resolve() : reject(error)) });
      if (pending.length === 1) setImmediate(flush);
    });
}
