import type { RawInput } from '../../core/field-reader.js';
import type { JobDefinition } from '../../platform/jobs/job-runner.js';
import { findRefund } from '../payments/index.js';
import type { Tenant } from '../tenants/index.js';
import { expireUnpaidLeases, markOverdueLeases } from './lease.jobs.js';
import { LEASE_STATUS_LABELS, leaseDetail, leaseExport, listLeases } from './lease-admin.service.js';
import { readContract } from './lease-contract.service.js';
import type { LeaseDeps } from './lease-deps.js';
import { renewalOptions, retireLease, saveLease } from './lease-order.service.js';
import { bookLease, payInstallment, readPaymentResult } from './lease-payment.service.js';
import { completeRetirement } from './lease-retirement.service.js';
import { LEASE_STATUS } from './lease-state.js';

/** Where a pay call comes from: its time and the client's address, which WeChat wants. */
export interface PayContext {
  now: number;
  clientIp: string;
}

/** Family 2's leases: contracts, orders, their payments and their jobs, with dependencies bound. */
export function createLeasesModule(deps: LeaseDeps) {
  const { db } = deps;
  return {
    readContract: (input: RawInput) => readContract(db, input),
    save: (tenant: Tenant, input: RawInput, now: number) => saveLease(deps, tenant, input, now),
    renewalOptions: (tenant: Tenant, input: RawInput) => renewalOptions(db, tenant, input),
    retire: (tenant: Tenant, input: RawInput, now: number) => retireLease(db, tenant, input, now),
    /** 退租完成: 5 → 6, the lease's 押金 and the held deposit refunded through WeChat. */
    completeRetirement: (leaseId: number, actor: string, now: number) =>
      completeRetirement(deps, leaseId, actor, now),
    /** Staff's reads (the back office's /api/leases). */
    list: (input: RawInput) => listLeases(db, deps.pii, input),
    exportPages: (input: RawInput) => leaseExport(db, deps.pii, input),
    detail: (leaseId: number) => leaseDetail(db, deps.pii, leaseId),
    /**
     * Staff complete a retirement: what the back office answers — the lease's new state and the
     * refunds created, each as it stands after WeChat was asked.
     */
    async completeRetirementByStaff(leaseId: number, staffId: number, now: number) {
      const { refunds } = await completeRetirement(deps, leaseId, `staff:${staffId}`, now);
      const current = await Promise.all(
        refunds.map(async (r) => (await findRefund(db, r.out_refund_no)) ?? r),
      );
      return {
        id: leaseId,
        status: LEASE_STATUS.retired,
        status_label: LEASE_STATUS_LABELS[LEASE_STATUS.retired]!,
        refunds: current.map((r) => ({
          out_refund_no: r.out_refund_no,
          payment_id: Number(r.payment_id),
          amount: Number(r.amount),
          state: r.status,
        })),
      };
    },
    book: (tenant: Tenant, input: RawInput, context: PayContext) => bookLease(deps, tenant, input, context),
    payInstallment: (tenant: Tenant, input: RawInput, context: PayContext) =>
      payInstallment(deps, tenant, input, context),
    paymentResult: (tenant: Tenant, input: RawInput) => readPaymentResult(db, tenant, input),
    jobs: [
      {
        name: 'leases.expire-unpaid',
        intervalMs: 5 * 60_000,
        run: (now) => expireUnpaidLeases(db, now).then(() => {}),
      },
      {
        name: 'leases.mark-overdue',
        intervalMs: 3_600_000,
        run: (now) => markOverdueLeases(db, now).then(() => {}),
      },
    ] satisfies JobDefinition[],
  };
}

export type LeasesModule = ReturnType<typeof createLeasesModule>;
