import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../../../database.js';
import { notNull, withIdColumn } from '../../../platform/db/column-types.js';

/**
 * The escrow module's step 0013-escrow-funds: release and refund requests (maker-checker) and
 * the payouts that carry them out. The rules the database can hold are CHECKs of the new tables:
 * a kind and a state from their lists, positive amounts, a decision only with a decider who is
 * not the requester, and one payout per approved request (a unique release_id).
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await withIdColumn(db.schema.createTable('escrow_releases'), dialect, 'id')
    .addColumn('order_id', 'bigint', (c) => c.notNull().references('escrow_orders.id'))
    .addColumn('kind', 'text', notNull)
    .addColumn('amount', 'bigint', notNull)
    .addColumn('fee', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('reason', 'text', notNull)
    .addColumn('state', 'text', notNull)
    .addColumn('payee_name', 'text', notNull)
    .addColumn('payee_card_enc', 'text', notNull)
    .addColumn('payee_card_masked', 'text', notNull)
    .addColumn('payee_bank', 'text', notNull)
    .addColumn('requested_by', 'bigint', notNull)
    .addColumn('requested_by_name', 'text', notNull)
    .addColumn('decided_by', 'bigint')
    .addColumn('decided_by_name', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('decision_reason', 'text')
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('updated_at', 'bigint', notNull)
    .addCheckConstraint('escrow_releases_kind', sql`kind in ('release', 'refund')`)
    .addCheckConstraint('escrow_releases_state', sql`state in ('requested', 'approved', 'rejected')`)
    .addCheckConstraint('escrow_releases_amounts', sql`amount > 0 and fee >= 0 and fee <= amount`)
    .addCheckConstraint('escrow_releases_refund_no_fee', sql`kind = 'release' or fee = 0`)
    // Maker-checker: a decision has a decider, and the decider is never the requester.
    .addCheckConstraint(
      'escrow_releases_four_eyes',
      sql`(state = 'requested' and decided_by is null and decided_at is null)
        or (state <> 'requested' and decided_by is not null and decided_at is not null
            and decided_by <> requested_by)`,
    )
    .execute();
  await db.schema
    .createIndex('escrow_releases_order')
    .on('escrow_releases')
    .columns(['order_id', 'id'])
    .execute();

  await withIdColumn(db.schema.createTable('escrow_payouts'), dialect, 'id')
    .addColumn('payout_no', 'text', (c) => c.notNull().unique())
    .addColumn('release_id', 'bigint', (c) => c.notNull().unique().references('escrow_releases.id'))
    .addColumn('order_id', 'bigint', (c) => c.notNull().references('escrow_orders.id'))
    .addColumn('amount', 'bigint', notNull)
    .addColumn('state', 'text', notNull)
    .addColumn('attempts', 'integer', notNull)
    .addColumn('provider_id', 'text')
    .addColumn('failure_code', 'text')
    .addColumn('failure_message', 'text')
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('updated_at', 'bigint', notNull)
    .addCheckConstraint('escrow_payouts_amount', sql`amount > 0 and attempts >= 1`)
    .addCheckConstraint('escrow_payouts_state', sql`state in ('pending', 'paid', 'failed')`)
    .addCheckConstraint('escrow_payouts_paid_has_id', sql`state <> 'paid' or provider_id is not null`)
    .execute();
  await db.schema
    .createIndex('escrow_payouts_order')
    .on('escrow_payouts')
    .columns(['order_id', 'id'])
    .execute();
}
