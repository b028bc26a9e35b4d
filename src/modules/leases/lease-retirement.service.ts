import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import type { Database } from '../../database.js';
import { isTransientConflict, retrying } from '../../platform/db/transaction-retry.js';
import { recordAudit } from '../audit/index.js';
import {
  listRefundSources,
  type PaymentRow,
  type RefundRow,
  refundableOf,
  requestRefund,
  sendRefund,
} from '../payments/index.js';
import { giveDeposit, holdDeposit, lockDeposit, resolveDepositHold } from '../tenants/index.js';
import {
  findLeaseDepositInstallment,
  findPaidPayment,
  hasLeaseInStatus,
  listRetiredDepositInstallments,
  lockLease,
  updateLeaseIfUnchanged,
} from './lease.repository.js';
import type { LeaseDeps } from './lease-deps.js';
import { BOOKING_PURPOSE, INSTALLMENT_PURPOSE } from './lease-payment.service.js';
import { INSTALLMENT_PAID, LEASE_STATUS, RUNNING_STATUSES } from './lease-state.js';

type Db = Kysely<Database>;

/** The ledger key of a refund's hold on the deposit, and of its post / void. */
export const refundHoldKey = (outRefundNo: string) => `refund:${outRefundNo}`;

/**
 * 退租完成: a lease moving out (5) has moved out (6). First the lease's own 押金 (the
 * `deposit_part` of its first installment, paid with the first rent) becomes deposit held for the
 * tenant (`lease.deposit:<lease id>`, the part WeChat collected, and `lease.deposit.applied:<lease
 * id>`, the part the held deposit paid). Then, if the tenant has no other lease still
 * running (0–5), the deposit the platform holds for them goes back through WeChat's refund API,
 * against the WeChat payments that brought it in (paid booking fees and credited payments, newest
 * first, each at most what it still may refund; then the first installments of their moved-out
 * leases, each at most the 押金 WeChat collected with it — never its rent), in one transaction with the state change:
 * a `refunds` row per payment (requested) and the ledger hold `refund:<out_refund_no>`
 * (deposit → `wechat:refunds`, `deposit_held` lowered with it). WeChat is asked after the commit.
 * Locks: the lease, then the tenant's deposit, then each payment — so concurrent completions of
 * one lease queue and only the first moves it (and refunds); the others are refused.
 * What cannot go back through WeChat (an opening balance, more than its payments may refund)
 * stays held.
 */
export async function completeRetirement(
  deps: LeaseDeps,
  leaseId: number,
  actor: string,
  now: number,
): Promise<{ refunds: RefundRow[] }> {
  const refunds = await retrying(
    () => deps.db.transaction().execute((trx) => completeOnce(trx, leaseId, actor, now)),
    isTransientConflict,
  );
  for (const refund of refunds) await sendRefund(deps.payments, refund);
  return { refunds };
}

async function completeOnce(trx: Db, leaseId: number, actor: string, now: number): Promise<RefundRow[]> {
  const lease = await lockLease(trx, leaseId);
  if (!lease) throw new DomainError('not_found', '订单不存在');
  if (lease.status !== LEASE_STATUS.retiring)
    throw new DomainError('illegal_transition', '只有退租申请中的订单才能完成退租');
  const tenantId = Number(lease.tenant_id);
  const held = await lockDeposit(trx, tenantId);
  if (!(await updateLeaseIfUnchanged(trx, lease, { status: LEASE_STATUS.retired, updated_at: now })))
    throw new DomainError('conflict', '订单已变更，请重试');
  await recordAudit(trx, {
    actor,
    entity: 'lease',
    entity_id: String(lease.id),
    action: 'retired',
    from_state: String(LEASE_STATUS.retiring),
    to_state: String(LEASE_STATUS.retired),
    reason: null,
    created_at: now,
  });
  const returned = await returnLeaseDeposit(trx, lease.id, tenantId, now);
  // Another lease still running keeps the deposit: it may still pay towards it.
  if (held + returned <= 0 || (await hasLeaseInStatus(trx, tenantId, lease.id, RUNNING_STATUSES))) return [];
  const refunds: RefundRow[] = [];
  let remaining = held + returned;
  for (const { payment, cap } of await refundSources(trx, tenantId)) {
    if (remaining <= 0) break;
    const amount = Math.min(cap(await refundableOf(trx, payment)), remaining);
    if (amount <= 0) continue;
    const refund = await requestRefund(trx, {
      paymentId: Number(payment.id),
      amount,
      reason: `lease_retirement:${lease.id}`,
      now,
    });
    if (!refund) continue;
    await holdDeposit(
      trx,
      tenantId,
      {
        key: refundHoldKey(refund.out_refund_no),
        amount,
        counterpart: 'refunds',
        ledger: 'refund',
        subject: `lease_retirement:${lease.id}`,
        metadata: { out_trade_no: payment.out_trade_no },
      },
      now,
    );
    remaining -= amount;
    refunds.push(refund);
  }
  return refunds;
}

