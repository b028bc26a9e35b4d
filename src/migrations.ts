/**
 * The one ordered list of migrations. Each module keeps the migrations of its own tables in its
 * `migrations/` folder (the platform's own tables — jobs, limit_keys — in platform/jobs and
 * platform/limits); this file says in which order they run, since tables reference tables of
 * other modules (a lease its tenant, a loan order its agent) and one order must hold everywhere.
 *
 * Why the names are what they are: Kysely records each step it has run by name in
 * kysely_migration, skips recorded names, and refuses to start when an unrecorded name sorts
 * before a recorded one. Databases made before migrations moved into their modules recorded
 * `0001-foundation` … `0008-money-and-limits`, one step per name, each step creating tables of
 * several modules. Those names therefore stay, and each historic step is composed of its
 * modules' parts, in the order the step ran them; a module's file is named after the step it is
 * a part of (`modules/sms/migrations/0004-tenants-and-leases.ts` is the SMS part of step 0004).
 * So an existing database runs nothing again, a fresh one runs the same statements in the same
 * order, and both end with the same schema (test/platform/db/migration-history.test.ts proves
 * it against the migrations as they were before the move, kept in test/platform/db/fixtures/).
 *
 * Adding a migration: write `src/modules/<module>/migrations/<NNNN>-<what>.ts` exporting
 * `up(db, dialect)`, with NNNN one above the last step below, and append a step here. Never
 * rename or reorder a step that has shipped, nor change what it creates: write a new step.
 */

import type { Kysely } from 'kysely';
import type { Dialect } from './database.js';
import * as audit0001 from './modules/audit/migrations/0001-foundation.js';
import * as escrow0010 from './modules/escrow/migrations/0010-escrow.js';
import * as escrow0013 from './modules/escrow/migrations/0013-escrow-funds.js';
import * as escrow0014 from './modules/escrow/migrations/0014-escrow-notifications.js';
import * as escrow0016 from './modules/escrow/migrations/0016-escrow-payout-claims.js';
import * as escrow0018 from './modules/escrow/migrations/0018-escrow-release-queue.js';
import * as leases0004 from './modules/leases/migrations/0004-tenants-and-leases.js';
import * as leases0008 from './modules/leases/migrations/0008-money-and-limits.js';
import * as ledger0011 from './modules/ledger/migrations/0011-ledger.js';
import * as loanOrders0002 from './modules/loan-orders/migrations/0002-loan-orders.js';
import * as loanOrders0006 from './modules/loan-orders/migrations/0006-desk-order-time.js';
import * as outbox0005 from './modules/outbox/migrations/0005-partner-gateway.js';
import * as parking0017 from './modules/parking/migrations/0017-parking.js';
import * as parking0019 from './modules/parking/migrations/0019-parking-orders-by-user-state.js';
import * as parking0020 from './modules/parking/migrations/0020-parking-file-keys.js';
import * as partner0005 from './modules/partner/migrations/0005-partner-gateway.js';
import * as partner0007 from './modules/partner/migrations/0007-partner-signatures.js';
import * as payments0003 from './modules/payments/migrations/0003-payments.js';
import * as payments0008 from './modules/payments/migrations/0008-money-and-limits.js';
import * as payments0015 from './modules/payments/migrations/0015-refunds.js';
import * as sms0004 from './modules/sms/migrations/0004-tenants-and-leases.js';
import * as sms0009 from './modules/sms/migrations/0009-sms-messages.js';
import * as staff0001 from './modules/staff/migrations/0001-foundation.js';
import * as tenants0004 from './modules/tenants/migrations/0004-tenants-and-leases.js';
import * as tenants0008 from './modules/tenants/migrations/0008-money-and-limits.js';
import * as tenants0012 from './modules/tenants/migrations/0012-deposits-on-ledger.js';
import { type MigrationStep, runMigrations } from './platform/db/migrate.js';
import * as jobs0003 from './platform/jobs/migrations/0003-payments.js';
import * as limits0008 from './platform/limits/migrations/0008-money-and-limits.js';

export const MIGRATIONS: ReadonlyArray<MigrationStep> = [
  { name: '0001-foundation', parts: [staff0001, audit0001] },
  { name: '0002-loan-orders', parts: [loanOrders0002] },
  { name: '0003-payments', parts: [payments0003, jobs0003] },
  { name: '0004-tenants-and-leases', parts: [sms0004, tenants0004, leases0004] },
  { name: '0005-partner-gateway', parts: [partner0005, outbox0005] },
  { name: '0006-desk-order-time', parts: [loanOrders0006] },
  { name: '0007-partner-signatures', parts: [partner0007] },
  { name: '0008-money-and-limits', parts: [payments0008, tenants0008, leases0008, limits0008] },
  { name: '0009-sms-messages', parts: [sms0009] },
  { name: '0010-escrow', parts: [escrow0010] },
  { name: '0011-ledger', parts: [ledger0011] },
  { name: '0012-deposits-on-ledger', parts: [tenants0012] },
  { name: '0013-escrow-funds', parts: [escrow0013] },
  { name: '0014-escrow-notifications', parts: [escrow0014] },
  { name: '0015-refunds', parts: [payments0015] },
  { name: '0016-escrow-payout-claims', parts: [escrow0016] },
  { name: '0017-parking', parts: [parking0017] },
  { name: '0018-escrow-release-queue', parts: [escrow0018] },
  { name: '0019-parking-orders-by-user-state', parts: [parking0019] },
  { name: '0020-parking-file-keys', parts: [parking0020] },
];

/** Brings the database up to the last step of MIGRATIONS; returns the names of the steps run. */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before and regardless of the typed schema
export function migrateToLatest(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  return runMigrations(db, dialect, MIGRATIONS);
}
