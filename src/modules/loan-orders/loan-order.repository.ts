import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import { jsonNesting, unnest } from '../../platform/db/json-nesting.js';
import { preparedQuery, preparedRowStatement } from '../../platform/db/prepared-query.js';
import type { Database } from '../../platform/db/schema.js';
import { updateFromExcluded } from '../../platform/db/update-from-excluded.js';
import type {
  LoanOrderCustomerTable,
  LoanOrderPersonTable,
  LoanOrderRow,
  NewLoanOrderRow,
  PersonRole,
} from './loan-order.table.js';
import type { Stage } from './loan-order-state.js';

type Db = Kysely<Database>;

const orderBySonOrderId = preparedQuery(1, (db, sonOrderId: string) =>
  db.selectFrom('loan_orders').selectAll().where('son_order_id', '=', sonOrderId),
);

export async function findOrderBySonOrderId(db: Db, sonOrderId: string): Promise<LoanOrderRow | undefined> {
  return orderBySonOrderId.first(db, sonOrderId);
}

export async function insertOrder(db: Db, row: NewLoanOrderRow): Promise<number> {
  const inserted = await db.insertInto('loan_orders').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/**
 * Applies `patch` only if nobody changed the order since it was read (same version) and it is
 * still where the caller saw it; answers whether it did. This is what makes two concurrent
 * passes of one order end with exactly one winner on both databases.
 */
export async function updateOrderIfUnchanged(
  db: Db,
  order: Pick<LoanOrderRow, 'id' | 'version'>,
  patch: Partial<Omit<LoanOrderRow, 'id' | 'version'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('loan_orders')
    .set({ ...patch, version: order.version + 1 })
    .where('id', '=', order.id)
    .where('version', '=', order.version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function findAgentByMobileHash(db: Db, mobileHash: string) {
  return db.selectFrom('agents').selectAll().where('mobile_hash', '=', mobileHash).executeTakeFirst();
}

export async function insertAgent(
  db: Db,
  row: {
    realname: string;
    mobile_enc: string;
    mobile_hash: string;
    mobile_masked: string;
    created_at: number;
  },
): Promise<number> {
  const inserted = await db.insertInto('agents').values(row).returning('u_id').executeTakeFirstOrThrow();
  return Number(inserted.u_id);
}

export async function renameAgent(db: Db, uId: number, realname: string): Promise<void> {
  await db.updateTable('agents').set({ realname }).where('u_id', '=', uId).execute();
}

const SHEET_ORDER_COLUMNS = [
  'id',
  'son_order_id',
  'order_type',
  'city',
  'agent_id',
  'customer_name',
  'appointment_time',
  'mianqian_opt_time',
  'loan_money',
  'loan_limit',
  'production_no',
  'yueding_lilv',
  'service_fee',
  'house_cert_no',
  'house_city',
  'house_address',
  'house_type',
  'guihuayongtu',
  'house_size',
  'built_in',
  'mortgage_type',
  'before_one_arrived',
  'before_two_arrived',
  'pg_money_shilian',
  'pg_money_renda',
] as const;

/**
 * Everything the detail page shows of one order as one row: the order's columns, its agent and
 * customer details as nested objects, its people (borrower, spouse, co-borrower) as a nested list.
 * One statement, so one snapshot and one round trip; separate lookups in a transaction cost the
 * detail page a third more.
 */
function selectSheet(db: Db) {
  const { jsonArrayFrom, jsonObjectFrom } = jsonNesting(db);
  return db
    .selectFrom('loan_orders as o')
    .select(SHEET_ORDER_COLUMNS)
    .select((eb) => [
      jsonObjectFrom(
        eb
          .selectFrom('agents')
          .select(['u_id', 'realname', 'mobile_enc'])
          .whereRef('agents.u_id', '=', 'o.agent_id'),
      ).as('agent'),
      jsonObjectFrom(
        eb
          .selectFrom('loan_order_customers')
          .select([
            'marital_tatus',
            'marry_date',
            'lihun_date',
            'month_income',
            'address',
            'second_address',
            'emergency_contact',
            'emergency_mobile_enc',
            'emergency_relationship',
            'property2_owner',
            'common_proportion',
            'gongjie_status',
          ])
          .whereRef('loan_order_customers.order_id', '=', 'o.id'),
      ).as('customer'),
      jsonArrayFrom(
        eb
          .selectFrom('loan_order_people')
          .select([
            'role',
            'name',
            'mobile_enc',
            'id_card_enc',
            'domicile',
            'unit',
            'is_execute',
            'unit_is_execute',
          ])
          .whereRef('loan_order_people.order_id', '=', 'o.id'),
      ).as('people'),
    ]);
}

const sheetById = preparedQuery(1, (db, id: number) => selectSheet(db).where('o.id', '=', id));

const detailBySonOrderId = preparedQuery(1, (db, sonOrderId: string) => {
  const { jsonArrayFrom } = jsonNesting(db);
  return selectSheet(db)
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('loan_order_pictures')
          .select(['hpc_id', eb.fn.countAll<number>().as('n')])
          .whereRef('loan_order_pictures.order_id', '=', 'o.id')
          .groupBy('hpc_id'),
      ).as('picture_counts'),
      jsonArrayFrom(
        eb
          .selectFrom('loan_order_suggestions')
          .select(['id', 'content', 'suggest_type', 'created_at'])
          .whereRef('loan_order_suggestions.order_id', '=', 'o.id'),
      ).as('suggestions'),
    ])
    .where('o.son_order_id', '=', sonOrderId);
});

