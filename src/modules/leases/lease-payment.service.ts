import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import { FieldReader, type RawInput } from '../../core/field-reader.js';
import type { Database } from '../../database.js';
import type { AppPayParams } from '../../platform/wechat-pay/v2-gateway.js';
import { recordAudit } from '../audit/index.js';
import {
  findOpenPayment,
  findPayment,
  openPayment,
  type PaymentHook,
  type PaymentRow,
  payWithRetries,
  requestAppPay,
} from '../payments/index.js';
import { giveDeposit, type Tenant, takeDeposit } from '../tenants/index.js';
import {
  getEntrustBookingFee,
  getInstallment,
  getInstallmentLeaseId,
  getLeaseBooking,
  getLeaseTenantId,
  hasInstallmentOfLease,
  hasUnpaidInstallmentBefore,
  lockInstallmentOfLease,
  lockInstallmentRow,
  lockLeaseRow,
  setInstallmentPaid,
  setInstallmentReservation,
  setLeaseBooked,
  setLeasePaidIfUnpaid,
} from './lease.repository.js';
import type { InstallmentRow } from './lease.table.js';
import { lockOwnLease, readId } from './lease-access.js';
import { type LeaseDeps, tenantRef } from './lease-deps.js';
import { LEASE_FIELD_LABELS } from './lease-form.validation.js';
import { INSTALLMENT_PAID, LEASE_STATUS, RETIRABLE_STATUSES } from './lease-state.js';

type Db = Kysely<Database>;

export const INSTALLMENT_PURPOSE = 'lease_installment';
export const BOOKING_PURPOSE = 'lease_booking';

function readPayInput(input: RawInput) {
  const r = new FieldReader(input, LEASE_FIELD_LABELS);
  const id = r.int('id', { required: true, min: 1 });
  const useDeposit = r.int('is_d_deposit', { required: true, oneOf: [0, 1] });
  const installmentId = r.int('u_p_id', { required: true, min: 1 });
  // 现在只做有微信支付: the only method is WeChat (1); absent means the same.
  r.int('payment_method', { oneOf: [1] });
  r.done();
  return { id: id!, useDeposit: useDeposit === 1, installmentId: installmentId! };
}

export type PayAnswer =
  | { id: number; paidByDeposit: true }
  | ({ id: number; paidByDeposit: false } & AppPayParams);

/**
 * 长租去支付: pays one installment. With is_d_deposit the deposit held for the tenant is used
 * first; if it covers the amount the installment is paid at once, otherwise WeChat collects the
 * rest and the part of the deposit set aside comes back if that payment fails or expires.
 * The lease and the installment are locked first, so concurrent pays of one installment
 * decide one after the other; a paid payment is unique per installment by constraint.
 */
export async function payInstallment(
  deps: LeaseDeps,
  tenant: Tenant,
  input: RawInput,
  context: { now: number; clientIp: string },
): Promise<PayAnswer> {
  const request = readPayInput(input);
  return payWithRetries(deps.payments, () => payInstallmentOnce(deps, tenant, request, context));
}

async function payInstallmentOnce(
  deps: LeaseDeps,
  tenant: Tenant,
  request: ReturnType<typeof readPayInput>,
  { now, clientIp }: { now: number; clientIp: string },
): Promise<PayAnswer> {
  const payment = await deps.db.transaction().execute(async (trx) => {
    const lease = await lockOwnLease(trx, tenant, request.id);
    const installment = await lockInstallmentOfLease(trx, lease.id, request.installmentId);
    if (!installment) throw DomainError.validation([{ field: 'u_p_id', error: '分期不属于该订单' }]);
    if (installment.status === INSTALLMENT_PAID) throw new DomainError('illegal_transition', '该期已支付');
    const payable =
      installment.seq === 1
        ? lease.status === LEASE_STATUS.unpaid
        : RETIRABLE_STATUSES.includes(lease.status);
    if (!payable) throw new DomainError('illegal_transition', '当前订单状态不能支付');
    if (await hasUnpaidInstallmentBefore(trx, lease.id, installment.seq)) {
      throw new DomainError('illegal_transition', '请先支付前一期');
    }
    // A new attempt first gives back what an earlier attempt set aside.
    await giveDeposit(trx, tenant.id, Number(installment.deposit_reserved));
    const amount = Number(installment.amount);
    const fromDeposit = request.useDeposit ? await takeDeposit(trx, tenant.id, amount) : 0;
    await setInstallmentReservation(trx, installment.id, fromDeposit);
    const payment = await openDepositFirst(
      trx,
      tenant,
      INSTALLMENT_PURPOSE,
      String(installment.id),
      amount,
      fromDeposit,
      now,
    );
    if (payment.status === 'paid') await markInstallmentPaid(trx, installment, now);
    return payment;
  });
  return answerPay(deps, payment, { description: '房租', clientIp });
}

