import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import { FieldReader, type RawInput } from '../../core/field-reader.js';
import { maskMobile } from '../../core/mobile.js';
import type { Database } from '../../database.js';
import type { Pii } from '../../platform/pii.js';
import type { LeaseRow } from './lease.table.js';
import { BOOKING_PURPOSE, INSTALLMENT_PURPOSE } from './lease-payment.service.js';
import { LEASE_STATUS } from './lease-state.js';

type Db = Kysely<Database>;

/** What staff read of family 2's leases (the back office's /api/leases): names, not codes. */
export const LEASE_STATUS_LABELS: Record<number, string> = {
  [LEASE_STATUS.unpaid]: '未支付',
  [LEASE_STATUS.paid]: '已支付(未入住)',
  [LEASE_STATUS.movedIn]: '已支付(已入住)',
  [LEASE_STATUS.renewed]: '已续租',
  [LEASE_STATUS.overdue]: '已逾期',
  [LEASE_STATUS.retiring]: '退租申请中',
  [LEASE_STATUS.retired]: '退租完成',
  [LEASE_STATUS.expired]: '已失效',
};

export const LEASE_MODE_LABELS: Record<number, string> = {
  0: '短租合租',
  1: '短租整租',
  2: '长租整租',
  3: '长租合租',
};

/** The list's query fields and their Chinese labels. */
export const LEASE_LIST_FIELDS = {
  status: '状态',
  mobile: '租客手机号',
  page: '页码',
  page_size: '每页条数',
} as const;

const STATUS_VALUES = Object.values(LEASE_STATUS) as number[];

export interface LeaseListQuery {
  status: number | undefined;
  mobile: string | undefined;
  page: number;
  pageSize: number;
}

export function readLeaseListQuery(input: RawInput): LeaseListQuery {
  const r = new FieldReader(input, LEASE_LIST_FIELDS);
  const status = r.int('status', { oneOf: STATUS_VALUES });
  const mobile = r.mobile('mobile');
  const page = r.int('page', { min: 1, max: 100_000 });
  const pageSize = r.int('page_size', { min: 1, max: 100 });
  r.done();
  return { status, mobile, page: page ?? 1, pageSize: pageSize ?? 20 };
}

const leaseSummary = (lease: LeaseRow, tenantMobile: string) => ({
  id: Number(lease.id),
  tenant_id: Number(lease.tenant_id),
  tenant_mobile: maskMobile(tenantMobile),
  t_name: lease.t_name,
  h_address: lease.h_address,
  mode: Number(lease.mode),
  mode_label: LEASE_MODE_LABELS[Number(lease.mode)] ?? String(lease.mode),
  status: Number(lease.status),
  status_label: LEASE_STATUS_LABELS[Number(lease.status)] ?? String(lease.status),
  booked: Number(lease.booked) === 1,
  r_s_time: lease.r_s_time,
  r_e_time: lease.r_e_time,
  months: Number(lease.months),
  monthly_rent: Number(lease.monthly_rent),
  rent_total: Number(lease.rent_total),
  deposit_total: Number(lease.deposit_total),
  created_at: Number(lease.created_at),
  updated_at: Number(lease.updated_at),
});

/** The leases a list query names: its state, and its tenant's mobile through the blind index. */
function leaseListBase(db: Db, pii: Pii, query: Pick<LeaseListQuery, 'status' | 'mobile'>) {
  let base = db.selectFrom('leases').innerJoin('tenants', 'tenants.id', 'leases.tenant_id');
  if (query.status !== undefined) base = base.where('leases.status', '=', query.status);
  if (query.mobile !== undefined)
    base = base.where('tenants.mobile_hash', '=', pii.blindIndex(query.mobile, 'mobile'));
  return base;
}

/**
 * GET /api/leases: a page of leases, newest first, filtered by state and the tenant's mobile (a
 * blind-index lookup; mobiles answer masked), with the count and money totals of every match.
 */
export async function listLeases(db: Db, pii: Pii, input: RawInput) {
  const query = readLeaseListQuery(input);
  const base = leaseListBase(db, pii, query);
  const totals = await base
    .select((eb) => [
      eb.fn.countAll<number>().as('count'),
      eb.fn.coalesce(eb.fn.sum<number>('leases.rent_total'), eb.val(0)).as('rent_total'),
      eb.fn.coalesce(eb.fn.sum<number>('leases.deposit_total'), eb.val(0)).as('deposit_total'),
    ])
    .executeTakeFirstOrThrow();
  const rows = await base
    .selectAll('leases')
    .select('tenants.mobile_enc')
    .orderBy('leases.id', 'desc')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  const total = Number(totals.count);
  return {
    total,
    page: query.page,
    page_size: query.pageSize,
    page_count: Math.ceil(total / query.pageSize),
    totals: { rent_total: Number(totals.rent_total), deposit_total: Number(totals.deposit_total) },
    leases: rows.map((row) => leaseSummary(row, pii.decrypt(row.mobile_enc))),
  };
}

