import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import { FieldReader, type RawInput } from '../../core/field-reader.js';
import { addMonths, formatShanghaiDate } from '../../core/time.js';
import type { Database } from '../../platform/db/schema.js';
import type { Pii } from '../../platform/pii.js';
import type { AppPayParams } from '../../platform/wechat-pay/v2-gateway.js';
import { recordAudit } from '../audit/index.js';
import {
  findPayment,
  openPayment,
  type PaymentDeps,
  type PaymentHook,
  type PaymentRow,
  payWithRetries,
  requestAppPay,
} from '../payments/index.js';
import { giveDeposit, type Tenant, takeDeposit } from '../tenants/index.js';
import type { InstallmentRow, LeaseRow } from './lease.table.js';
import { LEASE_FIELD_LABELS, readLeaseForm } from './lease-form.validation.js';
import {
  INSTALLMENT_PAID,
  INSTALLMENT_UNPAID,
  LEASE_STATUS,
  LONG_TERM_MODES,
  RETIRABLE_STATUSES,
} from './lease-state.js';

type Db = Kysely<Database>;

export interface LeaseDeps {
  db: Db;
  pii: Pii;
  payments: PaymentDeps;
}

export const INSTALLMENT_PURPOSE = 'lease_installment';
export const BOOKING_PURPOSE = 'lease_booking';
/** An unpaid lease order holds its house this long. */
export const UNPAID_LEASE_TTL_MS = 24 * 3_600_000;
const RENEWAL_MONTHS = [3, 6, 12];

const payer = (tenant: Tenant) => `tenant:${tenant.id}`;
const notFound = () => new DomainError('not_found', '订单不存在');

function readId(input: RawInput, field = 'id'): number {
  const r = new FieldReader(input, LEASE_FIELD_LABELS);
  const id = r.int(field, { required: true, min: 1 });
  r.done();
  return id!;
}

/** The contract offer of an entrusted house: the house, the handling agent, the payment mode. */
export async function readContract(db: Db, input: RawInput) {
  const id = readId(input);
  const row = await db
    .selectFrom('entrusts')
    .innerJoin('rental_agents', 'rental_agents.id', 'entrusts.agent_id')
    .innerJoin('rental_stores', 'rental_stores.id', 'rental_agents.store_id')
    .innerJoin('pay_modes', 'pay_modes.id', 'entrusts.pay_mode_id')
    .select([
      'entrusts.id',
      'entrusts.h_address',
      'entrusts.is_settle',
      'entrusts.water',
      'entrusts.electric',
      'entrusts.gas',
      'entrusts.s_phone',
      'entrusts.facility',
      'entrusts.other',
      'entrusts.monthly_rent',
      'rental_agents.name as agent_name',
      'rental_agents.phone as agent_phone',
      'rental_stores.title as store_title',
      'rental_stores.manager_name',
      'rental_stores.manager_phone',
      'pay_modes.name as pay_mode_name',
      'pay_modes.is_all_pay',
      'pay_modes.rent_months',
      'pay_modes.bet_months',
    ])
    .where('entrusts.id', '=', id)
    .executeTakeFirst();
  if (!row) throw new DomainError('not_found', '房源不存在');
  return {
    entrust: {
      id: Number(row.id),
      h_address: row.h_address,
      is_settle: row.is_settle,
      water: row.water,
      electric: row.electric,
      gas: row.gas,
      s_phone: row.s_phone,
      facility: JSON.parse(row.facility) as unknown,
      other: row.other,
    },
    sale: {
      name: row.agent_name,
      phone: row.agent_phone,
      title: row.store_title,
      store_name: row.manager_name,
      store_phone: row.manager_phone,
    },
    house: {
      h_l_rent: Number(row.monthly_rent),
      is_all_pay: row.is_all_pay,
      name: row.pay_mode_name,
      // 全付 pays every month at once, so the mode itself names no month count.
      rent: row.is_all_pay === 0 ? 0 : row.rent_months,
      bet: row.bet_months,
    },
  };
}

