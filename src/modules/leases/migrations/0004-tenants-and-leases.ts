import type { Kysely } from 'kysely';
import type { Dialect } from '../../../database.js';
import { notNull, withIdColumn } from '../../../platform/db/column-types.js';

/**
 * The leases module's part of step 0004-tenants-and-leases: the rental catalogue (stores, agents,
 * pay modes, entrusts, rooms), the leases and their installments. It runs after the tenants part,
 * whose table a lease references.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await withIdColumn(db.schema.createTable('rental_stores'), dialect, 'id')
    .addColumn('title', 'text', notNull)
    .addColumn('manager_name', 'text', notNull)
    .addColumn('manager_phone', 'text', notNull)
    .execute();

  await withIdColumn(db.schema.createTable('rental_agents'), dialect, 'id')
    .addColumn('store_id', 'bigint', (c) => c.notNull().references('rental_stores.id'))
    .addColumn('name', 'text', notNull)
    .addColumn('phone', 'text', notNull)
    .execute();

  await withIdColumn(db.schema.createTable('pay_modes'), dialect, 'id')
    .addColumn('name', 'text', notNull)
    // The spec's flag: 0 全付 (every month at once), 1 不全付 (rent_months at a time).
    .addColumn('is_all_pay', 'integer', notNull)
    .addColumn('rent_months', 'integer', notNull)
    .addColumn('bet_months', 'integer', notNull)
    .execute();

  await withIdColumn(db.schema.createTable('entrusts'), dialect, 'id')
    .addColumn('h_address', 'text', notNull)
    .addColumn('community', 'text', notNull)
    .addColumn('h_floor', 'text', notNull)
    .addColumn('unit', 'text', notNull)
    .addColumn('is_settle', 'integer', notNull)
    .addColumn('water', 'text', notNull)
    .addColumn('electric', 'text', notNull)
    .addColumn('gas', 'text', notNull)
    .addColumn('s_phone', 'text', notNull)
    // The spec's facility object as stored JSON: what the owner entrusted, shown back verbatim.
    .addColumn('facility', 'text', notNull)
    .addColumn('other', 'text', notNull)
    .addColumn('agent_id', 'bigint', (c) => c.notNull().references('rental_agents.id'))
    .addColumn('pay_mode_id', 'bigint', (c) => c.notNull().references('pay_modes.id'))
    .addColumn('monthly_rent', 'bigint', notNull)
    .addColumn('booking_fee', 'bigint', notNull)
    .execute();

  await withIdColumn(db.schema.createTable('rooms'), dialect, 'id')
    .addColumn('entrust_id', 'bigint', (c) => c.notNull().references('entrusts.id'))
    .addColumn('name', 'text', notNull)
    .addColumn('monthly_rent', 'bigint', notNull)
    .execute();

  await withIdColumn(db.schema.createTable('leases'), dialect, 'id')
    .addColumn('tenant_id', 'bigint', (c) => c.notNull().references('tenants.id'))
    .addColumn('entrust_id', 'bigint', (c) => c.notNull().references('entrusts.id'))
    .addColumn('room_id', 'bigint', (c) => c.references('rooms.id'))
    .addColumn('mode', 'integer', notNull)
    .addColumn('status', 'integer', notNull)
    .addColumn('booked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('t_name', 'text', notNull)
    .addColumn('t_phone_enc', 'text', notNull)
    .addColumn('t_id_card_enc', 'text', notNull)
    .addColumn('t_id_card_hash', 'text', notNull)
    .addColumn('h_address', 'text', notNull)
    .addColumn('r_s_time', 'text', notNull)
    .addColumn('r_e_time', 'text', notNull)
    .addColumn('months', 'integer', notNull)
    .addColumn('monthly_rent', 'bigint', notNull)
    .addColumn('rent_total', 'bigint', notNull)
    .addColumn('deposit_total', 'bigint', notNull)
    .addColumn('details', 'text', notNull)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('updated_at', 'bigint', notNull)
    .execute();
  await db.schema.createIndex('leases_tenant').on('leases').columns(['tenant_id', 'id']).execute();
  await db.schema.createIndex('leases_status').on('leases').columns(['status', 'r_e_time']).execute();

  await withIdColumn(db.schema.createTable('lease_installments'), dialect, 'id')
    .addColumn('lease_id', 'bigint', (c) => c.notNull().references('leases.id'))
    .addColumn('seq', 'integer', notNull)
    .addColumn('rent_part', 'bigint', notNull)
    .addColumn('deposit_part', 'bigint', notNull)
    .addColumn('amount', 'bigint', notNull)
    .addColumn('due_date', 'text', notNull)
    .addColumn('status', 'integer', notNull)
    // Held deposit set aside for the payment in flight; given back if that payment fails.
    .addColumn('deposit_reserved', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('paid_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('lease_installments_lease')
    .on('lease_installments')
    .columns(['lease_id', 'seq'])
    .execute();
}
