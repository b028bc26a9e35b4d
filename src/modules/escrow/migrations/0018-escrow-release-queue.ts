import type { Kysely } from 'kysely';
import type { Dialect } from '../../../database.js';

/**
 * The escrow module's step 0018-escrow-release-queue: the checkers' queue lists the release and
 * refund requests of one state across all orders in id order (GET /api/escrow-releases), which
 * the per-order index cannot serve without reading every request.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createIndex('escrow_releases_state')
    .on('escrow_releases')
    .columns(['state', 'id'])
    .execute();
}
