import { type Kysely, sql } from 'kysely';
import { notNull } from '../column-types.js';
import type { Dialect } from '../database.js';

/**
 * What concurrency must never break, held by the database itself: one paid payment per thing
 * paid for, held money that cannot go below zero, and one row per rate-limited key that
 * concurrent requests queue on.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
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

  await nonNegative(db, dialect, 'tenants', 'deposit_held');
  await nonNegative(db, dialect, 'lease_installments', 'deposit_reserved');

  await db.schema
    .createTable('limit_keys')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('touched_at', 'bigint', notNull)
    .execute();
  await db.schema.createIndex('limit_keys_touched').on('limit_keys').column('touched_at').execute();
}

/**
 * A CHECK on an existing column: PostgreSQL adds the constraint; SQLite cannot alter a table's
 * constraints, so a trigger refuses the write instead, with the same effect on every UPDATE.
 */
async function nonNegative(db: Kysely<unknown>, dialect: Dialect, table: string, column: string) {
  const name = `${table}_${column}_not_negative`;
  if (dialect === 'postgres') {
    await sql`alter table ${sql.table(table)} add constraint ${sql.id(name)} check (${sql.ref(column)} >= 0)`.execute(
      db,
    );
    return;
  }
  for (const event of ['insert', 'update'] as const) {
    await sql`create trigger ${sql.id(`${name}_${event}`)} before ${sql.raw(event)} on ${sql.table(table)}
      when new.${sql.ref(column)} < 0
      begin select raise(abort, ${sql.lit(`CHECK constraint failed: ${name}`)}); end`.execute(db);
  }
}
