import { randomBytes } from 'node:crypto';
import type { PayoutProvider, PayoutRequest, PayoutResult } from './payout-provider.js';

/**
 * An in-process payout provider: every transfer succeeds at once with a random provider id,
 * unless told to fail. Idempotent by payoutNo like a real provider must be: a payout number
 * that succeeded answers the same provider id again and is never counted twice.
 */
export class PayoutSandbox implements PayoutProvider {
  /** Every payout that succeeded, by payoutNo. */
  readonly paid = new Map<string, PayoutRequest & { providerId: string }>();
  /** Every call, in order (tests read it). */
  readonly calls: PayoutRequest[] = [];
  private failures: Array<{ code: string; message: string }> = [];
  private failingAlways: { code: string; message: string } | undefined;

  /** The next `times` transfers fail with `code` (after the ones already queued). */
  failNext(times = 1, code = 'BANK_REJECTED', message = '收款银行退回'): void {
    for (let i = 0; i < times; i++) this.failures.push({ code, message });
  }

  /** Every transfer fails until `failAlways(undefined)`. */
  failAlways(failure: { code: string; message: string } | undefined): void {
    this.failingAlways = failure;
  }

  async transfer(request: PayoutRequest): Promise<PayoutResult> {
    this.calls.push({ ...request });
    const done = this.paid.get(request.payoutNo);
    if (done) return { ok: true, providerId: done.providerId };
    if (!Number.isSafeInteger(request.amount) || request.amount <= 0)
      return { ok: false, code: 'INVALID_AMOUNT', message: '金额无效' };
    const failure = this.failures.shift() ?? this.failingAlways;
    if (failure) return { ok: false, ...failure };
    const providerId = `SBX${randomBytes(8).toString('hex').toUpperCase()}`;
    this.paid.set(request.payoutNo, { ...request, providerId });
    return { ok: true, providerId };
  }
}