type SheetRow = NonNullable<Awaited<ReturnType<typeof sheetById.first>>>;

function toSheet({ agent, customer, people, ...order }: SheetRow) {
  return {
    order: { ...order, id: Number(order.id) },
    agent: unnest(agent) ?? undefined,
    customer: unnest(customer) ?? undefined,
    people: unnest(people),
  };
}

export type OrderSheet = ReturnType<typeof toSheet>;

/** The order with its agent, customer details and people, found by its internal id. */
export async function findOrderSheet(db: Db, id: number): Promise<OrderSheet | undefined> {
  const row = await sheetById.first(db, id);
  return row && toSheet(row);
}

/** The order as the detail page shows it: its sheet, pictures per category, and suggestions. */
export async function findOrderDetailSheet(db: Db, sonOrderId: string) {
  const row = await detailBySonOrderId.first(db, sonOrderId);
  if (!row) return undefined;
  const { picture_counts, suggestions, ...sheet } = row;
  return {
    ...toSheet(sheet),
    pictureCounts: new Map(unnest(picture_counts).map((c) => [c.hpc_id, Number(c.n)])),
    // json_agg and json_group_array do not promise their input's order.
    suggestions: unnest(suggestions)
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map(({ id: _id, ...s }) => ({ ...s, created_at: Number(s.created_at) })),
  };
}

const PERSON_COLUMNS: Record<keyof LoanOrderPersonTable, true> = {
  order_id: true,
  role: true,
  name: true,
  mobile_enc: true,
  mobile_hash: true,
  mobile_masked: true,
  id_card_enc: true,
  id_card_hash: true,
  md5_hash: true,
  domicile: true,
  unit: true,
  is_execute: true,
  unit_is_execute: true,
};
const personUpsert = preparedRowStatement<LoanOrderPersonTable>(PERSON_COLUMNS, (db, row) =>
  db
    .insertInto('loan_order_people')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['order_id', 'role']).doUpdateSet(updateFromExcluded(PERSON_COLUMNS, ['order_id', 'role'])),
    ),
);

export async function upsertPerson(db: Db, row: LoanOrderPersonTable): Promise<void> {
  await personUpsert.run(db, row);
}

