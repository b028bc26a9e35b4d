import type { Kysely } from 'kysely';
import { notNull } from '../../db/column-types.js';

/** The job runner's part of step 0003-payments: one row per named job, leased by one server at a time. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('run_at', 'bigint', notNull)
    .addColumn('locked_until', 'bigint', notNull)
    .addColumn('locked_by', 'text')
    .addColumn('last_run_at', 'bigint')
    .addColumn('last_error', 'text')
    .execute();
}
