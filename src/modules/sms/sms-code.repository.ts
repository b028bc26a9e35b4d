import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { NewSmsCodeRow, SmsCodeRow } from './sms-code.table.js';

type Db = Kysely<Database>;

/** Codes sent to one phone (`phone_hash`) or from one client address (`ip`) after `since`. */
export async function countSmsCodesSince(
  db: Db,
  column: 'phone_hash' | 'ip',
  value: string,
  since: number,
): Promise<number> {
  const row = await db
    .selectFrom('sms_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(column, '=', value)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertSmsCode(db: Db, row: NewSmsCodeRow): Promise<number> {
  const inserted = await db.insertInto('sms_codes').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** A code whose message never left: it neither counts against the limits nor can be spent. */
export async function deleteSmsCode(db: Db, id: number): Promise<void> {
  await db.deleteFrom('sms_codes').where('id', '=', id).execute();
}

/** The newest code for phone and purpose that is unused, unexpired and has tries left. */
export async function findLiveSmsCode(
  db: Db,
  key: { phoneHash: string; purpose: string },
  now: number,
  maxAttempts: number,
): Promise<SmsCodeRow | undefined> {
  return db
    .selectFrom('sms_codes')
    .selectAll()
    .where('phone_hash', '=', key.phoneHash)
    .where('purpose', '=', key.purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .where('attempts', '<', maxAttempts)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Counts one try of an unused code, in one conditional statement: true only for a try that
 * won the increment while fewer than `maxAttempts` were counted.
 */
export async function incrementSmsCodeAttempts(db: Db, id: number, maxAttempts: number): Promise<boolean> {
  const counted = await db
    .updateTable('sms_codes')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('attempts', '<', maxAttempts)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(counted.numUpdatedRows) === 1;
}

/** Marks the code used unless it already is; false when another spend came first. */
export async function spendSmsCode(db: Db, id: number, now: number): Promise<boolean> {
  const spent = await db
    .updateTable('sms_codes')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(spent.numUpdatedRows) === 1;
}
