import type { JobDefinition } from '../../platform/jobs/job-runner.js';
import {
  handleWechatNotify,
  handleWechatV3Notify,
  type PaymentDeps,
  reconcilePayments,
} from './payments.service.js';

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
        run: (now) => reconcilePayments(deps, now).then(() => {}),
      },
    ] satisfies JobDefinition[],
  };
}

export type PaymentsModule = ReturnType<typeof createPaymentsModule>;
