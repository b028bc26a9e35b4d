import { type Kysely, SqliteAdapter, sql } from 'kysely';

/** Works one shared transaction takes at most, so that no caller waits behind a long queue. */
const MAX_BATCH = 64;

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export type GroupCommit<DB> = <T>(work: (trx: Kysely<DB>) => Promise<T>) => Promise<T>;

/**
 * Runs units of work as transactions, and on SQLite lets the units that arrive together share one
 * commit. SQLite has one writer and, under `synchronous = FULL`, one log sync per commit, taken on
 * the server's only thread: commits, not work, bound how many writes a second it makes. So the
 * works queued while the thread was busy run one after another in one transaction, each inside
 * its own savepoint — a work that throws is rolled back to its savepoint alone, and its caller
 * gets the error — and each caller's promise settles only after the shared COMMIT, so a caller
 * told "done" is as durable as with a transaction of its own. If the COMMIT itself fails, or a
 * work's error ends the whole transaction, every work of the batch fails with that error. On
 * PostgreSQL, where transactions run side by side on their own connections and the server groups
 * commits itself, each work is simply its own transaction.
 */
export function groupCommit<DB>(db: Kysely<DB>): GroupCommit<DB> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return (work) => db.transaction().execute(work);
  const queue: Array<{ work: (trx: Kysely<DB>) => Promise<unknown>; settle: (outcome: Outcome) => void }> =
    [];
  let scheduled = false;
  const runBatch = async () => {
    const batch = queue.splice(0, MAX_BATCH);
    if (queue.length > 0) setImmediate(runBatch);
    else scheduled = false;
    const outcomes: Outcome[] = [];
    try {
      await db.transaction().execute(async (trx) => {
        for (const [i, entry] of batch.entries()) {
          const name = sql.id(`group_commit_${i}`);
          await sql`savepoint ${name}`.execute(trx);
          try {
            outcomes.push({ ok: true, value: await entry.work(trx) });
            await sql`release savepoint ${name}`.execute(trx);
          } catch (error) {
            try {
              await sql`rollback to savepoint ${name}`.execute(trx);
              await sql`release savepoint ${name}`.execute(trx);
            } catch {
              // SQLite ended the whole transaction itself (disk full, I/O error): the savepoint is
              // gone with it, and the work's error is what failed the batch.
              throw error;
            }
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const entry of batch) entry.settle({ ok: false, error });
      return;
    }
    for (const [i, entry] of batch.entries()) entry.settle(outcomes[i]!);
  };
  return <T>(work: (trx: Kysely<DB>) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({
        work,
        settle: (outcome) => (outcome.ok ? resolve(outcome.value as T) : reject(outcome.error)),
      });
      if (!scheduled) {
        scheduled = true;
        setImmediate(runBatch);
      }
    });
}