/** What part of a first installment's payment WeChat collected as 押金 (the rest of it is rent). */
function wechatDepositShare(payment: PaymentRow | undefined, depositPart: number): number {
  if (!payment || payment.channel === 'deposit') return 0;
  return Math.min(depositPart, Number(payment.amount));
}

/**
 * The lease's 押金 (its first installment's `deposit_part`) comes back into the deposit held for
 * the tenant, keyed by the lease so it moves once: what WeChat collected with that installment
 * from `wechat:clearing` (as a paid booking fee does), what the held deposit paid towards it from
 * `leases:from-deposit` (as a failed payment's reservation does). Answers the fen returned.
 */
async function returnLeaseDeposit(trx: Db, leaseId: number, tenantId: number, now: number): Promise<number> {
  const installment = await findLeaseDepositInstallment(trx, leaseId);
  if (!installment || installment.status !== INSTALLMENT_PAID) return 0;
  const depositPart = Number(installment.deposit_part);
  const payment = await findPaidPayment(trx, INSTALLMENT_PURPOSE, String(installment.id));
  const fromWechat = wechatDepositShare(payment, depositPart);
  const subject = `lease_installment:${installment.id}`;
  await giveDeposit(
    trx,
    tenantId,
    {
      key: `lease.deposit:${leaseId}`,
      amount: fromWechat,
      counterpart: 'wechat',
      ledger: 'lease.deposit',
      subject,
      metadata: payment ? { out_trade_no: payment.out_trade_no } : null,
    },
    now,
  );
  await giveDeposit(
    trx,
    tenantId,
    {
      key: `lease.deposit.applied:${leaseId}`,
      amount: depositPart - fromWechat,
      counterpart: 'leases',
      ledger: 'lease.deposit',
      subject,
    },
    now,
  );
  return depositPart;
}

/**
 * Where the held deposit can go back through WeChat, in order: paid booking fees and credited
 * payments (all of them deposit), newest first; then the first installments of the tenant's
 * moved-out leases, each capped at the 押金 WeChat collected with it, so their rent is never
 * refunded. `cap` turns what a payment may still refund into what the deposit may take of it.
 */
async function refundSources(
  trx: Db,
  tenantId: number,
): Promise<Array<{ payment: PaymentRow; cap: (refundable: number) => number }>> {
  const deposits = new Map(
    (await listRetiredDepositInstallments(trx, tenantId)).map((i) => [String(i.id), Number(i.deposit_part)]),
  );
  const all = await listRefundSources(trx, `tenant:${tenantId}`, [BOOKING_PURPOSE, INSTALLMENT_PURPOSE]);
  const isInstallment = (p: PaymentRow) => p.purpose === INSTALLMENT_PURPOSE && p.status === 'paid';
  const pool = all
    .filter((p) => !isInstallment(p))
    .map((payment) => ({ payment, cap: (refundable: number) => refundable }));
  const leaseDeposits = all.filter(isInstallment).flatMap((payment) => {
    const depositPart = deposits.get(payment.subject_id);
    if (depositPart === undefined) return [];
    // What WeChat collected as rent with it is never refundable here.
    const rent = Number(payment.amount) - wechatDepositShare(payment, depositPart);
    return [{ payment, cap: (refundable: number) => Math.max(refundable - rent, 0) }];
  });
  return [...pool, ...leaseDeposits];
}

/**
 * A refund of a tenant's payment settled at WeChat (the payments hook, in the settling
 * transaction): the hold is posted when the money went back, voided — the deposit held again —
 * when it did not.
 */
export async function settleDepositRefund(trx: Db, payment: PaymentRow, refund: RefundRow, now: number) {
  const tenantId = Number(payment.payer.slice('tenant:'.length));
  const succeeded = refund.status === 'succeeded';
  await resolveDepositHold(
    trx,
    tenantId,
    {
      key: `${succeeded ? 'refund.post' : 'refund.void'}:${refund.out_refund_no}`,
      pendingKey: refundHoldKey(refund.out_refund_no),
      outcome: succeeded ? 'post' : 'void',
    },
    now,
  );
  if (!succeeded) {
    await recordAudit(trx, {
      actor: 'payments',
      entity: 'tenant',
      entity_id: String(tenantId),
      action: 'deposit_refund_failed',
      from_state: null,
      to_state: null,
      reason: `refund ${refund.out_refund_no} failed: ${refund.amount} fen held again`,
      created_at: now,
    });
  }
}