// The person is matched on its key and identity hashes; the rest is what a re-save may change.
const PERSON_DETAIL_COLUMNS = {
  order_id: true,
  role: true,
  mobile_hash: true,
  id_card_hash: true,
  name: true,
  domicile: true,
  unit: true,
  is_execute: true,
  unit_is_execute: true,
} as const satisfies Partial<typeof PERSON_COLUMNS>;
/** What a re-save of an unchanged person (same mobile, same ID number) names. */
export type PersonDetails = Pick<LoanOrderPersonTable, keyof typeof PERSON_DETAIL_COLUMNS>;
// Leaving the sealed columns out of the SET spares their three hash indexes a rewrite, and the
// ID number and mobile a fresh encryption, when a clerk saves the same person again.
const personDetailsUpdate = preparedRowStatement<PersonDetails>(PERSON_DETAIL_COLUMNS, (db, row) => {
  const { order_id, role, mobile_hash, id_card_hash, ...details } = row;
  return db
    .updateTable('loan_order_people')
    .set(details)
    .where('order_id', '=', order_id)
    .where('role', '=', role)
    .where('mobile_hash', '=', mobile_hash)
    .where('id_card_hash', '=', id_card_hash);
});

/**
 * Updates the person's other details if the order already holds this role with this mobile and
 * ID number; answers whether it did (otherwise the caller seals and upserts the whole person).
 */
export async function updatePersonDetailsIfSameIdentity(db: Db, row: PersonDetails): Promise<boolean> {
  return (await personDetailsUpdate.run(db, row)) === 1;
}

// Two roles at most go (the borrower stays); one to remove is named twice.
const peopleRemoval = preparedQuery(3, (db, orderId: number, role: PersonRole, alsoRole: PersonRole) =>
  db.deleteFrom('loan_order_people').where('order_id', '=', orderId).where('role', 'in', [role, alsoRole]),
);

/** Removes the order's spouse and/or co-borrower. */
export async function deletePeople(
  db: Db,
  orderId: number,
  roles: readonly Exclude<PersonRole, 'customer'>[],
): Promise<void> {
  const [role, alsoRole] = roles;
  if (role !== undefined) await peopleRemoval.run(db, orderId, role, alsoRole ?? role);
}

const CUSTOMER_COLUMNS: Record<keyof LoanOrderCustomerTable, true> = {
  order_id: true,
  marital_tatus: true,
  marry_date: true,
  lihun_date: true,
  month_income: true,
  address: true,
  second_address: true,
  emergency_contact: true,
  emergency_mobile_enc: true,
  emergency_relationship: true,
  property2_owner: true,
  common_proportion: true,
  gongjie_status: true,
  updated_at: true,
};
const customerUpsert = preparedRowStatement<LoanOrderCustomerTable>(CUSTOMER_COLUMNS, (db, row) =>
  db
    .insertInto('loan_order_customers')
    .values(row)
    .onConflict((oc) =>
      oc.column('order_id').doUpdateSet(updateFromExcluded(CUSTOMER_COLUMNS, ['order_id'])),
    ),
);

export async function upsertCustomer(db: Db, row: LoanOrderCustomerTable): Promise<void> {
  await customerUpsert.run(db, row);
}

