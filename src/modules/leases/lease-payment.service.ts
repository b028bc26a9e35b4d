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
import { giveDeposit, lockDeposit, type Tenant, takeDeposit } from '../tenants/index.js';
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
import { settleDepositRefund } from './lease-retirement.service.js';
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
    const amount = Number(installment.amount);
    // What an earlier attempt (the open payment) set aside is the new attempt's to use again.
    const reserved = Number(installment.deposit_reserved);
    const open = await findOpenPayment(trx, INSTALLMENT_PURPOSE, String(installment.id));
    const fromDeposit = request.useDeposit
      ? Math.min((await lockDeposit(trx, tenant.id)) + reserved, amount)
      : 0;
    const payment = await openDepositFirst(
      trx,
      tenant,
      INSTALLMENT_PURPOSE,
      String(installment.id),
      amount,
      fromDeposit,
      now,
    );
    // The open payment answered again (same amount) keeps its reservation; otherwise the one it
    // replaced gives back what it set aside and the new one takes its own.
    if (Number(payment.id) !== Number(open?.id)) {
      await giveBackReservation(trx, tenant.id, installment, open, now);
      await takeDeposit(
        trx,
        tenant.id,
        {
          key: `deposit.take:${payment.id}`,
          amount: fromDeposit,
          counterpart: 'leases',
          ledger: 'deposit.take',
          subject: `lease_installment:${installment.id}`,
        },
        now,
      );
      await setInstallmentReservation(trx, installment.id, fromDeposit);
    }
    if (payment.status === 'paid') await markInstallmentPaid(trx, installment, now);
    return payment;
  });
  return answerPay(deps, payment, { description: '房租', clientIp });
}

/**
 * What the installment's open payment set aside from the deposit comes back (its payment is being
 * replaced, or failed). The reservation always belongs to the installment's open payment; one
 * without an open payment cannot arise, and would still come back, under a key of its own.
 */
async function giveBackReservation(
  trx: Db,
  tenantId: number,
  installment: InstallmentRow,
  owner: PaymentRow | undefined,
  now: number,
): Promise<void> {
  const reserved = Number(installment.deposit_reserved);
  if (reserved <= 0) return;
  await giveDeposit(
    trx,
    tenantId,
    {
      key: owner
        ? `deposit.give:${owner.id}`
        : `deposit.give:lease_installment:${installment.id}:${reserved}:${now}`,
      amount: reserved,
      counterpart: 'leases',
      ledger: 'deposit.give',
      subject: `lease_installment:${installment.id}`,
    },
    now,
  );
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
    // What the open booking payment set aside from the deposit is this attempt's to use again.
    const open = await findOpenPayment(trx, BOOKING_PURPOSE, String(lease.id));
    const reserved = open ? Math.max(fee - Number(open.amount), 0) : 0;
    const fromDeposit = request.useDeposit
      ? Math.min((await lockDeposit(trx, tenant.id)) + reserved, fee)
      : 0;
    const payment = await openDepositFirst(
      trx,
      tenant,
      BOOKING_PURPOSE,
      String(lease.id),
      fee,
      fromDeposit,
      now,
    );
    if (Number(payment.id) !== Number(open?.id)) {
      if (open) await giveBackBookingReservation(trx, tenant.id, open, reserved, now);
      await takeDeposit(
        trx,
        tenant.id,
        {
          key: `deposit.take:${payment.id}`,
          amount: fromDeposit,
          counterpart: 'leases',
          ledger: 'deposit.take',
          subject: `lease_booking:${lease.id}`,
        },
        now,
      );
    }
    if (payment.status === 'paid') await markBooked(trx, lease.id, tenant.id, fee, payment, now);
    return payment;
  });
}

/** What a booking payment set aside from the deposit comes back (replaced, failed, or booked). */
function giveBackBookingReservation(
  trx: Db,
  tenantId: number,
  payment: PaymentRow,
  reserved: number,
  now: number,
): Promise<void> {
  return giveDeposit(
    trx,
    tenantId,
    {
      key: `deposit.give:${payment.id}`,
      amount: reserved,
      counterpart: 'leases',
      ledger: 'deposit.give',
      subject: `lease_booking:${payment.subject_id}`,
    },
    now,
  );
}

/**
 * The booking is paid and the whole fee becomes deposit held for the tenant: what the deposit
 * set aside towards it comes back, and what WeChat collected (`booking:<out_trade_no>`) moves
 * from WeChat's clearing account into the deposit.
 */
async function markBooked(
  trx: Db,
  leaseId: number,
  tenantId: number,
  fee: number,
  payment: PaymentRow,
  now: number,
): Promise<void> {
  await setLeaseBooked(trx, leaseId, now);
  const fromWechat = payment.channel === 'deposit' ? 0 : Number(payment.amount);
  await giveBackBookingReservation(trx, tenantId, payment, fee - fromWechat, now);
  await giveDeposit(
    trx,
    tenantId,
    {
      key: `booking:${payment.out_trade_no}`,
      amount: fromWechat,
      counterpart: 'wechat',
      ledger: 'booking',
      subject: `lease_booking:${leaseId}`,
      metadata: payment.transaction_id ? { transaction_id: payment.transaction_id } : null,
    },
    now,
  );
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
    async onFailed(trx, payment, now) {
      await releaseReservation(trx, payment, now);
    },
    onRefundSettled: settleDepositRefund,
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
      await markBooked(trx, booking.leaseId, booking.tenantId, booking.fee, payment, now);
    },
    async onFailed(trx, payment, now) {
      // What the held deposit paid towards the fee goes back to it.
      const booking = await getLeaseBooking(trx, Number(payment.subject_id));
      await giveBackBookingReservation(
        trx,
        booking.tenantId,
        payment,
        booking.fee - Number(payment.amount),
        now,
      );
    },
    onRefundSettled: settleDepositRefund,
  },
};

/**
 * Money WeChat took for a payment already given up on goes to the deposit the platform holds
 * for the tenant, where the next payment can use it (or a refund return it), with an audit row.
 */
async function creditPayer(trx: Db, payment: PaymentRow, now: number): Promise<void> {
  const tenantId = Number(payment.payer.slice('tenant:'.length));
  await giveDeposit(
    trx,
    tenantId,
    {
      key: `credit:${payment.out_trade_no}`,
      amount: Number(payment.amount),
      counterpart: 'wechat',
      ledger: 'credit',
      subject: `${payment.purpose}:${payment.subject_id}`,
      metadata: payment.transaction_id ? { transaction_id: payment.transaction_id } : null,
    },
    now,
  );
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

async function releaseReservation(trx: Db, payment: PaymentRow, now: number): Promise<void> {
  const installment = await getInstallment(trx, Number(payment.subject_id));
  const tenantId = await getLeaseTenantId(trx, installment.lease_id);
  await giveBackReservation(trx, tenantId, installment, payment, now);
  await setInstallmentReservation(trx, installment.id, 0);
}
