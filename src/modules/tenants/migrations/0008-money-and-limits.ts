import type { Kysely } from 'kysely';
import type { Dialect } from '../../../database.js';
import { addNonNegativeCheck } from '../../../platform/db/migrate.js';

/** The tenants module's part of step 0008-money-and-limits: held money cannot go below zero. */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await addNonNegativeCheck(db, dialect, 'tenants', 'deposit_held');
}
