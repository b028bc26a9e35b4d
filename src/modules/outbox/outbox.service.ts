import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

type Db = Kysely<Database>;

/** Seconds to wait after each failed attempt; after the last, the callback is given up (dead). */
export const RETRY_DELAYS_S = [15, 60, 300, 1800, 7200, 21_600, 43_200, 86_400] as const;

/**
 * Queues a call to a partner inside the caller's transaction, so the call exists exactly when
 * the decision it reports was committed. The dedupe key makes a second queueing of the same
 * decision a no-op: one decision, one callback.
 */
export async function enqueueCallback(
  trx: Db,
  input: { ua: string; call: string; args: Record<string, unknown>; dedupeKey: string; now: number },
): Promise<void> {
  await trx
    .insertInto('partner_callbacks')
    .values({
      ua: input.ua,
      call: input.call,
      args: JSON.stringify(input.args),
      dedupe_key: input.dedupeKey,
      status: 'pending',
      next_attempt_at: input.now,
      last_error: null,
      created_at: input.now,
      delivered_at: null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

export async function listDueCallbacks(db: Db, now: number, limit: number) {
  return db
    .selectFrom('partner_callbacks')
    .selectAll()
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Claims one attempt: only the server whose conditional update sees the callback unchanged
 * sends it, and the claim pushes the next attempt out so a crashed sender is retried later.
 */
export async function claimCallback(
  db: Db,
  callback: { id: number; attempts: number },
  now: number,
  leaseMs: number,
): Promise<boolean> {
  const claimed = await db
    .updateTable('partner_callbacks')
    .set({ attempts: callback.attempts + 1, next_attempt_at: now + leaseMs })
    .where('id', '=', callback.id)
    .where('attempts', '=', callback.attempts)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

export async function markCallbackDelivered(db: Db, id: number, now: number): Promise<void> {
  await db
    .updateTable('partner_callbacks')
    .set({ status: 'delivered', delivered_at: now, last_error: null })
    .where('id', '=', id)
    .execute();
}

export async function markCallbackFailed(
  db: Db,
  callback: { id: number; attempts: number },
  error: string,
  now: number,
): Promise<void> {
  const attemptsMade = callback.attempts + 1;
  const delay = RETRY_DELAYS_S[attemptsMade - 1];
  await db
    .updateTable('partner_callbacks')
    .set(
      delay === undefined
        ? { status: 'dead', last_error: error.slice(0, 500) }
        : { next_attempt_at: now + delay * 1000, last_error: error.slice(0, 500) },
    )
    .where('id', '=', callback.id)
    .execute();
}

export async function listCallbacks(db: Db, status: string | undefined, limit = 100) {
  let query = db.selectFrom('partner_callbacks').selectAll().orderBy('id', 'desc').limit(limit);
  if (status) query = query.where('status', '=', status as 'pending');
  return (await query.execute()).map((row) => ({ ...row, id: Number(row.id) }));
}
