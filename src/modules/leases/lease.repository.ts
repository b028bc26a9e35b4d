import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { PaymentRow } from '../payments/index.js';
import type {
  EntrustRow,
  InstallmentRow,
  LeaseRow,
  NewInstallmentRow,
  NewLeaseRow,
  PayModeRow,
  RoomRow,
} from './lease.table.js';
import { INSTALLMENT_PAID, INSTALLMENT_UNPAID, LEASE_STATUS } from './lease-state.js';

type Db = Kysely<Database>;

// `find…` answers undefined when the row is missing; `get…` is for a row that must exist (the
// subject of a settled payment, an entrust's pay mode) and throws Kysely's NoResultError.

/** The entrusted house with its handling agent, the agent's store and its payment mode. */
export async function findEntrustWithAgent(db: Db, id: number) {
  return db
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
}

const entrustById = (db: Db, id: number) => db.selectFrom('entrusts').where('id', '=', id);

export async function findEntrust(db: Db, id: number): Promise<EntrustRow | undefined> {
  return entrustById(db, id).selectAll().executeTakeFirst();
}

export async function getEntrustBookingFee(db: Db, id: number): Promise<number> {
  const entrust = await entrustById(db, id).select('booking_fee').executeTakeFirstOrThrow();
  return Number(entrust.booking_fee);
}

