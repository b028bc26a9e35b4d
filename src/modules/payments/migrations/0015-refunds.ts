import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../../../database.js';
import { notNull, withIdColumn } from '../../../platform/db/column-types.js';

/**
 * The payments module's step 0015-refunds: one row per refund asked of WeChat, against the
 * payment whose money it returns. `out_refund_no` is unique (WeChat's idempotency key: a retry
 * sends the same one); the amount is positive fen; the status moves requested → succeeded |
 * failed once. That the refunds of a payment never add up to more than it collected is kept by
 * the conditional insert of refund.repository.ts under the payment's row lock (a sum cannot be a
 * CHECK); the index below makes that sum one index range.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await withIdColumn(db.schema.createTable('refunds'), dialect, 'id')
    .addColumn('out_refund_no', 'text', (c) => c.notNull().unique())
    .addColumn('payment_id', 'bigint', (c) => c.notNull().references('payments.id'))
    .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('requested', 'succeeded', 'failed')`),
    )
    .addColumn('reason', 'text', notNull)
    .addColumn('refund_id', 'text')
    .addColumn('failure_reason', 'text')
    .addColumn('sent_at', 'bigint')
    .addColumn('settled_at', 'bigint')
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('updated_at', 'bigint', notNull)
    .execute();
  await db.schema.createIndex('refunds_by_payment').on('refunds').columns(['payment_id', 'status']).execute();
  await db.schema.createIndex('refunds_open').on('refunds').columns(['status', 'updated_at']).execute();
}
