import type { Kysely, Transaction } from 'kysely';
import { tablesOf } from '../db/tables-of.js';
import type { LimitKeyTable } from './limit-key.table.js';

export interface LimitTables {
  limit_keys: LimitKeyTable;
}

const limitTables = tablesOf<LimitTables>();

/**
 * Holds `key` until the caller's transaction ends, so a limit's count-then-record is one step:
 * the upsert takes the key's row lock on PostgreSQL, and a second transaction on the same key
 * waits for the first to commit before it counts. (SQLite runs one transaction at a time.)
 * Callers that lock several keys lock them in one fixed order.
 */
export async function lockKey<DB extends LimitTables>(
  trx: Kysely<DB> | Transaction<DB>,
  key: string,
  now: number,
): Promise<void> {
  await limitTables(trx)
    .insertInto('limit_keys')
    .values({ key, touched_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ touched_at: now }))
    .execute();
}

/** Keys nobody used for a day hold no window open any more. */
export async function forgetIdleKeys<DB extends LimitTables>(db: Kysely<DB>, now: number): Promise<number> {
  const result = await limitTables(db)
    .deleteFrom('limit_keys')
    .where('touched_at', '<', now - 86_400_000)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
