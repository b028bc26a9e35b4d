import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { NewSmsMessageRow, SmsMessageStatus } from './sms-message.table.js';

type Db = Kysely<Database>;

export async function insertSmsMessage(db: Db, row: NewSmsMessageRow): Promise<number> {
  const inserted = await db.insertInto('sms_messages').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** What the provider answered to the send: taken (with its id) or refused (with its code). */
export async function recordSmsOutcome(
  db: Db,
  id: number,
  outcome: {
    status: 'sent' | 'failed';
    providerId?: string | null;
    requestId?: string | null;
    errorCode?: string | null;
    errorMessage?: string | null;
  },
  now: number,
): Promise<void> {
  await db
    .updateTable('sms_messages')
    .set({
      status: outcome.status,
      provider_id: outcome.providerId ?? null,
      request_id: outcome.requestId ?? null,
      error_code: outcome.errorCode ?? null,
      error_message: outcome.errorMessage ?? null,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute();
}

/**
 * A carrier's report on a message the provider took. A receipt for a message already reported
 * changes nothing, so a provider pushing the same report twice is harmless; answers whether a
 * message was updated.
 */
export async function recordSmsReceipt(
  db: Db,
  receipt: {
    provider: string;
    providerId: string;
    delivered: boolean;
    code: string | null;
    message: string | null;
  },
  now: number,
): Promise<boolean> {
  const status: SmsMessageStatus = receipt.delivered ? 'delivered' : 'undelivered';
  const updated = await db
    .updateTable('sms_messages')
    .set({
      status,
      error_code: receipt.delivered ? null : receipt.code,
      error_message: receipt.delivered ? null : receipt.message,
      updated_at: now,
    })
    .where('provider', '=', receipt.provider)
    .where('provider_id', '=', receipt.providerId)
    .where('status', '=', 'sent')
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

/**
 * The newest messages, optionally only those in `statuses`, newest first; older than `beforeId`
 * when given (the next page of the list, or of its export: a keyset, so a deep page costs what
 * the first does).
 */
export async function listSmsMessages(
  db: Db,
  statuses: readonly SmsMessageStatus[] | undefined,
  limit: number,
  beforeId?: number,
) {
  let query = db
    .selectFrom('sms_messages')
    .select([
      'id',
      'purpose',
      'phone_masked',
      'provider',
      'template_id',
      'provider_id',
      'status',
      'error_code',
      'error_message',
      'created_at',
      'updated_at',
    ])
    .orderBy('id', 'desc')
    .limit(limit);
  if (statuses?.length) query = query.where('status', 'in', statuses);
  if (beforeId !== undefined) query = query.where('id', '<', beforeId);
  return (await query.execute()).map((row) => ({ ...row, id: Number(row.id) }));
}
