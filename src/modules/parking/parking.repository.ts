import { type Expression, type ExpressionBuilder, type Kysely, sql } from 'kysely';
import { type Database, preparedQuery } from '../../database.js';
import { jsonNesting, unnest } from '../../platform/db/json-nesting.js';
import type {
  NewParkingCardRow,
  NewParkingUserRow,
  ParkingCardRow,
  ParkingExtraRow,
  ParkingOrderRow,
  ParkingOrgRow,
  ParkingParkRow,
  ParkingPlateRow,
  ParkingProductRow,
  ParkingProductVersionRow,
  ParkingUserRow,
  ParkingUserTable,
} from './parking.table.js';

/** The user side of family 5's SQL: parks, orgs, extras, products, users, openIds, sessions, plates, cards. */

type Db = Kysely<Database>;

// PostgreSQL answers bigint columns as strings: every time is read back as a number.
const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
// What an EXISTS selects: naming a column would make SQLite read the table row for it.
const ONE = sql.lit(1).as('one');

function rowToUser(row: ParkingUserRow): ParkingUserRow {
  return { ...row, created_at: num(row.created_at), updated_at: num(row.updated_at) };
}

function rowToCard(row: ParkingCardRow): ParkingCardRow {
  return {
    ...row,
    state: num(row.state) as ParkingCardRow['state'],
    start_dt: numOrNull(row.start_dt),
    end_dt: numOrNull(row.end_dt),
    renew_end_dt: numOrNull(row.renew_end_dt),
    reminded_end_dt: numOrNull(row.reminded_end_dt),
    created_at: num(row.created_at),
    updated_at: num(row.updated_at),
    version: num(row.version),
  };
}

// --- Parks, their org trees and extra-info slots

export async function findPark(db: Db, parkId: string): Promise<ParkingParkRow | undefined> {
  const row = await db.selectFrom('parking_parks').selectAll().where('id', '=', parkId).executeTakeFirst();
  return row && { ...row, created_at: num(row.created_at) };
}

export async function listParks(db: Db): Promise<ParkingParkRow[]> {
  const rows = await db.selectFrom('parking_parks').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({ ...r, created_at: num(r.created_at) }));
}

/** Up to `limit` parks after the park `afterId` (from the first when undefined), by id. */
export async function listParksAfter(
  db: Db,
  afterId: string | undefined,
  limit: number,
): Promise<ParkingParkRow[]> {
  let query = db.selectFrom('parking_parks').selectAll().orderBy('id').limit(limit);
  if (afterId !== undefined) query = query.where('id', '>', afterId);
  return (await query.execute()).map((r) => ({ ...r, created_at: num(r.created_at) }));
}

export async function insertPark(db: Db, row: ParkingParkRow): Promise<void> {
  await db.insertInto('parking_parks').values(row).execute();
}

const rowToOrg = (r: ParkingOrgRow): ParkingOrgRow => ({
  ...r,
  level: num(r.level),
  is_leaf: num(r.is_leaf),
  is_used: num(r.is_used),
  seq: num(r.seq),
});

/** Level-1 orgs of a park, or the children of the level-1 org whose org_code is `parentOrgCode`. */
export async function listOrgs(db: Db, parkId: string, parentOrgCode?: string): Promise<ParkingOrgRow[]> {
  let query = db.selectFrom('parking_orgs').selectAll().where('park_id', '=', parkId);
  if (parentOrgCode === undefined) {
    query = query.where('level', '=', 1);
  } else {
    const parents = db
      .selectFrom('parking_orgs')
      .select('level_code')
      .where('park_id', '=', parkId)
      .where('level', '=', 1)
      .where('org_code', '=', parentOrgCode);
    query = query.where('level', '=', 2).where('parent_level_code', 'in', parents);
  }
  const rows = await query.orderBy('seq').orderBy('org_code').execute();
  return rows.map(rowToOrg);
}

export async function insertOrgs(db: Db, rows: readonly ParkingOrgRow[]): Promise<void> {
  if (rows.length)
    await db
      .insertInto('parking_orgs')
      .values([...rows])
      .execute();
}

/** Marks a level-1 org as having children (is_leaf 1). */
export async function markOrgParent(db: Db, parkId: string, levelCode: string): Promise<void> {
  await db
    .updateTable('parking_orgs')
    .set({ is_leaf: 1 })
    .where('park_id', '=', parkId)
    .where('level_code', '=', levelCode)
    .execute();
}

