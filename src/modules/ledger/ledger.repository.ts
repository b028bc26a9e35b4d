import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../database.js';
import type {
  LedgerAccountRow,
  LedgerTransferRow,
  NewLedgerAccountRow,
  NewLedgerTransferRow,
} from './ledger.table.js';

type Db = Kysely<Database>;

// ---- accounts ------------------------------------------------------------------------------

/** Inserts the account unless its code exists already (then nothing happens). */
export async function insertAccountIfAbsent(db: Db, row: NewLedgerAccountRow): Promise<void> {
  await db
    .insertInto('ledger_accounts')
    .values(row)
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}

export async function findAccountByCode(db: Db, code: string): Promise<LedgerAccountRow | undefined> {
  return db.selectFrom('ledger_accounts').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function findAccountById(db: Db, id: number): Promise<LedgerAccountRow | undefined> {
  return db.selectFrom('ledger_accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findAccountIds(db: Db, codes: readonly string[]): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('ledger_accounts')
    .select(['id', 'code'])
    .where('code', 'in', codes)
    .execute();
  return new Map(rows.map((r) => [r.code, Number(r.id)]));
}

/**
 * Moves one side of an account (its debits or its credits) by `posted` and `pending` fen (either
 * may be negative, as when a pending transfer is posted or voided) in one statement that changes
 * the row only if the result keeps that side's pending amount non-negative and, for an account
 * flagged `<side>_must_not_exceed_<other>`, that side (posted + pending) within the other side's
 * posted amount. PostgreSQL re-checks the condition on the row's newest version after waiting for
 * its lock, so a concurrent drain cannot slip past it. False when the row was not changed: the
 * account would have been overdrawn.
 */
export async function moveBalance(
  db: Db,
  accountId: number,
  side: 'debits' | 'credits',
  posted: number,
  pending: number,
): Promise<boolean> {
  const other = side === 'debits' ? 'credits' : 'debits';
  const postedCol = sql.ref(`${side}_posted`);
  const pendingCol = sql.ref(`${side}_pending`);
  const result = await db
    .updateTable('ledger_accounts')
    .set({
      [`${side}_posted`]: sql<number>`${postedCol} + ${posted}`,
      [`${side}_pending`]: sql<number>`${pendingCol} + ${pending}`,
    } as Partial<Record<`${typeof side}_${'posted' | 'pending'}`, RawBuilder<number>>>)
    .where('id', '=', accountId)
    .where(sql<boolean>`${pendingCol} + ${pending} >= 0`)
    .where(
      sql<boolean>`(${sql.ref(`${side}_must_not_exceed_${other}`)} = 0
        or ${postedCol} + ${posted} + ${pendingCol} + ${pending} <= ${sql.ref(`${other}_posted`)})`,
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// ---- transfers -----------------------------------------------------------------------------

export async function findTransferByKey(db: Db, key: string): Promise<LedgerTransferRow | undefined> {
  return db.selectFrom('ledger_transfers').selectAll().where('key', '=', key).executeTakeFirst();
}

/** The post or void of a pending transfer, if it has one. */
export async function findResolutionOf(db: Db, pendingId: number): Promise<LedgerTransferRow | undefined> {
  return db.selectFrom('ledger_transfers').selectAll().where('pending_id', '=', pendingId).executeTakeFirst();
}

/**
 * Inserts the transfer unless its key is taken or (for a post or void) its pending transfer is
 * already resolved; undefined then. On PostgreSQL an insert racing an uncommitted one with the
 * same key waits for it, so the loser finds the winner's committed row afterwards.
 */
export async function insertTransferIfAbsent(
  db: Db,
  row: NewLedgerTransferRow,
): Promise<LedgerTransferRow | undefined> {
  return db
    .insertInto('ledger_transfers')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

export interface AccountTransferRow extends LedgerTransferRow {
  debit_code: string;
  credit_code: string;
}

/** An account's transfers, newest first, `limit` of them with ids below `beforeId` when given. */
export async function listAccountTransfers(
  db: Db,
  accountId: number,
  limit: number,
  beforeId?: number,
): Promise<AccountTransferRow[]> {
  return db
    .selectFrom('ledger_transfers as t')
    .innerJoin('ledger_accounts as d', 'd.id', 't.debit_account_id')
    .innerJoin('ledger_accounts as c', 'c.id', 't.credit_account_id')
    .selectAll('t')
    .select(['d.code as debit_code', 'c.code as credit_code'])
    .where((eb) =>
      eb.or([eb('t.debit_account_id', '=', accountId), eb('t.credit_account_id', '=', accountId)]),
    )
    .$if(beforeId !== undefined, (q) => q.where('t.id', '<', beforeId!))
    .orderBy('t.id', 'desc')
    .limit(limit)
    .execute();
}

// ---- savepoints: a refused posting leaves nothing of itself in the caller's transaction -----

export async function savepoint(db: Db, name: string): Promise<void> {
  await sql`savepoint ${sql.id(name)}`.execute(db);
}

export async function releaseSavepoint(db: Db, name: string): Promise<void> {
  await sql`release savepoint ${sql.id(name)}`.execute(db);
}

export async function rollbackToSavepoint(db: Db, name: string): Promise<void> {
  await sql`rollback to savepoint ${sql.id(name)}`.execute(db);
  await sql`release savepoint ${sql.id(name)}`.execute(db);
}

// ---- the whole-ledger check: aggregate statements, one pass over the transfers per side ----

export interface BalanceMismatchRow {
  id: number;
  code: string;
  debits_posted: number;
  debits_pending: number;
  credits_posted: number;
  credits_pending: number;
  expected_debits_posted: number;
  expected_debits_pending: number;
  expected_credits_posted: number;
  expected_credits_pending: number;
}

/**
 * Every account whose four balances differ from the sums of its transfers: posted = single-phase
 * transfers plus posted amounts of resolved holds; pending = holds not yet posted or voided.
 */
export async function findBalanceMismatches(db: Db): Promise<BalanceMismatchRow[]> {
  const { rows } = await sql<BalanceMismatchRow>`
    with side as (
      select t.debit_account_id as account_id,
        sum(case when t.kind in ('posted', 'post_pending') then t.amount else 0 end) as d_posted,
        sum(case when t.kind = 'pending' and r.id is null then t.amount else 0 end) as d_pending,
        0 as c_posted, 0 as c_pending
      from ledger_transfers t
      left join ledger_transfers r on t.kind = 'pending' and r.pending_id = t.id
      group by t.debit_account_id
      union all
      select t.credit_account_id as account_id, 0, 0,
        sum(case when t.kind in ('posted', 'post_pending') then t.amount else 0 end),
        sum(case when t.kind = 'pending' and r.id is null then t.amount else 0 end)
      from ledger_transfers t
      left join ledger_transfers r on t.kind = 'pending' and r.pending_id = t.id
      group by t.credit_account_id
    ),
    sums as (
      select account_id, sum(d_posted) as d_posted, sum(d_pending) as d_pending,
        sum(c_posted) as c_posted, sum(c_pending) as c_pending
      from side group by account_id
    )
    select a.id, a.code, a.debits_posted, a.debits_pending, a.credits_posted, a.credits_pending,
      cast(coalesce(s.d_posted, 0) as bigint) as expected_debits_posted,
      cast(coalesce(s.d_pending, 0) as bigint) as expected_debits_pending,
      cast(coalesce(s.c_posted, 0) as bigint) as expected_credits_posted,
      cast(coalesce(s.c_pending, 0) as bigint) as expected_credits_pending
    from ledger_accounts a
    left join sums s on s.account_id = a.id
    where a.debits_posted <> coalesce(s.d_posted, 0) or a.debits_pending <> coalesce(s.d_pending, 0)
      or a.credits_posted <> coalesce(s.c_posted, 0) or a.credits_pending <> coalesce(s.c_pending, 0)
    order by a.id`.execute(db);
  return rows;
}

export interface LedgerTotalsRow {
  accounts: number;
  debits_posted: number;
  debits_pending: number;
  credits_posted: number;
  credits_pending: number;
}

/** The sums of every account's four balances. */
export async function ledgerTotals(db: Db): Promise<LedgerTotalsRow> {
  const { rows } = await sql<LedgerTotalsRow>`
    select cast(count(*) as bigint) as accounts,
      cast(coalesce(sum(debits_posted), 0) as bigint) as debits_posted,
      cast(coalesce(sum(debits_pending), 0) as bigint) as debits_pending,
      cast(coalesce(sum(credits_posted), 0) as bigint) as credits_posted,
      cast(coalesce(sum(credits_pending), 0) as bigint) as credits_pending
    from ledger_accounts`.execute(db);
  return rows[0]!;
}

export async function countTransfers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('ledger_transfers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Accounts whose balances break a sign or their flag (only reachable past the CHECKs). */
export async function findFlagViolations(db: Db): Promise<LedgerAccountRow[]> {
  return db
    .selectFrom('ledger_accounts')
    .selectAll()
    .where(
      sql<boolean>`debits_pending < 0 or debits_posted < 0 or credits_pending < 0 or credits_posted < 0
        or (debits_must_not_exceed_credits = 1 and debits_pending + debits_posted > credits_posted)
        or (credits_must_not_exceed_debits = 1 and credits_pending + credits_posted > debits_posted)`,
    )
    .orderBy('id')
    .execute();
}

export interface BadResolutionRow {
  id: number;
  key: string;
  kind: string;
  pending_id: number;
  pending_kind: string;
}

/**
 * Posts and voids that do not fit the transfer they resolve: it is not a hold, the accounts
 * differ, a post above the amount held, or a void of other than the amount held.
 */
export async function findBadResolutions(db: Db): Promise<BadResolutionRow[]> {
  const { rows } = await sql<BadResolutionRow>`
    select r.id, r.key, r.kind, r.pending_id, p.kind as pending_kind
    from ledger_transfers r
    join ledger_transfers p on p.id = r.pending_id
    where r.pending_id is not null and (
      p.kind <> 'pending'
      or r.debit_account_id <> p.debit_account_id or r.credit_account_id <> p.credit_account_id
      or (r.kind = 'post_pending' and r.amount > p.amount)
      or (r.kind = 'void_pending' and r.amount <> p.amount))
    order by r.id`.execute(db);
  return rows;
}

/** Every account of one kind (tenant_deposit …), for a module that checks its own projection. */
export async function findAccountsOfKind(db: Db, kind: string): Promise<LedgerAccountRow[]> {
  return db.selectFrom('ledger_accounts').selectAll().where('kind', '=', kind).orderBy('id').execute();
}
