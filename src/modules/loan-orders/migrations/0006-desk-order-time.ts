import type { Kysely } from 'kysely';

/**
 * The desk and stage lists put the newest order first by when the order was made, not by when
 * its row was written: `fangtong seed` appends orders dated before everything already stored,
 * so by id they sat above this week's work. Each list index walks created_at, then id for
 * orders made in the same millisecond, exactly as the lists sort, so a page stays one index walk.
 */
const LIST_INDEXES: ReadonlyArray<[string, string[]]> = [
  ['loan_orders_desk', ['desk', 'created_at', 'id']],
  ['loan_orders_desk_city', ['desk', 'city', 'created_at', 'id']],
  ['loan_orders_desk_bohui', ['desk', 'is_bohui', 'created_at', 'id']],
  ['loan_orders_stage', ['stage', 'state', 'created_at', 'id']],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, columns] of LIST_INDEXES) {
    await db.schema.dropIndex(name).execute();
    await db.schema.createIndex(name).on('loan_orders').columns(columns).execute();
  }
}