/** Every org of the park, both levels, in the order each level lists them (seq, then org code). */
export async function listOrgTree(db: Db, parkId: string): Promise<ParkingOrgRow[]> {
  const rows = await db
    .selectFrom('parking_orgs')
    .selectAll()
    .where('park_id', '=', parkId)
    .orderBy('level')
    .orderBy('seq')
    .orderBy('org_code')
    .execute();
  return rows.map(rowToOrg);
}

export async function listExtras(db: Db, parkId: string): Promise<ParkingExtraRow[]> {
  const rows = await db
    .selectFrom('parking_extras')
    .selectAll()
    .where('park_id', '=', parkId)
    .orderBy('seq')
    .orderBy('code')
    .execute();
  return rows.map((r) => ({ ...r, seq: num(r.seq), required: num(r.required) }));
}

export async function insertExtras(db: Db, rows: readonly ParkingExtraRow[]): Promise<void> {
  if (rows.length)
    await db
      .insertInto('parking_extras')
      .values([...rows])
      .execute();
}

// --- Products and their priced versions

const rowToProduct = (row: ParkingProductRow): ParkingProductRow => ({
  ...row,
  unit_count: num(row.unit_count),
  audit_before_pay: num(row.audit_before_pay),
  active: num(row.active),
  created_at: num(row.created_at),
});

export async function findProduct(db: Db, productId: string): Promise<ParkingProductRow | undefined> {
  const row = await db
    .selectFrom('parking_products')
    .selectAll()
    .where('id', '=', productId)
    .executeTakeFirst();
  return row && rowToProduct(row);
}

/** Holds the product's row until the transaction ends (a no-op update: SQLite has no FOR UPDATE). */
export async function lockProduct(trx: Db, productId: string): Promise<void> {
  await trx
    .updateTable('parking_products')
    .set((eb) => ({ active: eb.ref('active') }))
    .where('id', '=', productId)
    .execute();
}

/** The parks' products, each park's oldest first (the first active one is what new cards are opened for). */
export async function listProducts(db: Db, parkIds: readonly string[]): Promise<ParkingProductRow[]> {
  if (!parkIds.length) return [];
  const rows = await db
    .selectFrom('parking_products')
    .selectAll()
    .where('park_id', 'in', parkIds)
    .orderBy('park_id')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(rowToProduct);
}

/** The park's first active product (the one a new user's card is opened for). */
export async function findFirstActiveProduct(db: Db, parkId: string): Promise<ParkingProductRow | undefined> {
  const row = await db
    .selectFrom('parking_products')
    .select('id')
    .where('park_id', '=', parkId)
    .where('active', '=', 1)
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  return row && findProduct(db, row.id);
}

export async function insertProduct(
  db: Db,
  row: Omit<ParkingProductRow, 'active'> & { active?: number },
): Promise<void> {
  await db.insertInto('parking_products').values(row).execute();
}

/** The product's current prices: its newest version. */
export async function findCurrentVersion(
  db: Db,
  productId: string,
): Promise<ParkingProductVersionRow | undefined> {
  const row = await db
    .selectFrom('parking_product_versions')
    .selectAll()
    .where('product_id', '=', productId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row && rowToVersion(row);
}

/** The current (newest) version of each of the parks' products that has one, by product id. */
export async function findCurrentVersions(
  db: Db,
  parkIds: readonly string[],
): Promise<Map<string, ParkingProductVersionRow>> {
  if (!parkIds.length) return new Map();
  const rows = await db
    .selectFrom('parking_product_versions as v')
    .innerJoin('parking_products as p', 'p.id', 'v.product_id')
    .selectAll('v')
    .where('p.park_id', 'in', parkIds)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('parking_product_versions as n')
            .select(ONE)
            .whereRef('n.product_id', '=', 'v.product_id')
            .where((eb) =>
              eb.or([
                eb('n.created_at', '>', eb.ref('v.created_at')),
                eb.and([eb('n.created_at', '=', eb.ref('v.created_at')), eb('n.id', '>', eb.ref('v.id'))]),
              ]),
            ),
        ),
      ),
    )
    .execute();
  return new Map(rows.map((row) => [row.product_id, rowToVersion(row)]));
}

