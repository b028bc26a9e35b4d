import type { Kysely } from 'kysely';
import type { Dialect } from '../../../database.js';
import { notNull, withIdColumn } from '../../../platform/db/column-types.js';

/** The tenants module's part of step 0004-tenants-and-leases: the tenant and their sessions. */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await withIdColumn(db.schema.createTable('tenants'), dialect, 'id')
    .addColumn('mobile_enc', 'text', notNull)
    .addColumn('mobile_hash', 'text', (c) => c.notNull().unique())
    // Money the platform holds for the tenant (paid bookings), deductible from later payments.
    .addColumn('deposit_held', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', notNull)
    .execute();

  await db.schema
    .createTable('tenant_sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'bigint', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('expires_at', 'bigint', notNull)
    .execute();
}
