import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../../../database.js';
import { notNull, withIdColumn } from '../../../platform/db/column-types.js';

/**
 * Step 0017-parking: family 5 (停车场月租), every table at once — parks with their org tree and
 * extra-info slots, products and their priced versions, the parking users (phone sealed), the
 * WeChat openIds bound to them and their sessions, plates, monthly cards, orders and the files
 * an order carries. Ids are 32-hex text (pmParkId as the park gives it); times are epoch ms.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('parking_parks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', notNull)
    .addColumn('created_at', 'bigint', notNull)
    .execute();

  await db.schema
    .createTable('parking_orgs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('park_id', 'text', (c) => c.notNull().references('parking_parks.id'))
    .addColumn('name', 'text', notNull)
    .addColumn('org_code', 'text', notNull)
    .addColumn('level_code', 'text', notNull)
    .addColumn('parent_level_code', 'text')
    .addColumn('level', 'integer', notNull)
    .addColumn('is_leaf', 'integer', notNull)
    .addColumn('is_used', 'integer', notNull)
    .addColumn('seq', 'integer', notNull)
    .addUniqueConstraint('parking_orgs_level_code', ['park_id', 'level_code'])
    .execute();
  await db.schema
    .createIndex('parking_orgs_parent')
    .on('parking_orgs')
    .columns(['park_id', 'parent_level_code', 'seq'])
    .execute();

  await db.schema
    .createTable('parking_extras')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('park_id', 'text', (c) => c.notNull().references('parking_parks.id'))
    .addColumn('name', 'text', notNull)
    .addColumn('code', 'text', notNull)
    .addColumn('type', 'text', notNull)
    .addColumn('seq', 'integer', notNull)
    .addColumn('required', 'integer', notNull)
    .addUniqueConstraint('parking_extras_code', ['park_id', 'code'])
    .execute();

  await db.schema
    .createTable('parking_products')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('park_id', 'text', (c) => c.notNull().references('parking_parks.id'))
    .addColumn('name', 'text', notNull)
    .addColumn('unit_type', 'text', notNull)
    .addColumn('unit_count', 'integer', notNull)
    .addColumn('rent_type', 'text', notNull)
    .addColumn('card_type', 'text', notNull)
    .addColumn('audit_before_pay', 'integer', notNull)
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', notNull)
    .execute();
  await db.schema.createIndex('parking_products_park').on('parking_products').column('park_id').execute();

  await db.schema
    .createTable('parking_product_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('product_id', 'text', (c) => c.notNull().references('parking_products.id'))
    .addColumn('inside_price_fen', 'integer', notNull)
    .addColumn('outside_price_fen', 'integer', notNull)
    .addColumn('created_at', 'bigint', notNull)
    .execute();
  await db.schema
    .createIndex('parking_product_versions_product')
    .on('parking_product_versions')
    .columns(['product_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('parking_users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('park_id', 'text', (c) => c.notNull().references('parking_parks.id'))
    .addColumn('name', 'text', notNull)
    .addColumn('phone_enc', 'text', notNull)
    .addColumn('phone_hash', 'text', notNull)
    .addColumn('phone_masked', 'text', notNull)
    .addColumn('code', 'text')
    .addColumn('duplicate_code', 'text')
    .addColumn('department', 'text')
    .addColumn('first_org_name', 'text')
    .addColumn('first_org_code', 'text')
    .addColumn('second_org_name', 'text')
    .addColumn('second_org_code', 'text')
    .addColumn('address', 'text')
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('updated_at', 'bigint', notNull)
    .addUniqueConstraint('parking_users_phone', ['park_id', 'phone_hash'])
    .execute();

  await db.schema
    .createTable('parking_openids')
    .addColumn('open_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().unique().references('parking_users.id'))
    .addColumn('bound_at', 'bigint', notNull)
    .execute();

  await db.schema
    .createTable('parking_sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('open_id', 'text', notNull)
    .addColumn('expires_at', 'bigint', notNull)
    .addColumn('created_at', 'bigint', notNull)
    .execute();
  await db.schema
    .createIndex('parking_sessions_expiry')
    .on('parking_sessions')
    .column('expires_at')
    .execute();

  await withIdColumn(db.schema.createTable('parking_plates'), dialect, 'id')
    .addColumn('park_id', 'text', (c) => c.notNull().references('parking_parks.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('parking_users.id'))
    .addColumn('car_num', 'text', notNull)
    .addColumn('channel', 'text', notNull)
    .addColumn('created_at', 'bigint', notNull)
    .addUniqueConstraint('parking_plates_car_num', ['park_id', 'car_num'])
    .execute();
  await db.schema.createIndex('parking_plates_user').on('parking_plates').column('user_id').execute();

  await db.schema
    .createTable('parking_cards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('park_id', 'text', (c) => c.notNull().references('parking_parks.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('parking_users.id'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('parking_products.id'))
    .addColumn('product_v_id', 'text', (c) => c.notNull().references('parking_product_versions.id'))
    .addColumn('card_type', 'text', notNull)
    .addColumn('state', 'integer', notNull)
    .addColumn('start_dt', 'bigint')
    .addColumn('end_dt', 'bigint')
    .addColumn('renew_end_dt', 'bigint')
    .addColumn('last_order_id', 'text')
    .addColumn('remark', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('updated_at', 'bigint', notNull)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reminded_end_dt', 'bigint')
    .execute();
  await db.schema
    .createIndex('parking_cards_user')
    .on('parking_cards')
    .columns(['user_id', 'created_at'])
    .execute();
  await db.schema.createIndex('parking_cards_end').on('parking_cards').columns(['state', 'end_dt']).execute();

  await db.schema
    .createTable('parking_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('park_id', 'text', (c) => c.notNull().references('parking_parks.id'))
    .addColumn('card_id', 'text', (c) => c.notNull().references('parking_cards.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('parking_users.id'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('parking_products.id'))
    .addColumn('product_v_id', 'text', (c) => c.notNull().references('parking_product_versions.id'))
    .addColumn('product_name', 'text', notNull)
    .addColumn('price_type', 'text', notNull)
    .addColumn('unit_type', 'text', notNull)
    .addColumn('count', 'integer', notNull)
    .addColumn('amount_fen', 'integer', notNull)
    .addColumn('start_dt', 'bigint', notNull)
    .addColumn('end_dt', 'bigint', notNull)
    .addColumn('order_type', 'integer', notNull)
    .addColumn('state', 'text', notNull)
    .addColumn('is_audit_before_pay', 'integer', notNull)
    .addColumn('audit_state', 'text', notNull)
    .addColumn('audit_reason', 'text')
    .addColumn('audited_by', 'text')
    .addColumn('audited_at', 'bigint')
    .addColumn('extra_info', 'text', notNull)
    .addColumn('first_org_name', 'text')
    .addColumn('first_org_code', 'text')
    .addColumn('second_org_name', 'text')
    .addColumn('second_org_code', 'text')
    .addColumn('user_department', 'text')
    .addColumn('duplicate_code', 'text')
    .addColumn('out_trade_no', 'text')
    .addColumn('pay_suc_dt', 'bigint')
    .addColumn('prev_end_dt', 'bigint')
    .addColumn('expires_at', 'bigint', notNull)
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('updated_at', 'bigint', notNull)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('parking_orders_card')
    .on('parking_orders')
    .columns(['card_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('parking_orders_user')
    .on('parking_orders')
    .columns(['user_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('parking_orders_due')
    .on('parking_orders')
    .columns(['state', 'expires_at'])
    .execute();
  await db.schema
    .createIndex('parking_orders_out_trade_no')
    .on('parking_orders')
    .column('out_trade_no')
    .execute();
  // One open (unpaid) order per card: a second renewal while one is pending cannot be placed.
  await db.schema
    .createIndex('parking_orders_one_open')
    .on('parking_orders')
    .column('card_id')
    .unique()
    .where(sql.ref('state'), '=', '01')
    .execute();

  await withIdColumn(db.schema.createTable('parking_order_files'), dialect, 'id')
    .addColumn('order_id', 'text', (c) => c.notNull().references('parking_orders.id'))
    .addColumn('slot', 'integer', notNull)
    .addColumn('code', 'text', notNull)
    .addColumn('name', 'text', notNull)
    .addColumn('type', 'text', notNull)
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('content_type', 'text', notNull)
    .addColumn('size', 'integer', notNull)
    .addColumn('created_at', 'bigint', notNull)
    .execute();
  await db.schema
    .createIndex('parking_order_files_order')
    .on('parking_order_files')
    .columns(['order_id', 'slot'])
    .execute();
}