function rowToVersion(row: ParkingProductVersionRow): ParkingProductVersionRow {
  return {
    ...row,
    inside_price_fen: num(row.inside_price_fen),
    outside_price_fen: num(row.outside_price_fen),
    created_at: num(row.created_at),
  };
}

export async function insertVersion(db: Db, row: ParkingProductVersionRow): Promise<void> {
  await db.insertInto('parking_product_versions').values(row).execute();
}

// --- Users and the openIds bound to them

export async function findUser(db: Db, userId: string): Promise<ParkingUserRow | undefined> {
  const row = await db.selectFrom('parking_users').selectAll().where('id', '=', userId).executeTakeFirst();
  return row && rowToUser(row);
}

export async function findUserByPhoneHash(
  db: Db,
  parkId: string,
  phoneHash: string,
): Promise<ParkingUserRow | undefined> {
  const row = await db
    .selectFrom('parking_users')
    .selectAll()
    .where('park_id', '=', parkId)
    .where('phone_hash', '=', phoneHash)
    .executeTakeFirst();
  return row && rowToUser(row);
}

export async function insertUser(db: Db, row: NewParkingUserRow): Promise<void> {
  await db.insertInto('parking_users').values(row).execute();
}

export async function updateUser(
  db: Db,
  userId: string,
  set: Partial<Omit<ParkingUserRow, 'id' | 'park_id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('parking_users').set(set).where('id', '=', userId).execute();
}

/**
 * Touches the user's row, so on PostgreSQL it stays locked until the transaction ends: the
 * plate count a decision is made on cannot change under it. False when there is no such user.
 */