export async function findRoom(db: Db, id: number): Promise<RoomRow | undefined> {
  return db.selectFrom('rooms').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getPayMode(db: Db, id: number): Promise<PayModeRow> {
  return db.selectFrom('pay_modes').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function insertLease(db: Db, row: NewLeaseRow): Promise<number> {
  const inserted = await db.insertInto('leases').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** The new installments' ids, in the order of `rows`. */
export async function insertInstallments(db: Db, rows: NewInstallmentRow[]): Promise<number[]> {
  const inserted = await db.insertInto('lease_installments').values(rows).returning('id').execute();
  return inserted.map((row) => Number(row.id));
}

const leaseById = (db: Db, id: number) => db.selectFrom('leases').where('id', '=', id);

export async function findLease(db: Db, id: number): Promise<LeaseRow | undefined> {
  return leaseById(db, id).selectAll().executeTakeFirst();
}

/** The lease, its row locked until the transaction ends. */
export async function lockLease(db: Db, id: number): Promise<LeaseRow | undefined> {
  return leaseById(db, id).selectAll().forUpdate().executeTakeFirst();
}

/** Only the lease's row lock, for a caller that decides on other rows. */
export async function lockLeaseRow(db: Db, id: number): Promise<void> {
  await leaseById(db, id).select('id').forUpdate().execute();
}

export async function getLeaseTenantId(db: Db, id: number): Promise<number> {
  const lease = await leaseById(db, id).select('tenant_id').executeTakeFirstOrThrow();
  return Number(lease.tenant_id);
}

/** The lease, tenant and fee a booking payment is for. */
export async function getLeaseBooking(db: Db, leaseId: number) {
  const row = await db
    .selectFrom('leases')
    .innerJoin('entrusts', 'entrusts.id', 'leases.entrust_id')
    .select(['leases.id', 'leases.tenant_id', 'entrusts.booking_fee'])
    .where('leases.id', '=', leaseId)
    .executeTakeFirstOrThrow();
  return { leaseId: Number(row.id), tenantId: Number(row.tenant_id), fee: Number(row.booking_fee) };
}

/**
 * Applies `patch` only if nobody changed the lease since it was read (same version); answers
 * whether it did.
 */
export async function updateLeaseIfUnchanged(
  db: Db,
  lease: Pick<LeaseRow, 'id' | 'version'>,
  patch: Partial<Omit<LeaseRow, 'id' | 'version'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('leases')
    .set({ ...patch, version: lease.version + 1 })
    .where('id', '=', lease.id)
    .where('version', '=', lease.version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Moves the lease from unpaid to paid; false when it was no longer unpaid. */
export async function setLeasePaidIfUnpaid(db: Db, id: number, now: number): Promise<boolean> {
  const moved = await db
    .updateTable('leases')
    .set((eb) => ({ status: LEASE_STATUS.paid, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('status', '=', LEASE_STATUS.unpaid)
    .executeTakeFirst();
  return Number(moved.numUpdatedRows) === 1;
}

export async function setLeaseBooked(db: Db, id: number, now: number): Promise<void> {
  await db.updateTable('leases').set({ booked: 1, updated_at: now }).where('id', '=', id).execute();
}

/** Unpaid leases created before `createdBefore` become expired; answers how many. */
export async function expireUnpaidLeasesCreatedBefore(
  db: Db,
  createdBefore: number,
  now: number,
): Promise<number> {
  const result = await db
    .updateTable('leases')
    .set({ status: LEASE_STATUS.expired, updated_at: now })
    .where('status', '=', LEASE_STATUS.unpaid)
    .where('created_at', '<', createdBefore)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Running leases whose end date is before `endedBefore` become overdue; answers how many. */
export async function markLeasesOverdueEndedBefore(
  db: Db,
  endedBefore: string,
  now: number,
): Promise<number> {
  const result = await db
    .updateTable('leases')
    .set({ status: LEASE_STATUS.overdue, updated_at: now })
    .where('status', 'in', [LEASE_STATUS.paid, LEASE_STATUS.movedIn, LEASE_STATUS.renewed])
    .where('r_e_time', '<', endedBefore)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

const installmentById = (db: Db, id: number) => db.selectFrom('lease_installments').where('id', '=', id);

const installmentOfLease = (db: Db, leaseId: number, id: number) =>
  installmentById(db, id).where('lease_id', '=', leaseId);

export async function getInstallment(db: Db, id: number): Promise<InstallmentRow> {
  return installmentById(db, id).selectAll().executeTakeFirstOrThrow();
}

export async function getInstallmentLeaseId(db: Db, id: number): Promise<number> {
  const installment = await installmentById(db, id).select('lease_id').executeTakeFirstOrThrow();
  return installment.lease_id;
}

/** Only the installment's row lock, for a caller that decides on other rows. */
export async function lockInstallmentRow(db: Db, id: number): Promise<void> {
  await installmentById(db, id).select('id').forUpdate().execute();
}

/** The installment if it belongs to the lease, its row locked until the transaction ends. */
export async function lockInstallmentOfLease(
  db: Db,
  leaseId: number,
  id: number,
): Promise<InstallmentRow | undefined> {
  return installmentOfLease(db, leaseId, id).selectAll().forUpdate().executeTakeFirst();
}

export async function hasInstallmentOfLease(db: Db, leaseId: number, id: number): Promise<boolean> {
  return (await installmentOfLease(db, leaseId, id).select('id').executeTakeFirst()) !== undefined;
}

export async function hasUnpaidInstallmentBefore(db: Db, leaseId: number, seq: number): Promise<boolean> {
  const earlier = await db
    .selectFrom('lease_installments')
    .select('id')
    .where('lease_id', '=', leaseId)
    .where('seq', '<', seq)
    .where('status', '=', INSTALLMENT_UNPAID)
    .executeTakeFirst();
  return earlier !== undefined;
}

/** Records how much of the held deposit the installment's open payment has set aside. */
export async function setInstallmentReservation(db: Db, id: number, reserved: number): Promise<void> {
  await db
    .updateTable('lease_installments')
    .set({ deposit_reserved: reserved })
    .where('id', '=', id)
    .execute();
}

export async function setInstallmentPaid(db: Db, id: number, now: number): Promise<void> {
  await db
    .updateTable('lease_installments')
    .set({ status: INSTALLMENT_PAID, paid_at: now, deposit_reserved: 0 })
    .where('id', '=', id)
    .execute();
}

/** Whether the tenant has a lease other than `exceptId` in one of `statuses`. */
export async function hasLeaseInStatus(
  db: Db,
  tenantId: number,
  exceptId: number,
  statuses: readonly number[],
): Promise<boolean> {
  const row = await db
    .selectFrom('leases')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '<>', exceptId)
    .where('status', 'in', [...statuses])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The lease's installment that carries its 押金 (the first, deposit_part > 0). Read under the
 * lease's row lock, which everyone who changes an installment takes first.
 */
export async function findLeaseDepositInstallment(
  db: Db,
  leaseId: number,
): Promise<InstallmentRow | undefined> {
  return db
    .selectFrom('lease_installments')
    .selectAll()
    .where('lease_id', '=', leaseId)
    .where('seq', '=', 1)
    .where('deposit_part', '>', 0)
    .executeTakeFirst();
}

/** The paid payment of an installment or booking (at most one by constraint). */
export async function findPaidPayment(
  db: Db,
  purpose: string,
  subjectId: string,
): Promise<PaymentRow | undefined> {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('purpose', '=', purpose)
    .where('subject_id', '=', subjectId)
    .where('status', '=', 'paid')
    .executeTakeFirst();
}

/** The paid first installments carrying 押金 of the tenant's moved-out leases. */
export async function listRetiredDepositInstallments(db: Db, tenantId: number) {
  return db
    .selectFrom('lease_installments')
    .innerJoin('leases', 'leases.id', 'lease_installments.lease_id')
    .select(['lease_installments.id', 'lease_installments.deposit_part'])
    .where('leases.tenant_id', '=', tenantId)
    .where('leases.status', '=', LEASE_STATUS.retired)
    .where('lease_installments.seq', '=', 1)
    .where('lease_installments.deposit_part', '>', 0)
    .where('lease_installments.status', '=', INSTALLMENT_PAID)
    .execute();
}
