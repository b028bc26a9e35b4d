import type { Kysely } from 'kysely';
import type { Dialect } from '../../../database.js';

/**
 * The parking module's step 0019-parking-orders-by-user-state: calls 1 and 2 answer whether the
 * user ever paid online and whether any order of theirs is still open, on every read. With
 * (user_id, state) both are one probe of this index alone; the (user_id, created_at) index made
 * each a visit to every order row of the user, and the open-order check a join through their cards.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createIndex('parking_orders_user_state')
    .on('parking_orders')
    .columns(['user_id', 'state'])
    .execute();
}
