import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../../../database.js';
import { notNull, withIdColumn } from '../../../platform/db/column-types.js';

/** Step 0010-escrow: family 3's ISVs, their replay memory and call log, invitations and their parties. */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await withIdColumn(db.schema.createTable('escrow_isvs'), dialect, 'id')
    .addColumn('app_key', 'text', (c) => c.notNull().unique())
    .addColumn('secret_enc', 'text', notNull)
    .addColumn('methods', 'text', notNull)
    .addColumn('store_ids', 'text', notNull)
    .addColumn('callback_url', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', notNull)
    .execute();

  // As partner_signatures (step 0007): a 16-byte digest keyed once, purged by whole days.
  const signatures = db.schema
    .createTable('escrow_signatures')
    .addColumn('digest', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.primaryKey())
    .addColumn('seen_day', 'integer', notNull);
  await (dialect === 'sqlite' ? signatures.modifyEnd(sql`without rowid`) : signatures).execute();
  await db.schema.createIndex('escrow_signatures_day').on('escrow_signatures').column('seen_day').execute();

  await withIdColumn(db.schema.createTable('escrow_call_log'), dialect, 'id')
    .addColumn('app_key', 'text', notNull)
    .addColumn('method', 'text', notNull)
    .addColumn('code', 'text', notNull)
    .addColumn('created_at', 'bigint', notNull)
    .execute();
  await db.schema
    .createIndex('escrow_call_log_time')
    .on('escrow_call_log')
    .columns(['app_key', 'created_at'])
    .execute();

  await withIdColumn(db.schema.createTable('escrow_orders'), dialect, 'id')
    .addColumn('house_order_no', 'text', (c) => c.notNull().unique())
    .addColumn('isv_id', 'bigint', (c) => c.notNull().references('escrow_isvs.id'))
    .addColumn('source', 'text', notNull)
    .addColumn('source_no', 'text', notNull)
    .addColumn('template_id', 'text', notNull)
    .addColumn('service_type', 'text', notNull)
    .addColumn('store_id', 'bigint')
    .addColumn('state', 'text', notNull)
    .addColumn('request_enc', 'text', notNull)
    .addColumn('terms_json', 'text', notNull)
    .addColumn('terms_hash', 'text', notNull)
    .addColumn('create_hash', 'text', notNull)
    .addColumn('sign_over_time_hour', 'integer', notNull)
    .addColumn('deadline_at', 'bigint', notNull)
    .addColumn('version', 'integer', notNull)
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('updated_at', 'bigint', notNull)
    // One invitation per case of an ISV: a retried or concurrent CREATE finds the first.
    .addUniqueConstraint('escrow_orders_case', ['isv_id', 'source', 'source_no'])
    .execute();
  await db.schema
    .createIndex('escrow_orders_due')
    .on('escrow_orders')
    .columns(['state', 'deadline_at'])
    .execute();

  await withIdColumn(db.schema.createTable('escrow_parties'), dialect, 'id')
    .addColumn('order_id', 'bigint', (c) => c.notNull().references('escrow_orders.id'))
    .addColumn('role', 'text', notNull)
    .addColumn('seq', 'integer', notNull)
    .addColumn('name', 'text', notNull)
    .addColumn('cert_type', 'integer', notNull)
    .addColumn('id_card_enc', 'text', notNull)
    .addColumn('id_card_hash', 'text', notNull)
    .addColumn('id_card_masked', 'text', notNull)
    .addColumn('phone_enc', 'text', notNull)
    .addColumn('phone_hash', 'text', notNull)
    .addColumn('phone_masked', 'text', notNull)
    .addColumn('out_id', 'text', notNull)
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('token_enc', 'text', notNull)
    .addColumn('accepted_at', 'bigint')
    .addColumn('declined_at', 'bigint')
    .addColumn('decision_ip', 'text')
    .addColumn('decision_terms_hash', 'text')
    .addColumn('decline_reason', 'text')
    .addColumn('created_at', 'bigint', notNull)
    .execute();
  await db.schema
    .createIndex('escrow_parties_order')
    .on('escrow_parties')
    .columns(['order_id', 'role', 'seq'])
    .execute();
}
