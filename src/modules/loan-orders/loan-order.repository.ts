import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { preparedQuery } from '../../database.js';
import type { LoanOrderRow, NewLoanOrderRow } from './loan-order.table.js';

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
