import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type {
  NewParkingOrderRow,
  ParkingCardRow,
  ParkingExtraRow,
  ParkingOrderFileRow,
  ParkingOrderRow,
  ParkingOrgRow,
  ParkingProductRow,
  ParkingProductVersionRow,
} from './parking.table.js';
import type { ParkingAuditState, ParkingCardState, ParkingOrderState } from './parking-state.js';

type Db = Kysely<Database>;

// ---- what an order is checked against ----------------------------------------------------------

export async function findCard(db: Db, id: string): Promise<ParkingCardRow | undefined> {
  return db.selectFrom('parking_cards').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function lockCard(trx: Db, id: string): Promise<ParkingCardRow | undefined> {
  return trx.selectFrom('parking_cards').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findProduct(db: Db, id: string): Promise<ParkingProductRow | undefined> {
  return db.selectFrom('parking_products').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The product's current prices: its newest version. */
export async function findCurrentVersion(
  db: Db,
  productId: string,
): Promise<ParkingProductVersionRow | undefined> {
  return db
    .selectFrom('parking_product_versions')
    .selectAll()
    .where('product_id', '=', productId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function listParkOrgs(db: Db, parkId: string): Promise<ParkingOrgRow[]> {
  return db.selectFrom('parking_orgs').selectAll().where('park_id', '=', parkId).orderBy('seq').execute();
}

export async function listParkExtras(db: Db, parkId: string): Promise<ParkingExtraRow[]> {
  return db
    .selectFrom('parking_extras')
    .selectAll()
    .where('park_id', '=', parkId)
    .orderBy('seq')
    .orderBy('id')
    .execute();
}

// ---- orders -----------------------------------------------------------------------------------

export async function insertOrder(trx: Db, row: NewParkingOrderRow): Promise<void> {
  await trx.insertInto('parking_orders').values(row).execute();
}

export async function insertOrderFiles(
  trx: Db,
  rows: ReadonlyArray<Omit<ParkingOrderFileRow, 'id'>>,
): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('parking_order_files')
    .values([...rows])
    .execute();
}

export async function findOrder(db: Db, id: string): Promise<ParkingOrderRow | undefined> {
  return db.selectFrom('parking_orders').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function lockOrder(trx: Db, id: string): Promise<ParkingOrderRow | undefined> {
  return trx.selectFrom('parking_orders').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findOpenOrderOfCard(db: Db, cardId: string): Promise<ParkingOrderRow | undefined> {
  return db
    .selectFrom('parking_orders')
    .selectAll()
    .where('card_id', '=', cardId)
    .where('state', '=', '01')
    .executeTakeFirst();
}

/**
 * Every order of the card that was ever paid (still paid, refund asked, refunded), in the order
 * paid. Two paid in one millisecond go by the end each ran on from: the card's end only grows
 * from one payment to the next.
 */
export async function listPaidOrdersOfCard(trx: Db, cardId: string): Promise<ParkingOrderRow[]> {
  return trx
    .selectFrom('parking_orders')
    .selectAll()
    .where('card_id', '=', cardId)
    .where('pay_suc_dt', 'is not', null)
    .orderBy('pay_suc_dt')
    .orderBy('prev_end_dt', (o) => o.asc().nullsFirst())
    .orderBy('id')
    .execute();
}

/** Which of `keys` an order's file names (parking_order_files_storage_key). */
export async function namedStorageKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db
    .selectFrom('parking_order_files')
    .select('storage_key')
    .where('storage_key', 'in', keys)
    .execute();
  return new Set(rows.map((row) => row.storage_key));
}

export async function listOrderFiles(db: Db, orderId: string): Promise<ParkingOrderFileRow[]> {
  return db
    .selectFrom('parking_order_files')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('slot')
    .execute();
}

export async function findOrderFile(
  db: Db,
  orderId: string,
  fileId: number,
): Promise<ParkingOrderFileRow | undefined> {
  return db
    .selectFrom('parking_order_files')
    .selectAll()
    .where('order_id', '=', orderId)
    .where('id', '=', fileId)
    .executeTakeFirst();
}

/**
 * Moves an order from `from` to `patch.state` (or keeps its state, for a review decision) only if
 * it is still at `from` and at the version read: one conditional UPDATE, so of two concurrent
 * moves exactly one wins. Answers whether this one did.
 */
export async function moveOrder(
  trx: Db,
  order: Pick<ParkingOrderRow, 'id' | 'state' | 'version'>,
  patch: Partial<
    Pick<
      ParkingOrderRow,
      | 'state'
      | 'audit_state'
      | 'audit_reason'
      | 'audited_by'
      | 'audited_at'
      | 'pay_suc_dt'
      | 'start_dt'
      | 'end_dt'
      | 'prev_end_dt'
      | 'out_trade_no'
      | 'expires_at'
    >
  > & { updated_at: number },
): Promise<boolean> {
  const result = await trx
    .updateTable('parking_orders')
    .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
    .where('id', '=', order.id)
    .where('state', '=', order.state)
    .where('version', '=', Number(order.version))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Unpaid orders past their time that no review holds, oldest first. */
export async function listOverdueOrders(db: Db, now: number, limit: number): Promise<ParkingOrderRow[]> {
  return db
    .selectFrom('parking_orders')
    .selectAll()
    .where('state', '=', '01')
    .where('expires_at', '<=', now)
    .where('audit_state', '<>', '02')
    .orderBy('expires_at')
    .limit(limit)
    .execute();
}

/** The staff's review queue and order list, newest first, with the total. */
export async function listOrders(
  db: Db,
  filter: { auditState?: ParkingAuditState; state?: ParkingOrderState; offset: number; limit: number },
): Promise<{ rows: ParkingOrderRow[]; total: number }> {
  let query = db.selectFrom('parking_orders');
  if (filter.auditState) query = query.where('audit_state', '=', filter.auditState);
  if (filter.state) query = query.where('state', '=', filter.state);
  const [rows, count] = await Promise.all([
    query
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .offset(filter.offset)
      .limit(filter.limit)
      .execute(),
    query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

// ---- cards ------------------------------------------------------------------------------------

/** Moves a card from `from` to `patch.state` only if it is still at `from`; answers whether it did. */
export async function moveCard(
  trx: Db,
  cardId: string,
  from: ParkingCardState,
  patch: Partial<
    Pick<
      ParkingCardRow,
      'state' | 'start_dt' | 'end_dt' | 'renew_end_dt' | 'last_order_id' | 'product_id' | 'product_v_id'
    >
  > & { updated_at: number },
): Promise<boolean> {
  const result = await trx
    .updateTable('parking_cards')
    .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
    .where('id', '=', cardId)
    .where('state', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Valid cards ending within (now, until] whose reminder for that end has not gone out. */
export async function listCardsToRemind(
  db: Db,
  now: number,
  until: number,
  limit: number,
): Promise<Array<ParkingCardRow & { phone_enc: string; user_name: string }>> {
  return db
    .selectFrom('parking_cards')
    .innerJoin('parking_users', 'parking_users.id', 'parking_cards.user_id')
    .selectAll('parking_cards')
    .select(['parking_users.phone_enc', 'parking_users.name as user_name'])
    .where('parking_cards.state', 'in', [1, 2])
    .where('parking_cards.end_dt', '>', now)
    .where('parking_cards.end_dt', '<=', until)
    .where((eb) =>
      eb.or([
        eb('parking_cards.reminded_end_dt', 'is', null),
        eb('parking_cards.reminded_end_dt', '<>', eb.ref('parking_cards.end_dt')),
      ]),
    )
    .orderBy('parking_cards.end_dt')
    .limit(limit)
    .execute();
}

/** Claims the reminder of a card's current end: true for the one server whose UPDATE took it. */
export async function claimReminder(db: Db, cardId: string, endDt: number): Promise<boolean> {
  const result = await db
    .updateTable('parking_cards')
    .set({ reminded_end_dt: endDt })
    .where('id', '=', cardId)
    .where('end_dt', '=', endDt)
    .where((eb) => eb.or([eb('reminded_end_dt', 'is', null), eb('reminded_end_dt', '<>', endDt)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Gives back a claimed reminder whose text could not go out, so the next run tries again: the card
 * is set back to the end it was last reminded of, unless something has claimed it since.
 */
export async function releaseReminder(
  db: Db,
  cardId: string,
  endDt: number,
  previous: number | string | null,
): Promise<void> {
  await db
    .updateTable('parking_cards')
    .set({ reminded_end_dt: previous === null ? null : Number(previous) })
    .where('id', '=', cardId)
    .where('reminded_end_dt', '=', endDt)
    .execute();
}

/** The payment that paid an order (the payments module's row; at most one is `paid` per subject). */
export async function findPaidPaymentOfOrder(db: Db, purpose: string, orderId: string) {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('purpose', '=', purpose)
    .where('subject_id', '=', orderId)
    .where('status', '=', 'paid')
    .executeTakeFirst();
}

// ---- sealing what was kept before sealing (fangtong parking reseal) -----------------------------

/** A driver's phone as the servers sealed it (every driver's is), to prove a key on. */
export async function anySealedPhone(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom('parking_users').select('phone_enc').limit(1).executeTakeFirst();
  return row?.phone_enc;
}

export async function pageOrderFiles(
  db: Db,
  afterId: number,
  limit: number,
): Promise<Array<Pick<ParkingOrderFileRow, 'id' | 'order_id' | 'slot' | 'storage_key'>>> {
  return db
    .selectFrom('parking_order_files')
    .select(['id', 'order_id', 'slot', 'storage_key'])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Orders whose extra infos are still the JSON itself (a sealed value never starts with `[`). */
export async function pagePlainExtraInfos(
  db: Db,
  afterId: string,
  limit: number,
): Promise<Array<Pick<ParkingOrderRow, 'id' | 'extra_info'>>> {
  return db
    .selectFrom('parking_orders')
    .select(['id', 'extra_info'])
    .where('id', '>', afterId)
    .where('extra_info', 'like', '[%')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Replaces an order's extra infos only if they are still `from`: answers whether it did. */
export async function replaceExtraInfo(db: Db, id: string, from: string, to: string): Promise<boolean> {
  const result = await db
    .updateTable('parking_orders')
    .set({ extra_info: to })
    .where('id', '=', id)
    .where('extra_info', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
