import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import type { RawInput } from '../../core/field-reader.js';
import { addMonths } from '../../core/time.js';
import type { Database } from '../../database.js';
import { recordAudit } from '../audit/index.js';
import type { Tenant } from '../tenants/index.js';
import {
  findEntrust,
  findRoom,
  getPayMode,
  insertInstallments,
  insertLease,
  updateLeaseIfUnchanged,
} from './lease.repository.js';
import type { NewInstallmentRow } from './lease.table.js';
import { loadOwnLease, readId } from './lease-access.js';
import { type LeaseDeps, tenantRef } from './lease-deps.js';
import { readLeaseForm } from './lease-form.validation.js';
import { INSTALLMENT_UNPAID, LEASE_STATUS, LONG_TERM_MODES, RETIRABLE_STATUSES } from './lease-state.js';

const RENEWAL_MONTHS = [3, 6, 12];

/** Completes the contract: the lease order with its installments, money exact in fen. */
export async function saveLease(deps: LeaseDeps, tenant: Tenant, input: RawInput, now: number) {
  const form = readLeaseForm(input, now);
  const entrust = await findEntrust(deps.db, form.h_i_id);
  if (!entrust) throw DomainError.validation([{ field: 'h_i_id', error: '房源不存在' }]);
  let monthly = Number(entrust.monthly_rent);
  if (form.r_id !== null) {
    const room = await findRoom(deps.db, form.r_id);
    if (!room || Number(room.entrust_id) !== form.h_i_id) {
      throw DomainError.validation([{ field: 'r_id', error: '房间不属于该房源' }]);
    }
    monthly = Number(room.monthly_rent);
  }
  const mode = await getPayMode(deps.db, entrust.pay_mode_id);
  const perInstallment = mode.is_all_pay === 0 ? form.months : Math.max(1, mode.rent_months);
  const rentTotal = monthly * form.months;
  const depositTotal = monthly * mode.bet_months;
  return deps.db.transaction().execute(async (trx) => {
    const leaseId = await insertLease(trx, {
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
    });
    const installments: NewInstallmentRow[] = [];
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
    const ids = await insertInstallments(trx, installments);
    await recordAudit(trx, {
      actor: tenantRef(tenant),
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
      u_p_id: String(ids[0]!),
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

/** 申请退租: only 长租 (modes 2, 3) in states 1–4. */
export async function retireLease(
  db: Kysely<Database>,
  tenant: Tenant,
  input: RawInput,
  now: number,
): Promise<void> {
  const id = readId(input);
  await db.transaction().execute(async (trx) => {
    const lease = await loadOwnLease(trx, tenant, id);
    if (!LONG_TERM_MODES.includes(lease.mode)) {
      throw new DomainError('illegal_transition', '只有长租整租和长租合租的订单才能申请退租');
    }
    if (!RETIRABLE_STATUSES.includes(lease.status)) {
      throw new DomainError('illegal_transition', '只有已支付、已入住、已续租或已逾期的订单才能申请退租');
    }
    const moved = await updateLeaseIfUnchanged(trx, lease, {
      status: LEASE_STATUS.retiring,
      updated_at: now,
    });
    if (!moved) throw new DomainError('conflict', '订单已变更，请重试');
    await recordAudit(trx, {
      actor: tenantRef(tenant),
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
export async function renewalOptions(db: Kysely<Database>, tenant: Tenant, input: RawInput) {
  const lease = await loadOwnLease(db, tenant, readId(input));
  if (!LONG_TERM_MODES.includes(lease.mode) || !RETIRABLE_STATUSES.includes(lease.status)) {
    throw new DomainError('illegal_transition', '当前订单不能续租');
  }
  return RENEWAL_MONTHS.map((month) => ({ month, rent: month * Number(lease.monthly_rent) }));
}