/** Opens the payment of `amount` of which `fromDeposit` is already taken from the held deposit. */
function openDepositFirst(
  trx: Db,
  tenant: Tenant,
  purpose: string,
  subjectId: string,
  amount: number,
  fromDeposit: number,
  now: number,
) {
  const covered = fromDeposit === amount;
  return openPayment(trx, {
    purpose,
    subjectId,
    payer: tenantRef(tenant),
    amount: covered ? amount : amount - fromDeposit,
    channel: covered ? 'deposit' : 'wechat_app',
    now,
  });
}

/** Paid by the deposit: just its id; otherwise the APP parameters WeChat needs. */
async function answerPay(
  deps: LeaseDeps,
  payment: PaymentRow,
  input: { description: string; clientIp: string },
): Promise<PayAnswer> {
  if (payment.status === 'paid') return { id: Number(payment.id), paidByDeposit: true };
  const params = await requestAppPay(deps.payments, payment, input);
  return { id: Number(payment.id), paidByDeposit: false, ...params };
}

async function markInstallmentPaid(trx: Db, installment: InstallmentRow, now: number): Promise<void> {
  await setInstallmentPaid(trx, installment.id, now);
  if (installment.seq !== 1) return;
  if (await setLeasePaidIfUnpaid(trx, installment.lease_id, now)) {
    await recordAudit(trx, {
      actor: 'payments',
      entity: 'lease',
      entity_id: String(installment.lease_id),
      action: 'paid',
      from_state: String(LEASE_STATUS.unpaid),
      to_state: String(LEASE_STATUS.paid),
      reason: `installment ${installment.id}`,
      created_at: now,
    });
  }
}

/**
 * 长租预订: pays the house's booking fee (订金) for an unpaid order. The fee then sits in the
 * deposit the platform holds for the tenant, deducted later when asked. With is_d_deposit the
 * held deposit pays first; when it covers the fee the order is booked at once.
 */
export async function bookLease(
  deps: LeaseDeps,
  tenant: Tenant,
  input: RawInput,
  context: { now: number; clientIp: string },
): Promise<PayAnswer> {
  const request = readPayInput(input);
  const { now } = context;
  const payment = await payWithRetries(deps.payments, () => bookLeaseOnce(deps, tenant, request, now));
  return answerPay(deps, payment, { description: '房屋订金', clientIp: context.clientIp });
}

async function bookLeaseOnce(
  deps: LeaseDeps,
  tenant: Tenant,
  request: ReturnType<typeof readPayInput>,
  now: number,
): Promise<PaymentRow> {
  return deps.db.transaction().execute(async (trx) => {
    const lease = await lockOwnLease(trx, tenant, request.id);
    if (!(await hasInstallmentOfLease(trx, lease.id, request.installmentId))) {
      throw DomainError.validation([{ field: 'u_p_id', error: '分期不属于该订单' }]);
    }
    if (lease.status !== LEASE_STATUS.unpaid)
      throw new DomainError('illegal_transition', '只有未支付的订单可以预订');
    if (lease.booked === 1) throw new DomainError('illegal_transition', '该订单已预订');
    const fee = await getEntrustBookingFee(trx, lease.entrust_id);
    const open = await findOpenPayment(trx, BOOKING_PURPOSE, String(lease.id));
    if (open) await giveDeposit(trx, tenant.id, fee - Number(open.amount));
    const fromDeposit = request.useDeposit ? await takeDeposit(trx, tenant.id, fee) : 0;
    const payment = await openDepositFirst(
      trx,
      tenant,
      BOOKING_PURPOSE,
      String(lease.id),
      fee,
      fromDeposit,
      now,
    );
    if (payment.status === 'paid') await markBooked(trx, lease.id, tenant.id, fee, now);
    return payment;
  });
}