export async function lockUser(db: Db, userId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('parking_users')
    .set({ updated_at: now })
    .where('id', '=', userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The user bound to `openId`, in one statement. */
export async function findUserByOpenId(db: Db, openId: string): Promise<ParkingUserRow | undefined> {
  const row = await db
    .selectFrom('parking_users')
    .selectAll()
    .where('id', '=', (eb) =>
      eb.selectFrom('parking_openids').select('user_id').where('open_id', '=', openId),
    )
    .executeTakeFirst();
  return row && rowToUser(row);
}

/**
 * The id of the user an openId is bound to: one probe of parking_openids, whose foreign key
 * keeps the user there (joining parking_users to be sure costs SQLite three times as much).
 */
export async function findUserIdByOpenId(db: Db, openId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('parking_openids')
    .select('user_id')
    .where('open_id', '=', openId)
    .executeTakeFirst();
  return row?.user_id;
}

/** Binds `openId` to `userId` alone: whatever either was bound to before is let go. */
export async function bindOpenId(db: Db, openId: string, userId: string, now: number): Promise<void> {
  await db
    .deleteFrom('parking_openids')
    .where((eb) => eb.or([eb('open_id', '=', openId), eb('user_id', '=', userId)]))
    .execute();
  await db
    .insertInto('parking_openids')
    .values({ open_id: openId, user_id: userId, bound_at: now })
    .execute();
}

// --- Sessions

export async function insertSession(
  db: Db,
  row: { token_hash: string; open_id: string; expires_at: number; created_at: number },
): Promise<void> {
  await db.insertInto('parking_sessions').values(row).execute();
}

export async function findSession(
  db: Db,
  tokenHash: string,
  now: number,
): Promise<{ open_id: string; expires_at: number } | undefined> {
  const row = await db
    .selectFrom('parking_sessions')
    .select(['open_id', 'expires_at'])
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row && { open_id: row.open_id, expires_at: Number(row.expires_at) };
}

export async function deleteExpiredSessions(db: Db, now: number): Promise<number> {
  const result = await db.deleteFrom('parking_sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// --- Plates

export async function listPlates(db: Db, userId: string): Promise<ParkingPlateRow[]> {
  const rows = await db
    .selectFrom('parking_plates')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, id: num(r.id), created_at: num(r.created_at) }));
}

/** Who holds each of `carNums` in the park. */
export async function findPlateOwners(
  db: Db,
  parkId: string,
  carNums: readonly string[],
): Promise<Map<string, string>> {
  if (!carNums.length) return new Map();
  const rows = await db
    .selectFrom('parking_plates')
    .select(['car_num', 'user_id'])
    .where('park_id', '=', parkId)
    .where('car_num', 'in', [...carNums])
    .execute();
  return new Map(rows.map((r) => [r.car_num, r.user_id]));
}

export async function insertPlates(
  db: Db,
  rows: ReadonlyArray<{
    park_id: string;
    user_id: string;
    car_num: string;
    channel: string;
    created_at: number;
  }>,
): Promise<void> {
  if (rows.length)
    await db
      .insertInto('parking_plates')
      .values([...rows])
      .execute();
}

export async function deletePlates(db: Db, userId: string, carNums: readonly string[]): Promise<number> {
  if (!carNums.length) return 0;
  const result = await db
    .deleteFrom('parking_plates')
    .where('user_id', '=', userId)
    .where('car_num', 'in', [...carNums])
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

// --- Cards and (read only here) their orders

export async function listCards(db: Db, userId: string): Promise<ParkingCardRow[]> {
  const rows = await db
    .selectFrom('parking_cards')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(rowToCard);
}

export async function findCard(db: Db, cardId: string): Promise<ParkingCardRow | undefined> {
  const row = await db.selectFrom('parking_cards').selectAll().where('id', '=', cardId).executeTakeFirst();
  return row && rowToCard(row);
}

export async function insertCard(db: Db, row: NewParkingCardRow): Promise<void> {
  await db.insertInto('parking_cards').values(row).execute();
}

// --- The user's view (calls 1 and 2) in one statement

// Every column of each row the view carries: SQLite's json_object needs them named, and the
// compiler checks none is missing.
const USER_COLUMNS = Object.keys({
  id: true,
  park_id: true,
  name: true,
  phone_enc: true,
  phone_hash: true,
  phone_masked: true,
  code: true,
  duplicate_code: true,
  department: true,
  first_org_name: true,
  first_org_code: true,
  second_org_name: true,
  second_org_code: true,
  address: true,
  created_at: true,
  updated_at: true,
} satisfies Record<keyof ParkingUserRow, true>) as Array<keyof ParkingUserRow>;

const PLATE_COLUMNS = Object.keys({
  id: true,
  park_id: true,
  user_id: true,
  car_num: true,
  channel: true,
  created_at: true,
} satisfies Record<keyof ParkingPlateRow, true>) as Array<keyof ParkingPlateRow>;

const CARD_COLUMNS = Object.keys({
  id: true,
  park_id: true,
  user_id: true,
  product_id: true,
  product_v_id: true,
  card_type: true,
  state: true,
  start_dt: true,
  end_dt: true,
  renew_end_dt: true,
  last_order_id: true,
  remark: true,
  created_at: true,
  updated_at: true,
  version: true,
  reminded_end_dt: true,
} satisfies Record<keyof ParkingCardRow, true>) as Array<keyof ParkingCardRow>;

// The states as literals in the SQL, not bound values: parking_orders_one_open is a partial
// index on state '01', and a statement whose plan rests on a bound value is prepared again by
// SQLite on every run (150 µs for this one).
const OPEN = sql.lit<'01'>('01');
const PAID = [sql.lit<'03'>('03'), sql.lit<'21'>('21'), sql.lit<'22'>('22')];

// What a card's view shows of its product, price version and last order: the rest of those
// rows (the order's extra_info above all, a JSON of every uploaded item) would be built into
// JSON by SQLite and parsed again on every read for nothing.
const VIEW_PRODUCT_COLUMNS = ['id', 'name', 'unit_type', 'rent_type', 'active'] as const;
const VIEW_VERSION_COLUMNS = ['id', 'inside_price_fen', 'outside_price_fen'] as const;
const VIEW_ORDER_COLUMNS = [
  'id',
  'state',
  'price_type',
  'is_audit_before_pay',
  'audit_state',
  'amount_fen',
] as const;
export type ParkingViewProduct = Pick<ParkingProductRow, (typeof VIEW_PRODUCT_COLUMNS)[number]>;
export type ParkingViewVersion = Pick<ParkingProductVersionRow, (typeof VIEW_VERSION_COLUMNS)[number]>;
export type ParkingViewOrder = Pick<ParkingOrderRow, (typeof VIEW_ORDER_COLUMNS)[number]>;

/**
 * A user as calls 1 and 2 show them, as one row: the user's columns; their plates and cards as
 * nested lists (each card with its product, version and last order nested, and whether an order
 * of it is open); whether they ever paid online; whether any card of theirs has an open order.
 * With `cardId`, the cards list holds that card of theirs alone. The lists carry their place
 * (seq) in the order the separate reads gave, as json_agg and json_group_array do not promise
 * their input's order.
 */
function selectUserView(db: Db, cardId?: string) {
  const { jsonArrayFrom, jsonObjectFrom } = jsonNesting(db);
  return db
    .selectFrom('parking_users as u')
    .select(USER_COLUMNS.map((c) => `u.${c}` as const))
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('parking_plates as p')
          .select(PLATE_COLUMNS.map((c) => `p.${c}` as const))
          .select(sql<number>`row_number() over (order by p.created_at, p.id)`.as('seq'))
          .whereRef('p.user_id', '=', 'u.id'),
      ).as('plates'),
      jsonArrayFrom(
        eb
          .selectFrom('parking_cards as c')
          .select(CARD_COLUMNS.map((c) => `c.${c}` as const))
          .select((cb) => [
            sql<number>`row_number() over (order by c.created_at, c.id)`.as('seq'),
            jsonObjectFrom(
              cb
                .selectFrom('parking_products as pr')
                .select(VIEW_PRODUCT_COLUMNS.map((c) => `pr.${c}` as const))
                .whereRef('pr.id', '=', 'c.product_id'),
            ).as('product'),
            jsonObjectFrom(
              cb
                .selectFrom('parking_product_versions as pv')
                .select(VIEW_VERSION_COLUMNS.map((c) => `pv.${c}` as const))
                .whereRef('pv.id', '=', 'c.product_v_id'),
            ).as('version_row'),
            jsonObjectFrom(
              cb
                .selectFrom('parking_orders as lo')
                .select(VIEW_ORDER_COLUMNS.map((c) => `lo.${c}` as const))
                .whereRef('lo.id', '=', 'c.last_order_id'),
            ).as('last_order'),
            cb
              .exists(
                cb
                  .selectFrom('parking_orders as oo')
                  .select(ONE)
                  .whereRef('oo.card_id', '=', 'c.id')
                  .where('oo.state', '=', OPEN),
              )
              .as('has_open_order'),
          ])
          .whereRef('c.user_id', '=', 'u.id')
          .$if(cardId !== undefined, (q) => q.where('c.id', '=', cardId!)),
      ).as('cards'),
      // An order is its card's user's (call 6 takes only the caller's own card), so both flags
      // are probes of parking_orders_user_state alone.
      eb
        .exists(
          eb
            .selectFrom('parking_orders as po')
            .select(ONE)
            .whereRef('po.user_id', '=', 'u.id')
            .where('po.state', 'in', PAID),
        )
        .as('bought_online'),
      eb
        .exists(
          eb
            .selectFrom('parking_orders as co')
            .select(ONE)
            .whereRef('co.user_id', '=', 'u.id')
            .where('co.state', '=', OPEN),
        )
        .as('has_conflict'),
    ]);
}

