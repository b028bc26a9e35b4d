import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { Database } from '../../database.js';
import type { EscrowState } from './escrow-state.js';

const ESCROW_LIST_COLUMNS = [
  'id',
  'house_order_no',
  'source',
  'source_no',
  'template_id',
  'service_type',
  'store_id',
  'state',
  'deadline_at',
  'created_at',
  'updated_at',
] as const;

/**
 * The escrow orders for the staff's list, newest first, offset-paged with the filter's count.
 * The state filter is the state staff see: an invitation past its deadline counts as timed out
 * before the job has moved it (`effectiveState`); both read escrow_orders_due (state, deadline_at).
 */
export async function listEscrowOrders(
  db: Kysely<Database>,
  filter: { state: EscrowState | undefined; now: number },
  offset: number,
  limit: number,
) {
  const where = escrowOrderWhere(filter);
  const [count, rows] = await Promise.all([
    db
      .selectFrom('escrow_orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(where)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('escrow_orders')
      .select(ESCROW_LIST_COLUMNS)
      .where(where)
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
  ]);
  return { total: Number(count.n), rows };
}

/** The list's state filter as staff see it (see listEscrowOrders). */
export function escrowOrderWhere(filter: { state: EscrowState | undefined; now: number }) {
  return (eb: ExpressionBuilder<Database, 'escrow_orders'>): Expression<SqlBool> => {
    const { state, now } = filter;
    if (state === 'inviting') return eb.and([eb('state', '=', 'inviting'), eb('deadline_at', '>', now)]);
    if (state === 'timed_out')
      return eb.or([
        eb('state', '=', 'timed_out'),
        eb.and([eb('state', '=', 'inviting'), eb('deadline_at', '<=', now)]),
      ]);
    return state === undefined ? eb.lit(true) : eb('state', '=', state);
  };
}

/** A keyset page of the list (id descending, older than `beforeId`) for the export: one statement. */
export function listEscrowOrdersBefore(
  db: Kysely<Database>,
  filter: { state: EscrowState | undefined; now: number },
  beforeId: number | undefined,
  limit: number,
) {
  let query = db
    .selectFrom('escrow_orders')
    .select(ESCROW_LIST_COLUMNS)
    .where(escrowOrderWhere(filter))
    .orderBy('id', 'desc')
    .limit(limit);
  if (beforeId !== undefined) query = query.where('id', '<', beforeId);
  return query.execute();
}
