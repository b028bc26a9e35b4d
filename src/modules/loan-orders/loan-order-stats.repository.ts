import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../database.js';
import { ORDER_STATES, STAGES, type Stage } from './loan-order-state.js';

type Db = Kysely<Database>;

/** The orders a dashboard looks at: those created in [from, to). */
export interface StatsRange {
  from: number;
  to: number;
}

const list = (values: readonly string[]) => sql.join(values.map((v) => sql.lit(v)));

/**
 * The cohort as an index range: every stage and state listed lets both databases walk
 * loan_orders_stage (stage, state, created_at, id) as 18 ranges of created_at, not the table.
 */
const cohort = (range: StatsRange) => sql`o.stage in (${list(STAGES)}) and o.state in (${list(ORDER_STATES)})
  and o.created_at >= ${range.from} and o.created_at < ${range.to}`;

/** The cohort's orders by where they are now: stage, state and city. */
export async function countOrders(db: Db, range: StatsRange) {
  const { rows } = await sql<{ stage: Stage; state: string; city: string; n: number | string }>`
    select o.stage, o.state, o.city, count(*) as n from loan_orders o
    where ${cohort(range)}
    group by o.stage, o.state, o.city`.execute(db);
  return rows.map((row) => ({ ...row, n: Number(row.n) }));
}

// The moves a stay or a decision is made of (saves write audit rows too, without moving).
const MOVES = ['create', 'pass', 'return_kefu', 'stop'] as const;

/**
 * The cohort's moves. CROSS JOIN makes SQLite walk the cohort's orders first and look each one's
 * rows up in audit_log_entity (left to itself it scans every loan order's audit rows); PostgreSQL
 * reads it as the inner join it is and plans it from its statistics.
 */
const cohortMoves = (range: StatsRange) => sql`loan_orders o cross join audit_log a
  where a.entity = 'loan_order' and a.entity_id = o.son_order_id and a.action in (${list(MOVES)})
  and ${cohort(range)}`;

/**
 * The decisions taken on the cohort, by the position they were taken from (`describePosition`
 * text: a handful of distinct values, parsed by the caller).
 */
export async function countDecisions(db: Db, range: StatsRange) {
  const { rows } = await sql<{ action: string; from_state: string | null; n: number | string }>`
    select a.action, a.from_state, count(*) as n from ${cohortMoves(range)}
      and a.action <> 'create'
    group by a.action, a.from_state`.execute(db);
  return rows.map((row) => ({ ...row, n: Number(row.n) }));
}

/** The stage a `describePosition` text names when the order is open there; null otherwise. */
const openStageOf = (column: RawBuilder<unknown>) =>
  sql`case ${sql.join(
    STAGES.map(
      (s) => sql`when ${column} = ${sql.lit(s)} or ${column} like ${sql.lit(`${s} (%`)} then ${sql.lit(s)}`,
    ),
    sql` `,
  )} end`;

/**
 * How long the cohort's orders stayed at each stage: a stay runs from the move that brought the
 * order to a stage to the next move (LEAD over the order's audit rows in id order, which the
 * audit_log_entity index already keeps). Stays still running are not counted. The median is the
 * middle stay (the mean of the two middle ones for an even count), ranked in SQL.
 */
export async function stageStays(db: Db, range: StatsRange) {
  const { rows } = await sql<{
    stage: Stage;
    stays: number | string;
    total_ms: number | string;
    median_ms: number | string;
  }>`
    with moves as (
      select ${openStageOf(sql.ref('a.to_state'))} as stage, a.created_at,
        lead(a.created_at) over (partition by a.entity_id order by a.id) as left_at
      from ${cohortMoves(range)}
    ), stays as (
      select stage, left_at - created_at as ms from moves where stage is not null and left_at is not null
    ), ranked as (
      select stage, ms, row_number() over (partition by stage order by ms) as rn,
        count(*) over (partition by stage) as n
      from stays
    )
    select stage, count(*) as stays, sum(ms) as total_ms,
      avg(case when rn in ((n + 1) / 2, (n + 2) / 2) then ms end) as median_ms
    from ranked group by stage`.execute(db);
  return rows.map((row) => ({
    stage: row.stage,
    stays: Number(row.stays),
    totalMs: Number(row.total_ms),
    medianMs: Number(row.median_ms),
  }));
}
