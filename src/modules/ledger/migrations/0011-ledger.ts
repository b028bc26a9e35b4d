import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../../../database.js';
import { notNull, withIdColumn } from '../../../platform/db/column-types.js';

/**
 * The ledger module's step 0011-ledger: accounts and transfers. The tables are new, so every rule
 * the database can hold is a CHECK in the table itself (SQLite holds CHECKs given at creation):
 * balances never negative, an account's no-overdraft flag never broken (pending debits count),
 * a transfer's amount positive and its two accounts different, and a pending transfer resolved
 * at most once (a unique index on pending_id). Even a faulty statement cannot overdraw.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await withIdColumn(db.schema.createTable('ledger_accounts'), dialect, 'id')
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', notNull)
    .addColumn('owner', 'text')
    .addColumn('debits_must_not_exceed_credits', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('credits_must_not_exceed_debits', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('debits_pending', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('debits_posted', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('credits_pending', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('credits_posted', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', notNull)
    .addCheckConstraint(
      'ledger_accounts_flags',
      sql`debits_must_not_exceed_credits in (0, 1) and credits_must_not_exceed_debits in (0, 1)
        and debits_must_not_exceed_credits + credits_must_not_exceed_debits <= 1`,
    )
    .addCheckConstraint(
      'ledger_accounts_balances_not_negative',
      sql`debits_pending >= 0 and debits_posted >= 0 and credits_pending >= 0 and credits_posted >= 0`,
    )
    .addCheckConstraint(
      'ledger_accounts_debits_within_credits',
      sql`debits_must_not_exceed_credits = 0 or debits_pending + debits_posted <= credits_posted`,
    )
    .addCheckConstraint(
      'ledger_accounts_credits_within_debits',
      sql`credits_must_not_exceed_debits = 0 or credits_pending + credits_posted <= debits_posted`,
    )
    .execute();

  await withIdColumn(db.schema.createTable('ledger_transfers'), dialect, 'id')
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', notNull)
    .addColumn('debit_account_id', 'bigint', (c) => c.notNull().references('ledger_accounts.id'))
    .addColumn('credit_account_id', 'bigint', (c) => c.notNull().references('ledger_accounts.id'))
    .addColumn('amount', 'bigint', notNull)
    .addColumn('pending_id', 'bigint', (c) => c.references('ledger_transfers.id'))
    .addColumn('ledger', 'text', notNull)
    .addColumn('subject', 'text')
    .addColumn('metadata', 'text')
    .addColumn('created_at', 'bigint', notNull)
    .addCheckConstraint('ledger_transfers_amount_positive', sql`amount > 0`)
    .addCheckConstraint('ledger_transfers_two_accounts', sql`debit_account_id <> credit_account_id`)
    .addCheckConstraint(
      'ledger_transfers_kind',
      sql`(kind in ('posted', 'pending') and pending_id is null)
        or (kind in ('post_pending', 'void_pending') and pending_id is not null)`,
    )
    .execute();
  // A pending transfer is posted or voided once: the second resolution cannot be stored.
  await db.schema
    .createIndex('ledger_transfers_one_resolution')
    .on('ledger_transfers')
    .column('pending_id')
    .unique()
    .execute();
  // An account's history, newest first, and the foreign keys' lookups.
  await db.schema
    .createIndex('ledger_transfers_debit')
    .on('ledger_transfers')
    .columns(['debit_account_id', 'id'])
    .execute();
  await db.schema
    .createIndex('ledger_transfers_credit')
    .on('ledger_transfers')
    .columns(['credit_account_id', 'id'])
    .execute();
  await db.schema
    .createIndex('ledger_transfers_subject')
    .on('ledger_transfers')
    .columns(['ledger', 'subject'])
    .execute();
}