/** The newest order in which this ID number is the borrower. */
export async function findLatestOrderIdOfBorrower(db: Db, idCardHash: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('loan_order_people')
    .select('order_id')
    .where('id_card_hash', '=', idCardHash)
    .where('role', '=', 'customer')
    .orderBy('order_id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.order_id) : undefined;
}

export async function insertSuggestion(
  db: Db,
  row: {
    order_id: number;
    suggest_type: number;
    content: string;
    staff_id: number | null;
    created_at: number;
  },
): Promise<void> {
  await db.insertInto('loan_order_suggestions').values(row).execute();
}

type PictureCategory = Awaited<ReturnType<typeof readPictureCategories>>[number];
const pictureCategories = new WeakMap<Db, Promise<PictureCategory[]>>();

function readPictureCategories(db: Db) {
  return db.selectFrom('picture_categories').selectAll().orderBy('sort').execute();
}

/** Reference data that only a migration changes: read once per database handle. */
export function listPictureCategories(db: Db): Promise<PictureCategory[]> {
  let categories = pictureCategories.get(db);
  if (!categories) {
    categories = readPictureCategories(db);
    pictureCategories.set(db, categories);
  }
  return categories;
}

export async function insertPicture(
  db: Db,
  row: { order_id: number; hpc_id: number; file_name: string; created_at: number },
): Promise<void> {
  await db.insertInto('loan_order_pictures').values(row).execute();
}

export interface DeskKey {
  desk: Stage | null;
  city: string;
  is_bohui: number;
}

/** Moves one order between count buckets; a null desk is not counted. */
export async function adjustDeskCount(db: Db, key: DeskKey, delta: number): Promise<void> {
  if (key.desk === null || delta === 0) return;
  await db
    .insertInto('loan_order_desk_counts')
    .values({ desk: key.desk, city: key.city, is_bohui: key.is_bohui, n: delta })
    .onConflict((oc) =>
      oc.columns(['desk', 'city', 'is_bohui']).doUpdateSet((eb) => ({
        n: eb('loan_order_desk_counts.n', '+', eb.ref('excluded.n')),
      })),
    )
    .execute();
}

// A desk has at most one bucket per (city, 驳回): four rows to add up, no GROUP BY needed.
const deskBuckets = preparedQuery(1, (db, desk: Stage) =>
  db.selectFrom('loan_order_desk_counts').select(['is_bohui', 'n']).where('desk', '=', desk),
);
const deskCityBuckets = preparedQuery(2, (db, desk: Stage, city: string) =>
  db
    .selectFrom('loan_order_desk_counts')
    .select(['is_bohui', 'n'])
    .where('desk', '=', desk)
    .where('city', '=', city),
);

export async function sumDeskCounts(
  db: Db,
  desk: Stage,
  city: string | undefined,
): Promise<{ total: number; bohui: number }> {
  const rows =
    city === undefined ? await deskBuckets.all(db, desk) : await deskCityBuckets.all(db, desk, city);
  let total = 0;
  let bohui = 0;
  for (const row of rows) {
    const n = Number(row.n);
    total += n;
    if (row.is_bohui === 1) bohui += n;
  }
  return { total, bohui };
}

/** Recomputes the count buckets from the orders themselves (after a bulk load or as a check). */
export async function rebuildDeskCounts(db: Db): Promise<void> {
  await db.deleteFrom('loan_order_desk_counts').execute();
  await db
    .insertInto('loan_order_desk_counts')
    .columns(['desk', 'city', 'is_bohui', 'n'])
    .expression((eb) =>
      eb
        .selectFrom('loan_orders')
        .select(['desk', 'city', 'is_bohui', eb.fn.countAll().as('n')])
        .where('desk', 'is not', null)
        .groupBy(['desk', 'city', 'is_bohui']),
    )
    .execute();
}

/** The next free sequence number of a minute, atomically on both databases. */
export async function nextSonOrderSequence(db: Db, minute: string): Promise<number> {
  const row = await db
    .insertInto('son_order_id_sequences')
    .values({ minute, last: 1 })
    .onConflict((oc) =>
      oc.column('minute').doUpdateSet((eb) => ({ last: eb('son_order_id_sequences.last', '+', 1) })),
    )
    .returning('last')
    .executeTakeFirstOrThrow();
  return row.last;
}

export interface DeskFilter {
  desk: Stage;
  city?: string;
  isBohui?: boolean;
  customerName?: string;
  /** Orders already narrowed by an exact lookup (the borrower's mobile). */
  orderIds?: readonly number[];
  /** Agents already narrowed by exact lookups (name, mobile). */
  agentIds?: readonly number[];
  appointment?: { start: number; end: number };
  mianqianOpt?: { start: number; end: number };
}

/** True when the filter needs only the count buckets, so no rows have to be counted. */
export function isBucketFilter(f: DeskFilter): boolean {
  return (
    f.customerName === undefined &&
    f.orderIds === undefined &&
    f.agentIds === undefined &&
    f.appointment === undefined &&
    f.mianqianOpt === undefined
  );
}

/** The borrower's orders by mobile: resolved first so the desk query starts from a few ids. */
export async function findOrderIdsByBorrowerMobile(db: Db, mobileHash: string): Promise<number[]> {
  const rows = await db
    .selectFrom('loan_order_people')
    .select('order_id')
    .where('mobile_hash', '=', mobileHash)
    .where('role', '=', 'customer')
    .execute();
  return rows.map((r) => Number(r.order_id));
}

export async function findAgentIds(
  db: Db,
  by: { realname?: string; mobileHash?: string },
): Promise<number[]> {
  let query = db.selectFrom('agents').select('u_id');
  if (by.realname !== undefined) query = query.where('realname', '=', by.realname);
  if (by.mobileHash !== undefined) query = query.where('mobile_hash', '=', by.mobileHash);
  return (await query.execute()).map((r) => Number(r.u_id));
}

function deskWhere(f: DeskFilter, withBohui: boolean) {
  return (eb: ExpressionBuilder<Database, 'loan_orders'>): Expression<SqlBool> => {
    const and: Expression<SqlBool>[] = [eb('loan_orders.desk', '=', f.desk)];
    if (f.city !== undefined) and.push(eb('loan_orders.city', '=', f.city));
    if (withBohui && f.isBohui) and.push(eb('loan_orders.is_bohui', '=', 1));
    if (f.customerName !== undefined) and.push(eb('loan_orders.customer_name', '=', f.customerName));
    if (f.orderIds !== undefined) and.push(eb('loan_orders.id', 'in', [...f.orderIds]));
    if (f.agentIds !== undefined) and.push(eb('loan_orders.agent_id', 'in', [...f.agentIds]));
    if (f.appointment) {
      and.push(eb('loan_orders.appointment_time', '>=', f.appointment.start));
      and.push(eb('loan_orders.appointment_time', '<', f.appointment.end));
    }
    if (f.mianqianOpt) {
      and.push(eb('loan_orders.mianqian_opt_time', '>=', f.mianqianOpt.start));
      and.push(eb('loan_orders.mianqian_opt_time', '<', f.mianqianOpt.end));
    }
    return eb.and(and);
  };
}

/** Counts rows for filters the buckets cannot answer; these filters are selective by nature. */
export async function countDeskRows(db: Db, f: DeskFilter): Promise<{ total: number; bohui: number }> {
  const row = await db
    .selectFrom('loan_orders')
    .select([
      (eb) => eb.fn.countAll<number>().as('total'),
      (eb) => eb.fn.coalesce(eb.fn.sum<number>('loan_orders.is_bohui'), sql<number>`0`).as('bohui'),
    ])
    .where(deskWhere(f, false))
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), bohui: Number(row.bohui) };
}