export type LeaseSummary = ReturnType<typeof leaseSummary>;

/**
 * The list's leases for an export, with the list's filters (read and checked first): keyset
 * pages newest first, each row as the list shows it (the mobile masked).
 */
export function leaseExport(db: Db, pii: Pii, input: RawInput) {
  const { page: _page, pageSize: _pageSize, ...filter } = readLeaseListQuery(input);
  return async (after: LeaseSummary | undefined, limit: number): Promise<LeaseSummary[]> => {
    const base = leaseListBase(db, pii, filter);
    const rows = await (after === undefined ? base : base.where('leases.id', '<', after.id))
      .selectAll('leases')
      .select('tenants.mobile_enc')
      .orderBy('leases.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => leaseSummary(row, pii.decrypt(row.mobile_enc)));
  };
}

/**
 * GET /api/leases/:id: the lease with its installments, the payments towards it (its
 * installments' and its booking's), the refunds made against them or on its retirement, and the
 * deposit the platform holds for its tenant now.
 */
export async function leaseDetail(db: Db, pii: Pii, id: number) {
  const lease = await db
    .selectFrom('leases')
    .innerJoin('tenants', 'tenants.id', 'leases.tenant_id')
    .selectAll('leases')
    .select(['tenants.mobile_enc', 'tenants.deposit_held'])
    .where('leases.id', '=', id)
    .executeTakeFirst();
  if (!lease) throw new DomainError('not_found', '订单不存在');
  const installments = await db
    .selectFrom('lease_installments')
    .selectAll()
    .where('lease_id', '=', id)
    .orderBy('seq')
    .execute();
  const installmentIds = installments.map((i) => String(i.id));
  const payments = await db
    .selectFrom('payments')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('purpose', '=', BOOKING_PURPOSE), eb('subject_id', '=', String(id))]),
        ...(installmentIds.length
          ? [eb.and([eb('purpose', '=', INSTALLMENT_PURPOSE), eb('subject_id', 'in', installmentIds)])]
          : []),
      ]),
    )
    .orderBy('id')
    .execute();
  const paymentIds = payments.map((p) => Number(p.id));
  const refunds = await db
    .selectFrom('refunds')
    .innerJoin('payments', 'payments.id', 'refunds.payment_id')
    .selectAll('refunds')
    .select('payments.out_trade_no')
    .where((eb) =>
      eb.or([
        eb('refunds.reason', '=', `lease_retirement:${id}`),
        ...(paymentIds.length ? [eb('refunds.payment_id', 'in', paymentIds)] : []),
      ]),
    )
    .orderBy('refunds.id')
    .execute();
  return {
    ...leaseSummary(lease, pii.decrypt(lease.mobile_enc)),
    deposit_held: Number(lease.deposit_held),
    installments: installments.map((i) => ({
      id: Number(i.id),
      seq: Number(i.seq),
      rent_part: Number(i.rent_part),
      deposit_part: Number(i.deposit_part),
      amount: Number(i.amount),
      due_date: i.due_date,
      paid: Number(i.status) === 1,
      deposit_reserved: Number(i.deposit_reserved),
      paid_at: i.paid_at === null ? null : Number(i.paid_at),
    })),
    payments: payments.map((p) => ({
      id: Number(p.id),
      out_trade_no: p.out_trade_no,
      purpose: p.purpose,
      subject_id: p.subject_id,
      amount: Number(p.amount),
      channel: p.channel,
      status: p.status,
      paid_at: p.paid_at === null ? null : Number(p.paid_at),
      created_at: Number(p.created_at),
    })),
    refunds: refunds.map((r) => ({
      out_refund_no: r.out_refund_no,
      payment_id: Number(r.payment_id),
      out_trade_no: r.out_trade_no,
      amount: Number(r.amount),
      state: r.status,
      reason: r.reason,
      failure_reason: r.failure_reason,
      created_at: Number(r.created_at),
      settled_at: r.settled_at === null ? null : Number(r.settled_at),
    })),
  };
}

export type LeaseDetail = Awaited<ReturnType<typeof leaseDetail>>;
