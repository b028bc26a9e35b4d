import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../../database.js';

type Db = Kysely<Database>;

/** Inserts the callback unless one with its dedupe key is already queued; then nothing changes. */
export async function insertCallbackOnce(
  trx: Db,
  row: Insertable<Database['partner_callbacks']>,
): Promise<void> {
  await trx
    .insertInto('partner_callbacks')
    .values(row)
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

export async function scheduleCallbackRetry(
  db: Db,
  id: number,
  nextAttemptAt: number,
  lastError: string,
): Promise<void> {
  await db
    .updateTable('partner_callbacks')
    .set({ next_attempt_at: nextAttemptAt, last_error: lastError })
    .where('id', '=', id)
    .execute();
}

export async function markCallbackDead(db: Db, id: number, lastError: string): Promise<void> {
  await db
    .updateTable('partner_callbacks')
    .set({ status: 'dead', last_error: lastError })
    .where('id', '=', id)
    .execute();
}

export async function listCallbacks(db: Db, status: string | undefined, limit = 100) {
  let query = db.selectFrom('partner_callbacks').selectAll().orderBy('id', 'desc').limit(limit);
  if (status) query = query.where('status', '=', status as 'pending');
  return (await query.execute()).map((row) => ({ ...row, id: Number(row.id) }));
}
