import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../../../database.js';
import { notNull, withIdColumn } from '../../../platform/db/column-types.js';

/** The payments module's part of step 0003-payments: one row per WeChat payment of anything. */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await withIdColumn(db.schema.createTable('payments'), dialect, 'id')
    .addColumn('out_trade_no', 'text', (c) => c.notNull().unique())
    // What the payment is for, e.g. lease_installment / booking; subject_id names the record.
    .addColumn('purpose', 'text', notNull)
    .addColumn('subject_id', 'text', notNull)
    .addColumn('payer', 'text', notNull)
    .addColumn('amount', 'bigint', notNull)
    .addColumn('channel', 'text', notNull)
    .addColumn('status', 'text', notNull)
    .addColumn('prepay_id', 'text')
    .addColumn('transaction_id', 'text')
    .addColumn('failure_reason', 'text')
    .addColumn('expires_at', 'bigint', notNull)
    .addColumn('paid_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('updated_at', 'bigint', notNull)
    .execute();
  await db.schema.createIndex('payments_subject').on('payments').columns(['purpose', 'subject_id']).execute();
  await db.schema.createIndex('payments_pending').on('payments').columns(['status', 'created_at']).execute();
  // At most one live (created) payment per thing paid for: concurrent pays of one installment
  // cannot both open a payment.
  await db.schema
    .createIndex('payments_one_open')
    .on('payments')
    .columns(['purpose', 'subject_id'])
    .unique()
    .where(sql.ref('status'), '=', 'created')
    .execute();
}
