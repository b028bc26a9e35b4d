import type { Generated, Insertable, Kysely, Selectable } from 'kysely';

/** The columns every delivery queue's table has, beside its own message. */
export interface QueueColumns {
  id: Generated<number>;
  /** One change, one message: a second enqueue of the same change is a no-op. */
  dedupe_key: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: Generated<number>;
  next_attempt_at: number;
  last_error: string | null;
  delivered_at: number | null;
}

/** Seconds to wait after each failed attempt; after the last, the message is given up (dead). */
export const RETRY_DELAYS_S = [15, 60, 300, 1800, 7200, 21_600, 43_200, 86_400] as const;

/** How long a claimed message is a server's: a sender that crashed mid-way is retried after it. */
const CLAIM_LEASE_MS = 60_000;
/** Messages one delivery run takes on. */
const BATCH = 50;

/**
 * A durable outbox over table `T`: messages are queued inside the transaction of the change
 * they report, and delivered by a job on any number of servers — each due message is claimed by
 * a conditional UPDATE (only one server sees it unchanged), sent, then marked delivered, retried
 * with a growing delay, or dead after the last try.
 */
export function deliveryQueue<DB extends Record<T, QueueColumns>, T extends string>(table: T) {
  // Typed over the queue's own columns under one fixed name; the SQL names the real table, and
  // the table's message columns belong to its module.
  const q = (db: Kysely<DB>) => db as unknown as Kysely<{ queue: QueueColumns }>;
  const name = table as unknown as 'queue';
  const markFailed = async (
    db: Kysely<DB>,
    claim: { id: number; attempts: number },
    error: string,
    now: number,
  ) => {
    const delay = RETRY_DELAYS_S[claim.attempts];
    const lastError = error.slice(0, 500);
    await q(db)
      .updateTable(name)
      .set(
        delay === undefined
          ? { status: 'dead', last_error: lastError }
          : { next_attempt_at: now + delay * 1000, last_error: lastError },
      )
      .where('id', '=', claim.id)
      .execute();
  };
  return {
    /** Queues `row` in the caller's transaction unless its dedupe key is already queued. */
    async enqueueOnce(trx: Kysely<DB>, row: Insertable<DB[T]>): Promise<void> {
      await q(trx)
        .insertInto(name)
        .values(row as Insertable<QueueColumns>)
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .execute();
    },

    /**
     * Delivers the due messages: `send` answers nothing when the receiver took the message, or
     * why it did not (a throw counts as that too). Answers how many were delivered.
     */
    async deliverDue(
      db: Kysely<DB>,
      now: number,
      send: (row: Selectable<DB[T]>) => Promise<string | undefined>,
    ): Promise<number> {
      const due = await q(db)
        .selectFrom(name)
        .selectAll()
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .orderBy('id')
        .limit(BATCH)
        .execute();
      let delivered = 0;
      for (const row of due) {
        const claim = { id: Number(row.id), attempts: Number(row.attempts) };
        const claimed = await q(db)
          .updateTable(name)
          .set({ attempts: claim.attempts + 1, next_attempt_at: now + CLAIM_LEASE_MS })
          .where('id', '=', claim.id)
          .where('attempts', '=', claim.attempts)
          .where('status', '=', 'pending')
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1) continue;
        let failure: string | undefined;
        try {
          failure = await send(row as Selectable<DB[T]>);
        } catch (error) {
          failure = error instanceof Error ? error.message : String(error);
        }
        if (failure !== undefined) {
          await markFailed(db, claim, failure, now);
          continue;
        }
        await q(db)
          .updateTable(name)
          .set({ status: 'delivered', delivered_at: now, last_error: null })
          .where('id', '=', claim.id)
          .execute();
        delivered += 1;
      }
      return delivered;
    },

    /** The newest messages, optionally in one status, older than `beforeId` when given (the admin's list and export). */
    async list(db: Kysely<DB>, status: QueueColumns['status'] | undefined, limit: number, beforeId?: number) {
      let query = q(db).selectFrom(name).selectAll().orderBy('id', 'desc').limit(limit);
      if (status) query = query.where('status', '=', status);
      if (beforeId !== undefined) query = query.where('id', '<', beforeId);
      return (await query.execute()) as Selectable<DB[T]>[];
    },

    async find(db: Kysely<DB>, id: number) {
      return (await q(db).selectFrom(name).selectAll().where('id', '=', id).executeTakeFirst()) as
        | Selectable<DB[T]>
        | undefined;
    },

    /**
     * Makes a message due now again (an admin retrying after the receiver was fixed): one
     * conditional UPDATE on the state the caller saw, so a delivery, a claim or another retry in
     * between wins and this answers false. A dead message comes back with its attempts: if this
     * try fails too it is dead again, not given the whole schedule anew.
     */
    async retryNow(
      db: Kysely<DB>,
      seen: { id: number; status: QueueColumns['status']; attempts: number },
      now: number,
    ): Promise<boolean> {
      const result = await q(db)
        .updateTable(name)
        .set({ status: 'pending', next_attempt_at: now })
        .where('id', '=', seen.id)
        .where('status', '=', seen.status)
        .where('attempts', '=', seen.attempts)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}
