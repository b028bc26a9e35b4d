import type { Kysely } from 'kysely';
import type { Dialect } from '../../../database.js';
import { notNull, withIdColumn } from '../../../platform/db/column-types.js';

/** The SMS module's part of step 0004-tenants-and-leases: the hashed one-time codes and their rate limits. */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await withIdColumn(db.schema.createTable('sms_codes'), dialect, 'id')
    .addColumn('phone_hash', 'text', notNull)
    .addColumn('purpose', 'text', notNull)
    .addColumn('code_hash', 'text', notNull)
    .addColumn('ip', 'text', notNull)
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'bigint', notNull)
    .addColumn('used_at', 'bigint')
    .addColumn('created_at', 'bigint', notNull)
    .execute();
  await db.schema
    .createIndex('sms_codes_phone')
    .on('sms_codes')
    .columns(['phone_hash', 'created_at'])
    .execute();
  await db.schema.createIndex('sms_codes_ip').on('sms_codes').columns(['ip', 'created_at']).execute();
}
