import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type {
  EscrowPayoutRow,
  EscrowReleaseRow,
  NewEscrowReleaseRow,
  PayoutState,
  ReleaseState,
} from './escrow-funds.table.js';

type Db = Kysely<Database>;

export async function insertRelease(trx: Db, row: NewEscrowReleaseRow): Promise<EscrowReleaseRow> {
  return trx.insertInto('escrow_releases').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findRelease(db: Db, id: number): Promise<EscrowReleaseRow | undefined> {
  return db.selectFrom('escrow_releases').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function lockRelease(trx: Db, id: number): Promise<EscrowReleaseRow | undefined> {
  return trx.selectFrom('escrow_releases').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function listReleases(db: Db, orderId: number): Promise<EscrowReleaseRow[]> {
  return db.selectFrom('escrow_releases').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
}

/** Whether an approved release of the order already took the service fee. */
export async function feeTaken(db: Db, orderId: number): Promise<boolean> {
  const row = await db
    .selectFrom('escrow_releases')
    .select('id')
    .where('order_id', '=', orderId)
    .where('state', '=', 'approved')
    .where('fee', '>', 0)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Decides a request once: only a request still `requested`, and only by someone other than its
 * maker (the CHECK escrow_releases_four_eyes says the same); false when either fails.
 */
export async function decideReleaseIfRequested(
  trx: Db,
  id: number,
  change: {
    state: 'approved' | 'rejected';
    decided_by: number;
    decided_by_name: string;
    decided_at: number;
    fee: number;
    decision_reason: string | null;
  },
): Promise<boolean> {
  const result = await trx
    .updateTable('escrow_releases')
    .set({ ...change, updated_at: change.decided_at })
    .where('id', '=', id)
    .where('state', '=', 'requested')
    .where('requested_by', '<>', change.decided_by)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertPayout(trx: Db, row: Omit<EscrowPayoutRow, 'id'>): Promise<EscrowPayoutRow> {
  return trx.insertInto('escrow_payouts').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findPayout(db: Db, id: number): Promise<EscrowPayoutRow | undefined> {
  return db.selectFrom('escrow_payouts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function lockPayout(trx: Db, id: number): Promise<EscrowPayoutRow | undefined> {
  return trx.selectFrom('escrow_payouts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function listPayouts(db: Db, orderId: number): Promise<EscrowPayoutRow[]> {
  return db.selectFrom('escrow_payouts').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
}

/** Moves a payout from `from` to the patch's state; false when it was no longer in `from`. */
export async function movePayout(
  trx: Db,
  id: number,
  from: PayoutState,
  patch: Partial<
    Omit<EscrowPayoutRow, 'id' | 'payout_no' | 'release_id' | 'order_id' | 'amount' | 'created_at'>
  >,
): Promise<boolean> {
  const result = await trx
    .updateTable('escrow_payouts')
    .set(patch)
    .where('id', '=', id)
    .where('state', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Pending payouts whose claim has run out (never asked, or asked by a server that died or has
 * not heard back within its claim): the resume job's candidates, oldest first.
 */
export async function listUnclaimedPendingPayouts(
  db: Db,
  now: number,
  limit: number,
): Promise<Array<Pick<EscrowPayoutRow, 'id' | 'attempts'>>> {
  return db
    .selectFrom('escrow_payouts')
    .select(['id', 'attempts'])
    .where('state', '=', 'pending')
    .where('claimed_until', '<=', now)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Claims a pending payout's attempt until `until`, in one conditional UPDATE: only while it is
 * still pending in that attempt and nobody's claim runs — so of several servers, one wins
 * (PostgreSQL re-checks the WHERE after the row lock; SQLite writes one at a time).
 */
export async function claimPendingPayout(
  db: Db,
  id: number,
  attempts: number,
  now: number,
  until: number,
): Promise<boolean> {
  const result = await db
    .updateTable('escrow_payouts')
    .set({ claimed_until: until })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .where('attempts', '=', attempts)
    .where('claimed_until', '<=', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * The provider gave no final answer about a pending attempt: its words are kept for the desk,
 * and the claim is pushed to when it should be asked again. Only while still pending in that
 * attempt (an answer recorded meanwhile wins).
 */
export async function notePayoutUnsettled(
  db: Db,
  id: number,
  attempts: number,
  patch: { failure_code: string; failure_message: string; claimed_until: number; updated_at: number },
): Promise<boolean> {
  const result = await db
    .updateTable('escrow_payouts')
    .set(patch)
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .where('attempts', '=', attempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Requests of one state across every order, with their order's number, paged by offset: waiting
 * ones oldest first (the order checkers take them in), decided ones newest first.
 */
export async function listReleasesByState(db: Db, state: ReleaseState, offset: number, limit: number) {
  const [count, rows] = await Promise.all([
    db
      .selectFrom('escrow_releases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', '=', state)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('escrow_releases as r')
      .innerJoin('escrow_orders as o', 'o.id', 'r.order_id')
      .selectAll('r')
      .select('o.house_order_no')
      .where('r.state', '=', state)
      .orderBy('r.id', state === 'requested' ? 'asc' : 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
  ]);
  return { total: Number(count.n), rows };
}

/**
 * A keyset page of the queue in its order (waiting ones oldest first, decided ones newest
 * first), after release `afterId`: the export's pages, one statement each.
 */
export async function listReleasesAfter(
  db: Db,
  state: ReleaseState,
  afterId: number | undefined,
  limit: number,
) {
  const ascending = state === 'requested';
  let query = db
    .selectFrom('escrow_releases as r')
    .innerJoin('escrow_orders as o', 'o.id', 'r.order_id')
    .selectAll('r')
    .select('o.house_order_no')
    .where('r.state', '=', state)
    .orderBy('r.id', ascending ? 'asc' : 'desc')
    .limit(limit);
  if (afterId !== undefined) query = query.where('r.id', ascending ? '>' : '<', afterId);
  return query.execute();
}