/**
 * One page of the desk, newest first by the order's own time (rows are not written in time
 * order: the seeder appends older orders), in one statement. The page's ids are picked from the
 * index alone (the inner query), and only those rows are joined to borrower and agent, so a deep
 * page costs an index walk, not thousands of joins.
 */
function deskPageQuery(db: Db, f: DeskFilter, limit: number, offset: number) {
  return db
    .selectFrom('loan_orders')
    .leftJoin('loan_order_people', (join) =>
      join
        .onRef('loan_order_people.order_id', '=', 'loan_orders.id')
        .on('loan_order_people.role', '=', 'customer'),
    )
    .leftJoin('agents', 'agents.u_id', 'loan_orders.agent_id')
    .select([
      'loan_orders.son_order_id',
      'loan_orders.customer_name',
      'loan_order_people.mobile_masked as customer_mobile',
      'agents.realname as user_name',
      'agents.mobile_masked as user_mobile',
      'loan_orders.city',
      'loan_orders.house_city',
      'loan_orders.house_address',
      'loan_orders.is_bohui',
      'loan_orders.appointment_time',
      'loan_orders.face_trial_time',
      'loan_orders.mianqian_opt_time',
    ])
    .where('loan_orders.id', 'in', (eb) =>
      eb
        .selectFrom('loan_orders')
        .select('loan_orders.id')
        .where(deskWhere(f, true))
        .orderBy('loan_orders.created_at', 'desc')
        .orderBy('loan_orders.id', 'desc')
        .limit(limit)
        .offset(offset),
    )
    .orderBy('loan_orders.created_at', 'desc')
    .orderBy('loan_orders.id', 'desc');
}

