import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { EscrowNotifyStatus, NewEscrowNotificationRow } from './escrow-notifications.table.js';

type Db = Kysely<Database>;

/** The ISV's callback URL (null when it has none, or no such ISV). */
export async function findIsvCallbackUrl(trx: Db, isvId: number): Promise<string | null> {
  const row = await trx
    .selectFrom('escrow_isvs')
    .select('callback_url')
    .where('id', '=', isvId)
    .executeTakeFirst();
  return row?.callback_url ?? null;
}

/** The ISV a notification goes to, with its sealed secret, while it is active. */
export async function findNotifiedIsv(db: Db, isvId: number) {
  return db
    .selectFrom('escrow_isvs')
    .select(['app_key', 'secret_enc', 'callback_url'])
    .where('id', '=', isvId)
    .where('active', '=', 1)
    .executeTakeFirst();
}

/** Inserts the notification unless one with its dedupe key is already queued. */
export async function insertNotificationOnce(trx: Db, row: NewEscrowNotificationRow): Promise<void> {
  await trx
    .insertInto('escrow_notifications')
    .values(row)
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

export async function listDueNotifications(db: Db, now: number, limit: number) {
  return db
    .selectFrom('escrow_notifications')
    .selectAll()
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Claims one attempt: only the server whose conditional update sees the row unchanged sends
 * it, and the claim pushes the next attempt out by the lease, so a sender that crashed mid-way
 * is retried once the lease ends.
 */
export async function claimNotification(
  db: Db,
  row: { id: number; attempts: number },
  now: number,
  leaseMs: number,
): Promise<boolean> {
  const claimed = await db
    .updateTable('escrow_notifications')
    .set({ attempts: row.attempts + 1, next_attempt_at: now + leaseMs })
    .where('id', '=', row.id)
    .where('attempts', '=', row.attempts)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

export async function markNotificationDelivered(db: Db, id: number, now: number): Promise<void> {
  await db
    .updateTable('escrow_notifications')
    .set({ status: 'delivered', delivered_at: now, last_error: null })
    .where('id', '=', id)
    .execute();
}

export async function scheduleNotificationRetry(
  db: Db,
  id: number,
  nextAttemptAt: number,
  lastError: string,
): Promise<void> {
  await db
    .updateTable('escrow_notifications')
    .set({ next_attempt_at: nextAttemptAt, last_error: lastError })
    .where('id', '=', id)
    .execute();
}

export async function markNotificationDead(db: Db, id: number, lastError: string): Promise<void> {
  await db
    .updateTable('escrow_notifications')
    .set({ status: 'dead', last_error: lastError })
    .where('id', '=', id)
    .execute();
}

export async function listNotifications(db: Db, status: EscrowNotifyStatus | undefined, limit: number) {
  let query = db.selectFrom('escrow_notifications').selectAll().orderBy('id', 'desc').limit(limit);
  if (status) query = query.where('status', '=', status);
  return query.execute();
}