const userViewById = preparedQuery(1, (db, userId: string) => selectUserView(db).where('u.id', '=', userId));

type InUserView = ExpressionBuilder<Database & { u: ParkingUserTable }, 'u'>;

/** The user bound to `openId` (a subquery: a join through parking_openids plans 3× slower). */
const boundTo = (eb: InUserView, openId: Expression<string> | string) =>
  eb.selectFrom('parking_openids as b').select('b.user_id').where('b.open_id', '=', openId);

const userViewByOpenIdAndCard = preparedQuery(2, (db, openId: string, cardId: string) =>
  selectUserView(db, cardId).where('u.id', '=', (eb) => boundTo(eb, openId)),
);

const userViewByOpenId = preparedQuery(1, (db, openId: string) =>
  selectUserView(db).where('u.id', '=', (eb) => boundTo(eb, openId)),
);

/**
 * The same for a session token not yet proved: the session's openId (and its end, for the
 * session cache) found inside the view's own statement, so a caller's first read of a page is
 * one statement, not a session lookup and then the view.
 */
function selectUserViewBySession(db: Db, tokenHash: string, now: number, cardId?: string) {
  const session = (eb: InUserView) =>
    eb
      .selectFrom('parking_sessions as s')
      .where('s.token_hash', '=', tokenHash)
      .where('s.expires_at', '>', now);
  return selectUserView(db, cardId)
    .select((eb) => [
      session(eb).select('s.open_id').as('session_open_id'),
      session(eb).select('s.expires_at').as('session_expires_at'),
    ])
    .where('u.id', '=', (eb) => boundTo(eb, session(eb).select('s.open_id').$asScalar()));
}