// The pages nearly every visit asks for (all or one city, all or only 驳回) have fixed shapes.
function bucketPageQueries(isBohui: boolean) {
  return {
    anyCity: preparedQuery(3, (db, desk: Stage, limit: number, offset: number) =>
      deskPageQuery(db, { desk, isBohui }, limit, offset),
    ),
    oneCity: preparedQuery(4, (db, desk: Stage, city: string, limit: number, offset: number) =>
      deskPageQuery(db, { desk, city, isBohui }, limit, offset),
    ),
  };
}
const bucketPages = { open: bucketPageQueries(false), bohui: bucketPageQueries(true) };

export async function listDeskPage(db: Db, f: DeskFilter, limit: number, offset: number) {
  if (!isBucketFilter(f)) return deskPageQuery(db, f, limit, offset).execute();
  const pages = f.isBohui ? bucketPages.bohui : bucketPages.open;
  return f.city === undefined
    ? pages.anyCity.all(db, f.desk, limit, offset)
    : pages.oneCity.all(db, f.desk, f.city, limit, offset);
}

export async function listStagePage(db: Db, stage: Stage, limit: number, offset: number) {
  const open = (eb: ExpressionBuilder<Database, 'loan_orders'>) =>
    eb.and([eb('stage', '=', stage), eb('state', '=', 'open')]);
  const [count, rows] = await Promise.all([
    db
      .selectFrom('loan_orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(open)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('loan_orders')
      .select([
        'son_order_id',
        'customer_name',
        'city',
        'is_bohui',
        'bohui_stage',
        'appointment_time',
        'created_at',
      ])
      .where(open)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
  ]);
  return { total: Number(count.n), rows };
}

/** Borrowers the marketplace names by its md5(mobile + ID) hash, newest order first. */
export async function findBorrowersByMatchHash(db: Db, md5Hash: string) {
  return db
    .selectFrom('loan_order_people')
    .select(['order_id', 'name', 'mobile_enc', 'id_card_enc', 'id_card_hash'])
    .where('md5_hash', '=', md5Hash)
    .where('role', '=', 'customer')
    .orderBy('order_id', 'desc')
    .limit(20)
    .execute();
}

/** Every order in which this ID number is the borrower: the marketplace check's history. */
export async function findOrdersOfBorrower(db: Db, idCardHash: string) {
  return db
    .selectFrom('loan_orders')
    .innerJoin('loan_order_people', 'loan_order_people.order_id', 'loan_orders.id')
    .select([
      'loan_orders.state',
      'loan_orders.is_bohui',
      'loan_orders.bad_record',
      'loan_orders.loan_limit',
      'loan_orders.created_at',
      'loan_orders.updated_at',
    ])
    .where('loan_order_people.id_card_hash', '=', idCardHash)
    .where('loan_order_people.role', '=', 'customer')
    .execute();
}

/** The borrower by full ID number (their newest order), for binding a card. */
export async function findBorrowerByIdCardHash(db: Db, idCardHash: string) {
  return db
    .selectFrom('loan_order_people')
    .select(['order_id', 'name', 'mobile_enc', 'id_card_hash'])
    .where('id_card_hash', '=', idCardHash)
    .where('role', '=', 'customer')
    .orderBy('order_id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
