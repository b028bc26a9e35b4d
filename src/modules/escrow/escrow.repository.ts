import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type {
  EscrowIsvRow,
  EscrowOrderRow,
  EscrowPartyRow,
  NewEscrowOrderRow,
  NewEscrowPartyRow,
} from './escrow.table.js';
import type { EscrowState } from './escrow-state.js';

type Db = Kysely<Database>;

// ISVs, their signatures and their calls.

export async function insertIsv(trx: Db, row: Omit<EscrowIsvRow, 'id' | 'active'>): Promise<number> {
  const inserted = await trx.insertInto('escrow_isvs').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(inserted.id);
}

export async function findActiveIsv(db: Db, appKey: string): Promise<EscrowIsvRow | undefined> {
  return db
    .selectFrom('escrow_isvs')
    .selectAll()
    .where('app_key', '=', appKey)
    .where('active', '=', 1)
    .executeTakeFirst();
}

/** The ISVs by id; after `afterId` and at most `limit` when given (a keyset page of the export). */
export async function listIsvs(db: Db, afterId?: number, limit?: number) {
  let query = db
    .selectFrom('escrow_isvs')
    .select(['id', 'app_key', 'methods', 'store_ids', 'callback_url', 'active', 'created_at'])
    .orderBy('id');
  if (afterId !== undefined) query = query.where('id', '>', afterId);
  if (limit !== undefined) query = query.limit(limit);
  return query.execute();
}

// Invitations.

export async function insertOrder(trx: Db, row: NewEscrowOrderRow): Promise<number> {
  const inserted = await trx
    .insertInto('escrow_orders')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** The ISV's invitation for a case, locked for the deciding transaction. */
export async function lockOrderByCase(
  trx: Db,
  isvId: number,
  source: string,
  sourceNo: string,
): Promise<EscrowOrderRow | undefined> {
  return trx
    .selectFrom('escrow_orders')
    .selectAll()
    .where('isv_id', '=', isvId)
    .where('source', '=', source)
    .where('source_no', '=', sourceNo)
    .forUpdate()
    .executeTakeFirst();
}

export async function lockOrderByNo(trx: Db, houseOrderNo: string): Promise<EscrowOrderRow | undefined> {
  return trx
    .selectFrom('escrow_orders')
    .selectAll()
    .where('house_order_no', '=', houseOrderNo)
    .forUpdate()
    .executeTakeFirst();
}

export async function lockOrderById(trx: Db, id: number): Promise<EscrowOrderRow | undefined> {
  return trx.selectFrom('escrow_orders').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findOrderByNo(db: Db, houseOrderNo: string): Promise<EscrowOrderRow | undefined> {
  return db
    .selectFrom('escrow_orders')
    .selectAll()
    .where('house_order_no', '=', houseOrderNo)
    .executeTakeFirst();
}

export async function findOrderById(db: Db, id: number): Promise<EscrowOrderRow | undefined> {
  return db.selectFrom('escrow_orders').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateOrder(
  trx: Db,
  id: number,
  changes: Partial<Omit<EscrowOrderRow, 'id' | 'house_order_no' | 'isv_id' | 'created_at'>>,
): Promise<void> {
  await trx.updateTable('escrow_orders').set(changes).where('id', '=', id).execute();
}

/** Inviting invitations whose deadline has passed, oldest first. */
export async function listOverdueOrderIds(db: Db, now: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('escrow_orders')
    .select('id')
    .where('state', '=', 'inviting' satisfies EscrowState)
    .where('deadline_at', '<=', now)
    .orderBy('deadline_at')
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.id));
}

// Parties.

export async function insertParty(trx: Db, row: NewEscrowPartyRow): Promise<void> {
  await trx.insertInto('escrow_parties').values(row).execute();
}

export async function listParties(db: Db, orderId: number): Promise<EscrowPartyRow[]> {
  return db
    .selectFrom('escrow_parties')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('role')
    .orderBy('seq')
    .execute();
}

export async function findPartyByTokenHash(db: Db, tokenHash: string): Promise<EscrowPartyRow | undefined> {
  return db.selectFrom('escrow_parties').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function updateParty(
  trx: Db,
  id: number,
  changes: Partial<Omit<EscrowPartyRow, 'id' | 'order_id' | 'token_hash' | 'token_enc' | 'created_at'>>,
): Promise<void> {
  await trx.updateTable('escrow_parties').set(changes).where('id', '=', id).execute();
}

export async function deleteParties(trx: Db, ids: readonly number[]): Promise<void> {
  if (ids.length) await trx.deleteFrom('escrow_parties').where('id', 'in', ids).execute();
}

/** Forgets every acceptance of the invitation (its terms changed). */
export async function resetDecisions(trx: Db, orderId: number): Promise<void> {
  await trx
    .updateTable('escrow_parties')
    .set({
      accepted_at: null,
      declined_at: null,
      decision_ip: null,
      decision_terms_hash: null,
      decline_reason: null,
    })
    .where('order_id', '=', orderId)
    .execute();
}
