import { type Kysely, sql } from 'kysely';
import type { Database } from '../../database.js';
import type { RefundRow } from './refund.table.js';

type Db = Kysely<Database>;

/**
 * Inserts a requested refund only while the payment has room for it: the payment collected money
 * through WeChat (paid or credited) and its refunds not failed, this one included, stay within
 * what it collected — one conditional statement, run under the payment's row lock (the caller
 * took it), so two requests against one payment cannot both see the same room. Answers the row,
 * or undefined when there was no room.
 */
export async function insertRefundIfRoom(
  db: Db,
  input: { outRefundNo: string; paymentId: number; amount: number; reason: string; now: number },
): Promise<RefundRow | undefined> {
  const result = await sql<RefundRow>`
    insert into refunds (out_refund_no, payment_id, amount, status, reason, created_at, updated_at)
    select cast(${input.outRefundNo} as text), p.id, cast(${input.amount} as bigint), 'requested',
      cast(${input.reason} as text), cast(${input.now} as bigint), cast(${input.now} as bigint)
    from payments p
    where p.id = ${input.paymentId}
      and p.status in ('paid', 'credited')
      and p.channel in ('wechat_app', 'wechat_jsapi')
      and p.amount >= ${input.amount} + (
        select coalesce(sum(r.amount), 0) from refunds r
        where r.payment_id = p.id and r.status <> 'failed')
    returning *`.execute(db);
  return result.rows[0];
}

/** What a payment may still refund: its amount less its refunds not failed. */
export async function refundedOf(db: Db, paymentId: number): Promise<number> {
  const row = await db
    .selectFrom('refunds')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.val(0)).as('total'))
    .where('payment_id', '=', paymentId)
    .where('status', '<>', 'failed')
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

export async function findRefund(db: Db, outRefundNo: string): Promise<RefundRow | undefined> {
  return db.selectFrom('refunds').selectAll().where('out_refund_no', '=', outRefundNo).executeTakeFirst();
}

/** The refund, its row locked until the transaction ends. */
export async function lockRefund(db: Db, outRefundNo: string): Promise<RefundRow | undefined> {
  return db
    .selectFrom('refunds')
    .selectAll()
    .where('out_refund_no', '=', outRefundNo)
    .forUpdate()
    .executeTakeFirst();
}

/** Moves a requested refund to its outcome; false when it was no longer requested. */
export async function settleRefundRow(
  db: Db,
  id: number,
  patch: {
    status: 'succeeded' | 'failed';
    refund_id?: string | null;
    failure_reason?: string | null;
    now: number;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('refunds')
    .set({
      status: patch.status,
      ...(patch.refund_id ? { refund_id: patch.refund_id } : {}),
      failure_reason: patch.failure_reason ?? null,
      settled_at: patch.now,
      updated_at: patch.now,
    })
    .where('id', '=', id)
    .where('status', '=', 'requested')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** WeChat accepted the request (its refund id when it gave one). */
export async function markRefundSent(
  db: Db,
  id: number,
  refundId: string | null,
  now: number,
): Promise<void> {
  await db
    .updateTable('refunds')
    .set({ sent_at: now, updated_at: now, ...(refundId ? { refund_id: refundId } : {}) })
    .where('id', '=', id)
    .where('status', '=', 'requested')
    .execute();
}

/** Refunds still requested, untouched since `before`: what the reconciliation asks WeChat about. */
export async function listOpenRefunds(db: Db, before: number, limit: number): Promise<RefundRow[]> {
  return db
    .selectFrom('refunds')
    .selectAll()
    .where('status', '=', 'requested')
    .where('updated_at', '<=', before)
    .orderBy('updated_at')
    .limit(limit)
    .execute();
}
