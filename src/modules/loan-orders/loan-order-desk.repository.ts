import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../../database.js';
import { preparedQuery } from '../../database.js';
import type { Stage } from './loan-order-state.js';

type Db = Kysely<Database>;

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

export interface DeskFilter {
  desk: Stage;
  /**
   * Every open order at the stage `desk`, those returned to it included, instead of the orders
   * on its desk: 客服's work list, where an order returned by a later stage is worked on again
   * (the desk column keeps it on the returning stage's desk, for that stage to follow up).
   */
  wholeStage?: boolean;
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
    // The buckets count desks; a whole stage spans several desks' 驳回 rows.
    !f.wholeStage &&
    f.customerName === undefined &&
    f.orderIds === undefined &&
    f.agentIds === undefined &&
    f.appointment === undefined &&
    f.mianqianOpt === undefined
  );
}

function deskWhere(f: DeskFilter, withBohui: boolean) {
  return (eb: ExpressionBuilder<Database, 'loan_orders'>): Expression<SqlBool> => {
    // A whole stage reads loan_orders_stage (stage, state, created_at, id), a desk its own index.
    const and: Expression<SqlBool>[] = f.wholeStage
      ? [eb('loan_orders.stage', '=', f.desk), eb('loan_orders.state', '=', 'open')]
      : [eb('loan_orders.desk', '=', f.desk)];
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
function deskPageQuery(db: Db, f: DeskFilter, limit: number, offset: number, after?: DeskKeyset) {
  return db
    .selectFrom('loan_orders')
    .leftJoin('loan_order_people', (join) =>
      join
        .onRef('loan_order_people.order_id', '=', 'loan_orders.id')
        .on('loan_order_people.role', '=', 'customer'),
    )
    .leftJoin('agents', 'agents.u_id', 'loan_orders.agent_id')
    .select([
      'loan_orders.id',
      'loan_orders.created_at',
      'loan_orders.son_order_id',
      'loan_orders.customer_name',
      'loan_order_people.mobile_masked as customer_mobile',
      'agents.realname as user_name',
      'agents.mobile_masked as user_mobile',
      'loan_orders.city',
      'loan_orders.house_city',
      'loan_orders.house_address',
      'loan_orders.is_bohui',
      'loan_orders.bohui_stage',
      'loan_orders.appointment_time',
      'loan_orders.face_trial_time',
      'loan_orders.mianqian_opt_time',
    ])
    .where('loan_orders.id', 'in', (eb) => {
      const desk = eb.selectFrom('loan_orders').select('loan_orders.id').where(deskWhere(f, true));
      return (after === undefined ? desk : desk.where(olderThan(after)))
        .orderBy('loan_orders.created_at', 'desc')
        .orderBy('loan_orders.id', 'desc')
        .limit(limit)
        .offset(offset);
    })
    .orderBy('loan_orders.created_at', 'desc')
    .orderBy('loan_orders.id', 'desc');
}

/** Where a keyset page of a desk starts: after the last row of the page before. */
export interface DeskKeyset {
  created_at: number;
  id: number;
}

// The list's order is (created_at, id) descending: the next page is what sorts after the last row.
const olderThan =
  (key: DeskKeyset) =>
  (eb: ExpressionBuilder<Database, 'loan_orders'>): Expression<SqlBool> =>
    eb.or([
      eb('loan_orders.created_at', '<', key.created_at),
      eb.and([eb('loan_orders.created_at', '=', key.created_at), eb('loan_orders.id', '<', key.id)]),
    ]);

/**
 * A keyset page of the desk for an export: each page one index walk from the last row, so the
 * thousandth page costs what the first does (an offset would walk every row before it).
 */
export function listDeskAfter(db: Db, f: DeskFilter, after: DeskKeyset | undefined, limit: number) {
  return deskPageQuery(db, f, limit, 0, after).execute();
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
