import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { PaymentRow, PaymentTable } from './payment.table.js';

type Db = Kysely<Database>;

export async function insertPayment(db: Db, row: Omit<PaymentTable, 'id' | 'version'>): Promise<PaymentRow> {
  return db.insertInto('payments').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findPaymentByTradeNo(db: Db, outTradeNo: string): Promise<PaymentRow | undefined> {
  return db.selectFrom('payments').selectAll().where('out_trade_no', '=', outTradeNo).executeTakeFirst();
}

export async function findPaymentById(db: Db, id: number): Promise<PaymentRow | undefined> {
  return db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findOpenPayment(
  db: Db,
  purpose: string,
  subjectId: string,
): Promise<PaymentRow | undefined> {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('purpose', '=', purpose)
    .where('subject_id', '=', subjectId)
    .where('status', '=', 'created')
    .executeTakeFirst();
}

export async function updatePaymentIfUnchanged(
  db: Db,
  payment: Pick<PaymentRow, 'id' | 'version'>,
  patch: Partial<Omit<PaymentRow, 'id' | 'version'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('payments')
    .set({ ...patch, version: payment.version + 1 })
    .where('id', '=', payment.id)
    .where('version', '=', payment.version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Payments still open that were created before `before`: the reconciliation job's work. */
export async function listStalePayments(db: Db, before: number, limit: number): Promise<PaymentRow[]> {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('status', '=', 'created')
    .where('created_at', '<', before)
    .orderBy('id')
    .limit(limit)
    .execute();
}
