import type { JobDefinition } from '../../platform/jobs/job-runner.js';
import {
  handleWechatNotify,
  handleWechatV3Notify,
  type PaymentDeps,
  reconcilePayments,
} from './payments.service.js';
import { reconcileRefunds } from './refund.service.js';

/** WeChat Pay's side of the payments: its notifies and the reconciliation that covers lost ones. */
export function createPaymentsModule(deps: PaymentDeps) {
  return {
    wechatNotify: (xml: string) => handleWechatNotify(deps, xml),
    wechatV3Notify: (headers: Record<string, string>, body: string) =>
      handleWechatV3Notify(deps, headers, body),
    jobs: [
      {
        name: 'payments.reconcile',
        intervalMs: 60_000,
        // Refunds whose notify was lost are reconciled in the same run (one job, one /healthz entry).
        run: async (now) => {
          let failure: unknown;
          await reconcilePayments(deps, now).catch((error: unknown) => {
            failure = error;
          });
          await reconcileRefunds(deps, now).catch((error: unknown) => {
            failure ??= error;
          });
          if (failure !== undefined) throw failure;
        },
      },
    ] satisfies JobDefinition[],
  };
}

export type PaymentsModule = ReturnType<typeof createPaymentsModule>;
