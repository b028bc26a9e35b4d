import type { Kysely } from 'kysely';
import { notNull, withIdColumn } from '../column-types.js';
import type { Dialect } from '../database.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await withIdColumn(db.schema.createTable('partners'), dialect, 'id')
    .addColumn('ua', 'text', (c) => c.notNull().unique())
    .addColumn('signkey_enc', 'text', notNull)
    // Comma-separated calls the partner may make, or * for all.
    .addColumn('calls', 'text', notNull)
    .addColumn('callback_url', 'text')
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', notNull)
    .execute();

  // A (ua, sign) pair is accepted once: the primary key refuses a replay atomically.
  await db.schema
    .createTable('partner_seen_signs')
    .addColumn('ua', 'text', notNull)
    .addColumn('sign', 'text', notNull)
    .addColumn('seen_at', 'bigint', notNull)
    .addPrimaryKeyConstraint('partner_seen_signs_pk', ['ua', 'sign'])
    .execute();
  await db.schema.createIndex('partner_seen_signs_time').on('partner_seen_signs').column('seen_at').execute();

  await withIdColumn(db.schema.createTable('partner_call_log'), dialect, 'id')
    .addColumn('ua', 'text', notNull)
    .addColumn('call', 'text', notNull)
    .addColumn('status', 'integer', notNull)
    .addColumn('result', 'text')
    .addColumn('message', 'text', notNull)
    .addColumn('created_at', 'bigint', notNull)
    .execute();
  await db.schema
    .createIndex('partner_call_log_time')
    .on('partner_call_log')
    .columns(['ua', 'created_at'])
    .execute();
}
