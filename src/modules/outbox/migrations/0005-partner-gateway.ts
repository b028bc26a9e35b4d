import type { Kysely } from 'kysely';
import type { Dialect } from '../../../database.js';
import { notNull, withIdColumn } from '../../../platform/db/column-types.js';

/** The outbox module's part of step 0005-partner-gateway: the callbacks it delivers to the platform. */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  // The outbox of calls to the platform: written in the transaction of the decision it reports,
  // delivered by a job, unique per decision.
  await withIdColumn(db.schema.createTable('partner_callbacks'), dialect, 'id')
    .addColumn('ua', 'text', notNull)
    .addColumn('call', 'text', notNull)
    .addColumn('args', 'text', notNull)
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', notNull)
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', notNull)
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('delivered_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('partner_callbacks_due')
    .on('partner_callbacks')
    .columns(['status', 'next_attempt_at'])
    .execute();
}