async function markBooked(
  trx: Db,
  leaseId: number,
  tenantId: number,
  fee: number,
  now: number,
): Promise<void> {
  await setLeaseBooked(trx, leaseId, now);
  await giveDeposit(trx, tenantId, fee);
  await recordAudit(trx, {
    actor: 'payments',
    entity: 'lease',
    entity_id: String(leaseId),
    action: 'booked',
    from_state: String(LEASE_STATUS.unpaid),
    to_state: String(LEASE_STATUS.unpaid),
    reason: `booking fee ${fee}`,
    created_at: now,
  });
}

/** 查询支付结果: 0 未支付, 1 支付成功, 2 支付失败 (failed or closed). */
export async function readPaymentResult(
  db: Db,
  tenant: Tenant,
  input: RawInput,
): Promise<{ total: number; status: 0 | 1 | 2 }> {
  const payment = await findPayment(db, readId(input));
  if (!payment || payment.payer !== tenantRef(tenant)) throw new DomainError('not_found', '支付记录不存在');
  return {
    total: Number(payment.amount),
    status: payment.status === 'paid' ? 1 : payment.status === 'created' ? 0 : 2,
  };
}

/** What a settled payment means for leases, run inside the settling transaction. */
export const LEASE_PAYMENT_HOOKS: Record<string, PaymentHook> = {
  [INSTALLMENT_PURPOSE]: {
    async lockSubject(trx, installmentId) {
      // The lease before its installment: the order the tenant's own pay takes them in.
      const leaseId = await getInstallmentLeaseId(trx, Number(installmentId));
      await lockLeaseRow(trx, leaseId);
      await lockInstallmentRow(trx, Number(installmentId));
    },
    async onPaidLate(trx, payment, now) {
      await creditPayer(trx, payment, now);
    },
    async onPaid(trx, payment, now) {
      const installment = await getInstallment(trx, Number(payment.subject_id));
      await markInstallmentPaid(trx, installment, now);
    },
    async onFailed(trx, payment) {
      await releaseReservation(trx, payment);
    },
  },
  [BOOKING_PURPOSE]: {
    async lockSubject(trx, leaseId) {
      await lockLeaseRow(trx, Number(leaseId));
    },
    async onPaidLate(trx, payment, now) {
      await creditPayer(trx, payment, now);
    },
    async onPaid(trx, payment, now) {
      const booking = await getLeaseBooking(trx, Number(payment.subject_id));
      await markBooked(trx, booking.leaseId, booking.tenantId, booking.fee, now);
    },
    async onFailed(trx, payment) {
      // What the held deposit paid towards the fee goes back to it.
      const booking = await getLeaseBooking(trx, Number(payment.subject_id));
      await giveDeposit(trx, booking.tenantId, booking.fee - Number(payment.amount));
    },
  },
};

/**
 * Money WeChat took for a payment already given up on goes to the deposit the platform holds
 * for the tenant, where the next payment can use it (or a refund return it), with an audit row.
 */
async function creditPayer(trx: Db, payment: PaymentRow, now: number): Promise<void> {
  const tenantId = Number(payment.payer.slice('tenant:'.length));
  await giveDeposit(trx, tenantId, Number(payment.amount));
  await recordAudit(trx, {
    actor: 'payments',
    entity: 'tenant',
    entity_id: String(tenantId),
    action: 'deposit_credit',
    from_state: null,
    to_state: null,
    reason: `payment ${payment.out_trade_no} paid after it was closed: ${payment.amount} fen`,
    created_at: now,
  });
}

async function releaseReservation(trx: Db, payment: PaymentRow): Promise<void> {
  const installment = await getInstallment(trx, Number(payment.subject_id));
  const tenantId = await getLeaseTenantId(trx, installment.lease_id);
  await giveDeposit(trx, tenantId, Number(installment.deposit_reserved));
  await setInstallmentReservation(trx, installment.id, 0);
}
