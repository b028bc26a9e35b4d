import type { Kysely } from 'kysely';
import type { Dialect } from '../../../database.js';

/**
 * The escrow module's step 0016-escrow-payout-claims: a payout being asked of the provider is
 * claimed until `claimed_until` (ms), so a server that died between the approval's commit and
 * the provider's answer leaves a claim that runs out, and the job escrow.resume-payouts asks the
 * provider again — one server at a time, by a conditional UPDATE of this column. Rows made
 * before it count as unclaimed (0), so a payout left pending by an older version is resumed too.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable('escrow_payouts')
    .addColumn('claimed_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('escrow_payouts_pending')
    .on('escrow_payouts')
    .columns(['state', 'claimed_until'])
    .execute();
}
