import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../../../database.js';
import { notNull, withIdColumn } from '../../../platform/db/column-types.js';

/**
 * The escrow module's step 0014-escrow-notifications: the outbox of notifications to the ISVs'
 * callback URLs. Its own table rather than the partner outbox (partner_callbacks), whose rows
 * name a family-4 partner (`ua`) and are signed and answered the partner way.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await withIdColumn(db.schema.createTable('escrow_notifications'), dialect, 'id')
    .addColumn('notify_id', 'text', (c) => c.notNull().unique())
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('isv_id', 'bigint', (c) => c.notNull().references('escrow_isvs.id'))
    .addColumn('order_id', 'bigint', (c) => c.notNull().references('escrow_orders.id'))
    .addColumn('house_order_no', 'text', notNull)
    .addColumn('event', 'text', notNull)
    .addColumn('state', 'text', notNull)
    .addColumn('data', 'text', notNull)
    .addColumn('status', 'text', notNull)
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', notNull)
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('delivered_at', 'bigint')
    .addCheckConstraint('escrow_notifications_status', sql`status in ('pending', 'delivered', 'dead')`)
    .execute();
  await db.schema
    .createIndex('escrow_notifications_due')
    .on('escrow_notifications')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('escrow_notifications_order')
    .on('escrow_notifications')
    .columns(['order_id', 'id'])
    .execute();
}
