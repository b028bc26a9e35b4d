import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
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

/** The payment, its row locked until the transaction ends. */
export async function lockPayment(db: Db, id: number): Promise<PaymentRow> {
  return db.selectFrom('payments').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
}

/**
 * Records WeChat's prepay_id only while the payment is still open; false once it is not. The
 * version moves too, so a close decided on the row as it was before (no prepay_id, closed here
 * alone) fails its conditional update instead of hiding an order WeChat can be paid for.
 */
export async function setPrepayIdIfOpen(db: Db, id: number, prepayId: string): Promise<boolean> {
  const result = await db
    .updateTable('payments')
    .set((eb) => ({ prepay_id: prepayId, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('status', '=', 'created')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markWechatFinal(db: Db, id: number, at: number): Promise<void> {
  await db
    .updateTable('payments')
    .set({ wechat_final_at: at })
    .where('id', '=', id)
    .where('wechat_final_at', 'is', null)
    .execute();
}

/**
 * WeChat payments we closed or failed that WeChat has not confirmed final: a closed order may
 * still have been paid at WeChat, so reconciliation asks about each until WeChat says.
 */
export async function listUnconfirmedEndedPayments(db: Db, limit: number): Promise<PaymentRow[]> {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('status', 'in', ['closed', 'failed'])
    .where('wechat_final_at', 'is', null)
    .where('channel', '!=', 'deposit')
    .orderBy('updated_at')
    .limit(limit)
    .execute();
}

/** The subject's payment in `status` ('created' or 'paid': unique indexes allow one of each). */
export async function findSubjectPayment(
  db: Db,
  purpose: string,
  subjectId: string,
  status: 'created' | 'paid',
): Promise<PaymentRow | undefined> {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('purpose', '=', purpose)
    .where('subject_id', '=', subjectId)
    .where('status', '=', status)
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
