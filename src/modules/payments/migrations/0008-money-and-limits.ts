import { type Kysely, sql } from 'kysely';

/**
 * The payments module's part of step 0008-money-and-limits: one paid payment per thing paid
 * for, held by a unique index, and the mark that WeChat has confirmed a final state.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('payments_one_paid')
    .on('payments')
    .columns(['purpose', 'subject_id'])
    .unique()
    .where(sql.ref('status'), '=', 'paid')
    .execute();
  // Set once WeChat itself has confirmed a payment we closed or failed as final there too;
  // until then reconciliation keeps asking, since a closed order may still have been paid.
  await db.schema.alterTable('payments').addColumn('wechat_final_at', 'bigint').execute();
  await db.schema
    .createIndex('payments_unconfirmed')
    .on('payments')
    .columns(['status', 'updated_at'])
    .where(sql.ref('wechat_final_at'), 'is', null)
    .execute();
}