/** Completes the contract: the lease order with its installments, money exact in fen. */
export async function saveLease(deps: LeaseDeps, tenant: Tenant, input: RawInput, now: number) {
  const form = readLeaseForm(input, now);
  const entrust = await deps.db
    .selectFrom('entrusts')
    .selectAll()
    .where('id', '=', form.h_i_id)
    .executeTakeFirst();
  if (!entrust) throw DomainError.validation([{ field: 'h_i_id', error: '房源不存在' }]);
  let monthly = Number(entrust.monthly_rent);
  if (form.r_id !== null) {
    const room = await deps.db.selectFrom('rooms').selectAll().where('id', '=', form.r_id).executeTakeFirst();
    if (!room || Number(room.entrust_id) !== form.h_i_id) {
      throw DomainError.validation([{ field: 'r_id', error: '房间不属于该房源' }]);
    }
    monthly = Number(room.monthly_rent);
  }
  const mode = await deps.db
    .selectFrom('pay_modes')
    .selectAll()
    .where('id', '=', entrust.pay_mode_id)
    .executeTakeFirstOrThrow();
  const perInstallment = mode.is_all_pay === 0 ? form.months : Math.max(1, mode.rent_months);
  const rentTotal = monthly * form.months;
  const depositTotal = monthly * mode.bet_months;
  return deps.db.transaction().execute(async (trx) => {
    const lease = await trx
      .insertInto('leases')
      .values({
        tenant_id: tenant.id,
        entrust_id: form.h_i_id,
        room_id: form.r_id,
        mode: form.mode,
        status: LEASE_STATUS.unpaid,
        t_name: form.t_name,
        t_phone_enc: deps.pii.encrypt(form.t_phone),
        t_id_card_enc: deps.pii.encrypt(form.t_id_card.number),
        t_id_card_hash: deps.pii.blindIndex(form.t_id_card.number, 'id_card'),
        h_address: form.h_address,
        r_s_time: form.r_s_time,
        r_e_time: form.r_e_time,
        months: form.months,
        monthly_rent: monthly,
        rent_total: rentTotal,
        deposit_total: depositTotal,
        details: JSON.stringify(form.details),
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const leaseId = Number(lease.id);
    const installments = [];
    for (let done = 0, seq = 1; done < form.months; seq++) {
      const months = Math.min(perInstallment, form.months - done);
      const depositPart = seq === 1 ? depositTotal : 0;
      installments.push({
        lease_id: leaseId,
        seq,
        rent_part: months * monthly,
        deposit_part: depositPart,
        amount: months * monthly + depositPart,
        due_date: addMonths(form.r_s_time, done),
        status: INSTALLMENT_UNPAID,
        paid_at: null,
      });
      done += months;
    }
    const ids = await trx.insertInto('lease_installments').values(installments).returning('id').execute();
    await recordAudit(trx, {
      actor: payer(tenant),
      entity: 'lease',
      entity_id: String(leaseId),
      action: 'create',
      from_state: null,
      to_state: String(LEASE_STATUS.unpaid),
      reason: null,
      created_at: now,
    });
    return {
      id: String(leaseId),
      u_p_id: String(ids[0]!.id),
      community: entrust.community,
      h_floor: entrust.h_floor,
      unit: entrust.unit,
      rent: rentTotal,
      deposit: depositTotal,
      month: form.months,
      total: rentTotal + depositTotal,
    };
  });
}

async function loadOwnLease(db: Db, tenant: Tenant, id: number, lock = false): Promise<LeaseRow> {
  const query = db.selectFrom('leases').selectAll().where('id', '=', id);
  const lease = await (lock ? query.forUpdate() : query).executeTakeFirst();
  // Another tenant's order answers exactly like a missing one: existence is not disclosed.
  if (!lease || Number(lease.tenant_id) !== tenant.id) throw notFound();
  return lease;
}

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
    const lease = await loadOwnLease(trx, tenant, request.id, true);
    const installment = await trx
      .selectFrom('lease_installments')
      .selectAll()
      .where('id', '=', request.installmentId)
      .where('lease_id', '=', lease.id)
      .forUpdate()
      .executeTakeFirst();
    if (!installment) throw DomainError.validation([{ field: 'u_p_id', error: '分期不属于该订单' }]);
    if (installment.status === INSTALLMENT_PAID) throw new DomainError('illegal_transition', '该期已支付');
    const payable =
      installment.seq === 1
        ? lease.status === LEASE_STATUS.unpaid
        : RETIRABLE_STATUSES.includes(lease.status);
    if (!payable) throw new DomainError('illegal_transition', '当前订单状态不能支付');
    const earlier = await trx
      .selectFrom('lease_installments')
      .select('id')
      .where('lease_id', '=', lease.id)
      .where('seq', '<', installment.seq)
      .where('status', '=', INSTALLMENT_UNPAID)
      .executeTakeFirst();
    if (earlier) throw new DomainError('illegal_transition', '请先支付前一期');
    // A new attempt first gives back what an earlier attempt set aside.
    await giveDeposit(trx, tenant.id, Number(installment.deposit_reserved));
    const amount = Number(installment.amount);
    const fromDeposit = request.useDeposit ? await takeDeposit(trx, tenant.id, amount) : 0;
    await trx
      .updateTable('lease_installments')
      .set({ deposit_reserved: fromDeposit })
      .where('id', '=', installment.id)
      .execute();
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
    payer: payer(tenant),
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
  await trx
    .updateTable('lease_installments')
    .set({ status: INSTALLMENT_PAID, paid_at: now, deposit_reserved: 0 })
    .where('id', '=', installment.id)
    .execute();
  if (installment.seq !== 1) return;
  const moved = await trx
    .updateTable('leases')
    .set((eb) => ({ status: LEASE_STATUS.paid, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', installment.lease_id)
    .where('status', '=', LEASE_STATUS.unpaid)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) === 1) {
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
    const lease = await loadOwnLease(trx, tenant, request.id, true);
    const installment = await trx
      .selectFrom('lease_installments')
      .select('id')
      .where('id', '=', request.installmentId)
      .where('lease_id', '=', lease.id)
      .executeTakeFirst();
    if (!installment) throw DomainError.validation([{ field: 'u_p_id', error: '分期不属于该订单' }]);
    if (lease.status !== LEASE_STATUS.unpaid)
      throw new DomainError('illegal_transition', '只有未支付的订单可以预订');
    if (lease.booked === 1) throw new DomainError('illegal_transition', '该订单已预订');
    const entrust = await trx
      .selectFrom('entrusts')
      .select('booking_fee')
      .where('id', '=', lease.entrust_id)
      .executeTakeFirstOrThrow();
    const fee = Number(entrust.booking_fee);
    const open = await trx
      .selectFrom('payments')
      .select(['amount'])
      .where('purpose', '=', BOOKING_PURPOSE)
      .where('subject_id', '=', String(lease.id))
      .where('status', '=', 'created')
      .executeTakeFirst();
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
  await trx.updateTable('leases').set({ booked: 1, updated_at: now }).where('id', '=', leaseId).execute();
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
  if (!payment || payment.payer !== payer(tenant)) throw new DomainError('not_found', '支付记录不存在');
  return {
    total: Number(payment.amount),
    status: payment.status === 'paid' ? 1 : payment.status === 'created' ? 0 : 2,
  };
}

/** 申请退租: only 长租 (modes 2, 3) in states 1–4. */
export async function retireLease(db: Db, tenant: Tenant, input: RawInput, now: number): Promise<void> {
  const id = readId(input);
  await db.transaction().execute(async (trx) => {
    const lease = await loadOwnLease(trx, tenant, id);
    if (!LONG_TERM_MODES.includes(lease.mode)) {
      throw new DomainError('illegal_transition', '只有长租整租和长租合租的订单才能申请退租');
    }
    if (!RETIRABLE_STATUSES.includes(lease.status)) {
      throw new DomainError('illegal_transition', '只有已支付、已入住、已续租或已逾期的订单才能申请退租');
    }
    const moved = await trx
      .updateTable('leases')
      .set({ status: LEASE_STATUS.retiring, updated_at: now, version: lease.version + 1 })
      .where('id', '=', lease.id)
      .where('version', '=', lease.version)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new DomainError('conflict', '订单已变更，请重试');
    await recordAudit(trx, {
      actor: payer(tenant),
      entity: 'lease',
      entity_id: String(lease.id),
      action: 'retirement',
      from_state: String(lease.status),
      to_state: String(LEASE_STATUS.retiring),
      reason: null,
      created_at: now,
    });
  });
}

/** 续租月数: the renewal terms offered for a running long-term lease, rent in fen. */
export async function renewalOptions(db: Db, tenant: Tenant, input: RawInput) {
  const lease = await loadOwnLease(db, tenant, readId(input));
  if (!LONG_TERM_MODES.includes(lease.mode) || !RETIRABLE_STATUSES.includes(lease.status)) {
    throw new DomainError('illegal_transition', '当前订单不能续租');
  }
  return RENEWAL_MONTHS.map((month) => ({ month, rent: month * Number(lease.monthly_rent) }));
}

/** What a settled payment means for leases, run inside the settling transaction. */
export const LEASE_PAYMENT_HOOKS: Record<string, PaymentHook> = {
  [INSTALLMENT_PURPOSE]: {
    async lockSubject(trx, installmentId) {
      // The lease before its installment: the order the tenant's own pay takes them in.
      const installment = await trx
        .selectFrom('lease_installments')
        .select('lease_id')
        .where('id', '=', Number(installmentId))
        .executeTakeFirstOrThrow();
      await trx
        .selectFrom('leases')
        .select('id')
        .where('id', '=', installment.lease_id)
        .forUpdate()
        .execute();
      await trx
        .selectFrom('lease_installments')
        .select('id')
        .where('id', '=', Number(installmentId))
        .forUpdate()
        .execute();
    },
    async onPaidLate(trx, payment, now) {
      await creditPayer(trx, payment, now);
    },
    async onPaid(trx, payment, now) {
      const installment = await trx
        .selectFrom('lease_installments')
        .selectAll()
        .where('id', '=', Number(payment.subject_id))
        .executeTakeFirstOrThrow();
      await markInstallmentPaid(trx, installment, now);
    },
    async onFailed(trx, payment) {
      await releaseReservation(trx, payment);
    },
  },
  [BOOKING_PURPOSE]: {
    async lockSubject(trx, leaseId) {
      await trx.selectFrom('leases').select('id').where('id', '=', Number(leaseId)).forUpdate().execute();
    },
    async onPaidLate(trx, payment, now) {
      await creditPayer(trx, payment, now);
    },
    async onPaid(trx, payment, now) {
      const booking = await bookingOf(trx, payment);
      await markBooked(trx, booking.leaseId, booking.tenantId, booking.fee, now);
    },
    async onFailed(trx, payment) {
      // What the held deposit paid towards the fee goes back to it.
      const booking = await bookingOf(trx, payment);
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

/** The lease, tenant and fee a booking payment is for. */
async function bookingOf(trx: Db, payment: PaymentRow) {
  const row = await trx
    .selectFrom('leases')
    .innerJoin('entrusts', 'entrusts.id', 'leases.entrust_id')
    .select(['leases.id', 'leases.tenant_id', 'entrusts.booking_fee'])
    .where('leases.id', '=', Number(payment.subject_id))
    .executeTakeFirstOrThrow();
  return { leaseId: Number(row.id), tenantId: Number(row.tenant_id), fee: Number(row.booking_fee) };
}

async function releaseReservation(trx: Db, payment: PaymentRow): Promise<void> {
  const installment = await trx
    .selectFrom('lease_installments')
    .selectAll()
    .where('id', '=', Number(payment.subject_id))
    .executeTakeFirstOrThrow();
  const lease = await trx
    .selectFrom('leases')
    .select('tenant_id')
    .where('id', '=', installment.lease_id)
    .executeTakeFirstOrThrow();
  await giveDeposit(trx, Number(lease.tenant_id), Number(installment.deposit_reserved));
  await trx
    .updateTable('lease_installments')
    .set({ deposit_reserved: 0 })
    .where('id', '=', installment.id)
    .execute();
}

/** Job: unpaid orders past their hold time expire. */
export async function expireUnpaidLeases(db: Db, now: number): Promise<number> {
  const result = await db
    .updateTable('leases')
    .set({ status: LEASE_STATUS.expired, updated_at: now })
    .where('status', '=', LEASE_STATUS.unpaid)
    .where('created_at', '<', now - UNPAID_LEASE_TTL_MS)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Job: leases past their end date (Beijing) that nobody moved out are overdue. */
export async function markOverdueLeases(db: Db, now: number): Promise<number> {
  const result = await db
    .updateTable('leases')
    .set({ status: LEASE_STATUS.overdue, updated_at: now })
    .where('status', 'in', [LEASE_STATUS.paid, LEASE_STATUS.movedIn, LEASE_STATUS.renewed])
    .where('r_e_time', '<', formatShanghaiDate(now))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
