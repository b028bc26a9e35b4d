import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../../../database.js';
import { notNull, withIdColumn } from '../../../platform/db/column-types.js';

/** Step 0009-sms-messages: a delivery record per text message, found by the provider's id for receipts. */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await withIdColumn(db.schema.createTable('sms_messages'), dialect, 'id')
    .addColumn('purpose', 'text', notNull)
    .addColumn('phone_masked', 'text', notNull)
    .addColumn('phone_hash', 'text', notNull)
    .addColumn('provider', 'text', notNull)
    .addColumn('template_id', 'text', notNull)
    .addColumn('provider_id', 'text')
    .addColumn('request_id', 'text')
    .addColumn('status', 'text', notNull)
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('updated_at', 'bigint', notNull)
    .addCheckConstraint(
      'sms_messages_status',
      sql`status in ('sending', 'sent', 'failed', 'delivered', 'undelivered')`,
    )
    .execute();
  await db.schema
    .createIndex('sms_messages_provider_id')
    .on('sms_messages')
    .columns(['provider', 'provider_id'])
    .execute();
  await db.schema.createIndex('sms_messages_created').on('sms_messages').column('created_at').execute();
}
