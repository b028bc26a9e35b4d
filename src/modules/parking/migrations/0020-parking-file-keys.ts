import type { Kysely } from 'kysely';
import type { Dialect } from '../../../database.js';

/**
 * The parking module's step 0020-parking-file-keys: the sweep of uploads no order names
 * (parking.sweep-unnamed-uploads) asks which of a folder's keys an order names; by this index
 * that is one probe a key, not a read of every order file.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createIndex('parking_order_files_storage_key')
    .on('parking_order_files')
    .column('storage_key')
    .execute();
}
