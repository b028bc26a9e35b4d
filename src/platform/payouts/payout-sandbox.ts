import { randomBytes } from 'node:crypto';
import type { PayoutProvider, PayoutRequest, PayoutResult } from './payout-provider.js';

/**
 * An in-process payout provider: every transfer succeeds at once with a random provider id,
 * unless told to fail. Idempotent by payoutNo like a real provider must be: a payout number
 * that succeeded answers the same provider id again and is never counted twice; a number that
 * failed stays failed.
 */
export class PayoutSandbox implements PayoutProvider {
  /** Every payout that succeeded, by payoutNo. */
  readonly paid = new Map<string, PayoutRequest & { providerId: string }>();
  /** Every call, in order (tests read it). */
  readonly calls: PayoutRequest[] = [];
  private readonly failed = new Map<string, { code: string; message: string }>();
  private failures: Array<{ code: string; message: string }> = [];
  private failingAlways: { code: string; message: string } | undefined;
  private lostAnswers = 0;
  private unsure: Array<{ code: string; message: string }> = [];

  /** The next `times` transfers fail with `code` (after the ones already queued); final failures. */
  failNext(times = 1, code = 'BANK_REJECTED', message = '收款银行退回'): void {
    for (let i = 0; i < times; i++) this.failures.push({ code, message });
  }

  /** Every transfer fails until `failAlways(undefined)`. */
  failAlways(failure: { code: string; message: string } | undefined): void {
    this.failingAlways = failure;
  }

  /**
   * The next `times` transfers are carried out, but their answer is lost on the way back (the
   * call throws, as a timeout or a crash of our side would look): only asking again tells.
   */
  loseAnswerNext(times = 1): void {
    this.lostAnswers += times;
  }

  /** The next `times` transfers answer "not sure yet" (a system error) and pay nothing. */
  unsureNext(times = 1, code = 'SYSTEMERROR', message = '系统繁忙，请稍后再试'): void {
    for (let i = 0; i < times; i++) this.unsure.push({ code, message });
  }

  /** How many times a payout number was asked for. */
  callsFor(payoutNo: string): number {
    return this.calls.filter((c) => c.payoutNo === payoutNo).length;
  }

  async transfer(request: PayoutRequest): Promise<PayoutResult> {
    this.calls.push({ ...request });
    const done = this.paid.get(request.payoutNo);
    if (done) return { status: 'paid', providerId: done.providerId };
    const failedBefore = this.failed.get(request.payoutNo);
    if (failedBefore) return { status: 'failed', ...failedBefore };
    if (!Number.isSafeInteger(request.amount) || request.amount <= 0)
      return this.fail(request.payoutNo, { code: 'INVALID_AMOUNT', message: '金额无效' });
    const unsure = this.unsure.shift();
    if (unsure) return { status: 'pending', ...unsure };
    const failure = this.failures.shift() ?? this.failingAlways;
    if (failure) return this.fail(request.payoutNo, failure);
    const providerId = `SBX${randomBytes(8).toString('hex').toUpperCase()}`;
    this.paid.set(request.payoutNo, { ...request, providerId });
    if (this.lostAnswers > 0) {
      this.lostAnswers -= 1;
      throw new Error('payout sandbox: the answer was lost on the way back');
    }
    return { status: 'paid', providerId };
  }

  private fail(payoutNo: string, failure: { code: string; message: string }): PayoutResult {
    this.failed.set(payoutNo, failure);
    return { status: 'failed', ...failure };
  }
}
