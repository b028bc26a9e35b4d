import type { Kysely } from 'kysely';
import { formatShanghaiDate } from '../../core/time.js';
import type { Database } from '../../database.js';
import { expireUnpaidLeasesCreatedBefore, markLeasesOverdueEndedBefore } from './lease.repository.js';

/** An unpaid lease order holds its house this long. */
const UNPAID_LEASE_TTL_MS = 24 * 3_600_000;

/** Job: unpaid orders past their hold time expire. */
export async function expireUnpaidLeases(db: Kysely<Database>, now: number): Promise<number> {
  return expireUnpaidLeasesCreatedBefore(db, now - UNPAID_LEASE_TTL_MS, now);
}

/** Job: leases past their end date (Beijing) that nobody moved out are overdue. */
export async function markOverdueLeases(db: Kysely<Database>, now: number): Promise<number> {
  return markLeasesOverdueEndedBefore(db, formatShanghaiDate(now), now);
}
