import type { Kysely } from 'kysely';
import { notNull } from '../../db/column-types.js';

/**
 * The limits' part of step 0008-money-and-limits: one row per rate-limited key that concurrent
 * requests queue on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('limit_keys')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('touched_at', 'bigint', notNull)
    .execute();
  await db.schema.createIndex('limit_keys_touched').on('limit_keys').column('touched_at').execute();
}
