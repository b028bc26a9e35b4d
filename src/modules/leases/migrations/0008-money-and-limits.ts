import type { Kysely } from 'kysely';
import type { Dialect } from '../../../database.js';
import { addNonNegativeCheck } from '../../../platform/db/migrate.js';

/**
 * The leases module's part of step 0008-money-and-limits: deposit set aside for a payment in
 * flight cannot go below zero.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await addNonNegativeCheck(db, dialect, 'lease_installments', 'deposit_reserved');
}
