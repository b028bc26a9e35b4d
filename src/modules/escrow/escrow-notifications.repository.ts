import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { deliveryQueue } from '../../platform/outbox/delivery-queue.js';

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

/** The notifications to the ISVs, queued and delivered by the shared outbox mechanism. */
export const escrowNotifications = deliveryQueue<Database, 'escrow_notifications'>('escrow_notifications');
