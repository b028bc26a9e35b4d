import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { Database } from '../../database.js';
import type { EscrowState } from './escrow-state.js';

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
  const where = (eb: ExpressionBuilder<Database, 'escrow_orders'>): Expression<SqlBool> => {
    const { state, now } = filter;
    if (state === 'inviting') return eb.and([eb('state', '=', 'inviting'), eb('deadline_at', '>', now)]);
    if (state === 'timed_out')
      return eb.or([
        eb('state', '=', 'timed_out'),
        eb.and([eb('state', '=', 'inviting'), eb('deadline_at', '<=', now)]),
      ]);
    return state === undefined ? eb.lit(true) : eb('state', '=', state);
  };
  const [count, rows] = await Promise.all([
    db
      .selectFrom('escrow_orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(where)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('escrow_orders')
      .select([
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
      ])
      .where(where)
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
  ]);
  return { total: Number(count.n), rows };
}
