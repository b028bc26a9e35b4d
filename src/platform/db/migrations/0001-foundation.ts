import type { Kysely } from 'kysely';
import { notNull, withIdColumn } from '../column-types.js';
import type { Dialect } from '../database.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await withIdColumn(db.schema.createTable('staff'), dialect, 'id')
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', notNull)
    .addColumn('password_hash', 'text', notNull)
    .addColumn('roles', 'text', notNull)
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', notNull)
    .execute();

  await db.schema
    .createTable('staff_sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('staff_id', 'bigint', (c) => c.notNull().references('staff.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('expires_at', 'bigint', notNull)
    .execute();
  await db.schema.createIndex('staff_sessions_staff').on('staff_sessions').column('staff_id').execute();

  await withIdColumn(db.schema.createTable('staff_login_failures'), dialect, 'id')
    .addColumn('username', 'text', notNull)
    .addColumn('failed_at', 'bigint', notNull)
    .execute();
  await db.schema
    .createIndex('staff_login_failures_user')
    .on('staff_login_failures')
    .columns(['username', 'failed_at'])
    .execute();

  await withIdColumn(db.schema.createTable('audit_log'), dialect, 'id')
    .addColumn('actor', 'text', notNull)
    .addColumn('entity', 'text', notNull)
    .addColumn('entity_id', 'text', notNull)
    .addColumn('action', 'text', notNull)
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text')
    .addColumn('reason', 'text')
    .addColumn('created_at', 'bigint', notNull)
    .execute();
  await db.schema
    .createIndex('audit_log_entity')
    .on('audit_log')
    .columns(['entity', 'entity_id', 'id'])
    .execute();
}