const userViewBySession = preparedQuery(2, (db, tokenHash: string, now: number) =>
  selectUserViewBySession(db, tokenHash, now),
);

const userViewBySessionAndCard = preparedQuery(3, (db, tokenHash: string, now: number, cardId: string) =>
  selectUserViewBySession(db, tokenHash, now, cardId),
);

type UserViewRow = NonNullable<Awaited<ReturnType<typeof userViewById.first>>>;

/** The rows behind a user's view (see selectUserView). */
export interface ParkingUserViewRows {
  user: ParkingUserRow;
  plates: ParkingPlateRow[];
  cards: Array<{
    card: ParkingCardRow;
    product: ParkingViewProduct | undefined;
    version: ParkingViewVersion | undefined;
    lastOrder: ParkingViewOrder | undefined;
    hasOpenOrder: boolean;
  }>;
  boughtOnline: boolean;
  hasConflict: boolean;
}

function toUserViewRows(row: UserViewRow): ParkingUserViewRows {
  const { plates, cards, bought_online, has_conflict, ...user } = row;
  return {
    user: rowToUser(user),
    plates: unnest(plates)
      .sort((a, b) => num(a.seq) - num(b.seq))
      .map(({ seq: _seq, ...p }) => ({ ...p, id: num(p.id), created_at: num(p.created_at) })),
    cards: unnest(cards)
      .sort((a, b) => num(a.seq) - num(b.seq))
      .map(({ seq: _seq, product, version_row, last_order, has_open_order, ...card }) => {
        // The nested rows are what JSON gave; the row mappers make every number a number.
        const p = (product ?? undefined) as ParkingViewProduct | undefined;
        const v = (version_row ?? undefined) as ParkingViewVersion | undefined;
        const o = (last_order ?? undefined) as ParkingViewOrder | undefined;
        return {
          card: rowToCard(card),
          product: p && { ...p, active: num(p.active) },
          version: v && {
            ...v,
            inside_price_fen: num(v.inside_price_fen),
            outside_price_fen: num(v.outside_price_fen),
          },
          lastOrder: o && {
            ...o,
            amount_fen: num(o.amount_fen),
            is_audit_before_pay: num(o.is_audit_before_pay),
          },
          hasOpenOrder: Boolean(num(has_open_order)),
        };
      }),
    boughtOnline: Boolean(num(bought_online)),
    hasConflict: Boolean(num(has_conflict)),
  };
}

/** A user's view with all their cards, in one statement. */
export async function findUserViewById(db: Db, userId: string): Promise<ParkingUserViewRows | undefined> {
  const row = await userViewById.first(db, userId);
  return row && toUserViewRows(row);
}

/**
 * The view of the user bound to `openId`, in one statement: with all their cards, or with
 * `cardId` the cards list holding that card of theirs alone (empty when it is not theirs).
 */
export async function findUserViewByOpenId(
  db: Db,
  openId: string,
  cardId?: string,
): Promise<ParkingUserViewRows | undefined> {
  const row =
    cardId === undefined
      ? await userViewByOpenId.first(db, openId)
      : await userViewByOpenIdAndCard.first(db, openId, cardId);
  return row && toUserViewRows(row);
}

/** A user's view found through a live session (see selectUserViewBySession). */
export interface ParkingSessionView {
  rows: ParkingUserViewRows;
  openId: string;
  sessionExpiresAt: number;
}

/**
 * The view of the user bound to the openId of the live session `tokenHash` (with their card
 * `cardId` alone, when given), in one statement; none when the session is not live or its openId
 * is bound to no user.
 */
export async function findUserViewBySession(
  db: Db,
  tokenHash: string,
  now: number,
  cardId?: string,
): Promise<ParkingSessionView | undefined> {
  const row =
    cardId === undefined
      ? await userViewBySession.first(db, tokenHash, now)
      : await userViewBySessionAndCard.first(db, tokenHash, now, cardId);
  if (!row) return undefined;
  const { session_open_id, session_expires_at, ...view } = row;
  return {
    rows: toUserViewRows(view),
    openId: session_open_id!,
    sessionExpiresAt: Number(session_expires_at),
  };
}
