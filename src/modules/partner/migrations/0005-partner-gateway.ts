import type { Kysely } from 'kysely';
import type { Dialect } from '../../../database.js';
import { notNull, withIdColumn } from '../../../platform/db/column-types.js';

/** The partner module's part of step 0005-partner-gateway: partners, replay guard, call log, rules, blacklist, cards. */
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

  // Admin-configurable rules and product of the admission check, one JSON document per key.
  await db.schema
    .createTable('partner_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', notNull)
    .addColumn('updated_at', 'bigint', notNull)
    .execute();

  await withIdColumn(db.schema.createTable('partner_blacklist'), dialect, 'id')
    .addColumn('id_card_hash', 'text', (c) => c.notNull().unique())
    .addColumn('md5_hash', 'text')
    .addColumn('reason', 'text', notNull)
    .addColumn('created_at', 'bigint', notNull)
    .execute();
  await db.schema.createIndex('partner_blacklist_md5').on('partner_blacklist').column('md5_hash').execute();

  // One bound card per person (by ID number), stored encrypted and shown masked.
  await withIdColumn(db.schema.createTable('bank_cards'), dialect, 'id')
    .addColumn('id_card_hash', 'text', (c) => c.notNull().unique())
    .addColumn('card_enc', 'text', notNull)
    .addColumn('card_hash', 'text', notNull)
    .addColumn('card_masked', 'text', notNull)
    .addColumn('bank_code', 'text', notNull)
    .addColumn('card_type', 'integer', notNull)
    .addColumn('phone_enc', 'text', notNull)
    .addColumn('order_sn', 'text')
    .addColumn('created_at', 'bigint', notNull)
    .execute();

  await withIdColumn(db.schema.createTable('bind_failures'), dialect, 'id')
    .addColumn('id_card_hash', 'text', notNull)
    .addColumn('failed_at', 'bigint', notNull)
    .execute();
  await db.schema
    .createIndex('bind_failures_person')
    .on('bind_failures')
    .columns(['id_card_hash', 'failed_at'])
    .execute();
}
