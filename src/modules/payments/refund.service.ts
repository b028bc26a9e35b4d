import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import { formatShanghaiCompact } from '../../core/time.js';
import type { Database } from '../../database.js';
import { isTransientConflict, retrying } from '../../platform/db/transaction-retry.js';
import { notifyReply, type RefundAnswer, type RefundState } from '../../platform/wechat-pay/v2-gateway.js';
import { v3RefundOfNotify } from '../../platform/wechat-pay/v3-gateway.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './payment.repository.js';
import type { PaymentRow } from './payment.table.js';
import type { PaymentDeps } from './payments.service.js';
import * as refunds from './refund.repository.js';
import type { RefundRow } from './refund.table.js';

type Db = Kysely<Database>;

/**
 * Refunds go back to a paid WeChat payment, at most what it collected, through the API of its
 * channel (v3 for JSAPI, v2 otherwise). A refund is recorded `requested` inside the caller's
 * transaction (with whatever the purpose reserves for it, e.g. a ledger hold), asked of WeChat
 * after that commits — never holding a transaction — and settled once from WeChat's notify or,
 * when that is lost, from the reconciliation's refund query; the purpose's hook
 * (`onRefundSettled`) runs in the settling transaction.
 */
export type RefundOutcome =
  | { kind: 'succeeded'; refundId: string | null }
  | { kind: 'failed'; reason: string };

/** WeChat's refusals that mean "not now" (same out_refund_no later), not "never". */
const RETRY_LATER = new Set([
  'SYSTEMERROR',
  'SYSTEM_ERROR',
  'BIZERR_NEED_RETRY',
  'FREQUENCY_LIMITED',
  'NOTENOUGH',
  'NOT_ENOUGH',
  'ORDER_NOT_READY',
]);

export function newRefundNo(now: number): string {
  return `R${formatShanghaiCompact(now).slice(2)}${String(randomInt(0, 1e12)).padStart(12, '0')}`;
}

export interface RefundRequest {
  paymentId: number;
  amount: number;
  /** Why, e.g. `lease_retirement:<lease id>`. */
  reason: string;
  now: number;
}

/**
 * Records a refund of `amount` fen against a payment, inside the caller's transaction: the
 * payment's row is locked, then one conditional insert admits it only while the payment's refunds
 * stay within what it collected. Answers the refund, or undefined when there is no room.
 */
export async function requestRefund(trx: Db, input: RefundRequest): Promise<RefundRow | undefined> {
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0)
    throw new Error('refund amount must be positive fen');
  await repo.lockPayment(trx, input.paymentId);
  const row = await refunds.insertRefundIfRoom(trx, {
    outRefundNo: newRefundNo(input.now),
    paymentId: input.paymentId,
    amount: input.amount,
    reason: input.reason,
    now: input.now,
  });
  if (row) {
    await recordAudit(trx, {
      actor: 'payments',
      entity: 'refund',
      entity_id: row.out_refund_no,
      action: 'requested',
      from_state: null,
      to_state: 'requested',
      reason: `${input.reason}: ${input.amount} fen of payment ${input.paymentId}`,
      created_at: input.now,
    });
  }
  return row && normalized(row);
}

/** What a payment may still refund (its amount less refunds not failed); 0 for one WeChat did not collect. */
export async function refundableOf(db: Db, payment: PaymentRow): Promise<number> {
  if (!(payment.status === 'paid' || payment.status === 'credited') || payment.channel === 'deposit')
    return 0;
  return Math.max(Number(payment.amount) - (await refunds.refundedOf(db, Number(payment.id))), 0);
}

function normalized(row: RefundRow): RefundRow {
  return { ...row, id: Number(row.id), payment_id: Number(row.payment_id), amount: Number(row.amount) };
}

/**
 * Asks WeChat for the refund (after the requesting transaction committed). A refusal that is
 * final fails the refund (the purpose gets its money back); "not now" or a lost answer leaves it
 * requested for the reconciliation, which sends the same out_refund_no again.
 */
export async function sendRefund(deps: PaymentDeps, refund: RefundRow): Promise<void> {
  const payment = await repo.findPaymentById(deps.db, Number(refund.payment_id));
  if (!payment) return;
  let answer: RefundAnswer;
  try {
    answer =
      payment.channel === 'wechat_jsapi'
        ? await deps.wechatV3().refund({
            outTradeNo: payment.out_trade_no,
            outRefundNo: refund.out_refund_no,
            total: Number(payment.amount),
            refund: Number(refund.amount),
            notifyUrl: deps.v3NotifyUrl,
          })
        : await deps.wechat.refund({
            outTradeNo: payment.out_trade_no,
            outRefundNo: refund.out_refund_no,
            totalFee: Number(payment.amount),
            refundFee: Number(refund.amount),
            notifyUrl: deps.notifyUrl,
          });
  } catch {
    return; // no answer: the reconciliation asks WeChat and sends it again if WeChat never got it
  }
  const now = deps.clock.now();
  if (answer.accepted) {
    await refunds.markRefundSent(deps.db, Number(refund.id), answer.refundId, now);
    return;
  }
  if (RETRY_LATER.has(answer.code)) return;
  await settleRefund(
    deps,
    refund.out_refund_no,
    { kind: 'failed', reason: `${answer.code}: ${answer.message}`.slice(0, 255) },
    now,
    'wechat:refund',
  );
}

/**
 * Records what became of a refund, once: requested → succeeded | failed, and the purpose's hook
 * in the same transaction (a replayed notify finds it settled and changes nothing). The refund's
 * row is locked first, then whatever the hook locks.
 */
export async function settleRefund(
  deps: Pick<PaymentDeps, 'db' | 'hooks'>,
  outRefundNo: string,
  outcome: RefundOutcome,
  now: number,
  source: string,
): Promise<RefundRow> {
  const transaction = () =>
    deps.db.transaction().execute(async (trx) => {
      const found = await refunds.lockRefund(trx, outRefundNo);
      if (!found) throw new DomainError('not_found', '退款记录不存在');
      const refund = normalized(found);
      if (refund.status !== 'requested') return refund;
      const status = outcome.kind;
      if (
        !(await refunds.settleRefundRow(trx, refund.id, {
          status,
          refund_id: outcome.kind === 'succeeded' ? outcome.refundId : null,
          failure_reason: outcome.kind === 'failed' ? outcome.reason : null,
          now,
        }))
      ) {
        throw new DomainError('conflict', '退款状态已变更，请重试');
      }
      const payment = await repo.findPaymentById(trx, refund.payment_id);
      const hook = payment && deps.hooks[payment.purpose];
      if (!payment || !hook?.onRefundSettled)
        throw new Error(`refund ${outRefundNo}: its payment's purpose has no refund hook`);
      const settled: RefundRow = { ...refund, status, settled_at: now, updated_at: now };
      await hook.onRefundSettled(trx, payment, settled, now);
      await recordAudit(trx, {
        actor: source,
        entity: 'refund',
        entity_id: outRefundNo,
        action: status,
        from_state: 'requested',
        to_state: status,
        reason: outcome.kind === 'succeeded' ? outcome.refundId : outcome.reason,
        created_at: now,
      });
      return settled;
    });
  return retrying(transaction, isTransientConflict);
}

function outcomeOf(
  state: RefundState | { status: string; refundId: string | null },
): RefundOutcome | undefined {
  if (state.status === 'SUCCESS') return { kind: 'succeeded', refundId: state.refundId };
  if (state.status === 'REFUNDCLOSE') return { kind: 'failed', reason: '退款关闭' };
  if (state.status === 'CHANGE') return { kind: 'failed', reason: '退款异常' };
  return undefined;
}

/** A v2 refund notify (req_info decrypted with the API key), answered with WeChat's XML. */
export async function handleRefundNotifyV2(
  deps: PaymentDeps,
  fields: Record<string, string>,
): Promise<{ reply: string; ok: boolean }> {
  const refund = deps.wechat.readRefundNotify(fields);
  if (!refund?.out_refund_no) return { reply: notifyReply(false, '退款通知解密失败'), ok: false };
  return settleFromNotify(deps, refund.out_refund_no, Number(refund.refund_fee), {
    status: refund.refund_status ?? '',
    refundId: refund.refund_id ?? null,
  }).then((problem) =>
    problem ? { reply: notifyReply(false, problem), ok: false } : { reply: notifyReply(true), ok: true },
  );
}

/** A v3 refund notify's decrypted resource; answers the HTTP status WeChat expects. */
export async function handleRefundNotifyV3(
  deps: PaymentDeps,
  resource: Record<string, unknown>,
): Promise<{ status: number; body?: { code: 'FAIL'; message: string } }> {
  const refund = v3RefundOfNotify(resource);
  const problem = await settleFromNotify(deps, refund.outRefundNo, refund.refund, refund);
  return problem ? { status: 400, body: { code: 'FAIL', message: problem } } : { status: 204 };
}

/** Settles from a notify; answers why it was refused, or undefined when taken. */
async function settleFromNotify(
  deps: PaymentDeps,
  outRefundNo: string,
  amount: number,
  state: { status: string; refundId: string | null },
): Promise<string | undefined> {
  const known = await refunds.findRefund(deps.db, outRefundNo);
  if (!known) return '退款记录不存在';
  if (Number(known.amount) !== amount) return `退款金额不符：应退${known.amount}分，通知${amount}分`;
  const outcome = outcomeOf(state);
  if (!outcome) return undefined; // still processing: the next notify or the reconciliation settles it
  try {
    await settleRefund(deps, outRefundNo, outcome, deps.clock.now(), 'wechat:refund-notify');
    return undefined;
  } catch (error) {
    if (error instanceof DomainError) return error.message;
    throw error;
  }
}

/**
 * The refund reconciliation: refunds still requested after a grace period are asked about
 * (refund query) and settled from WeChat's answer — a lost notify; one WeChat never received
 * (the request's answer was lost, or the server stopped before sending it) is sent again under
 * the same out_refund_no.
 */
export async function reconcileRefunds(
  deps: PaymentDeps,
  now: number,
  graceMs = 5 * 60_000,
): Promise<number> {
  let settled = 0;
  for (const refund of await refunds.listOpenRefunds(deps.db, now - graceMs, 200)) {
    const payment = await repo.findPaymentById(deps.db, Number(refund.payment_id));
    if (!payment) continue;
    const state =
      payment.channel === 'wechat_jsapi'
        ? await deps.wechatV3().queryRefund(refund.out_refund_no)
        : await deps.wechat.refundQuery(refund.out_refund_no);
    if (state.status === 'NOTEXIST') {
      await sendRefund(deps, normalized(refund));
      continue;
    }
    const outcome = outcomeOf(state);
    if (!outcome) continue;
    try {
      await settleRefund(deps, refund.out_refund_no, outcome, now, 'job:reconcile');
      settled += 1;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
  return settled;
}

/**
 * The WeChat payments of `payer` that brought money into something held for them: those of
 * `paidPurposes` that were paid, and every credited one (money taken after we gave up on it);
 * newest first, since WeChat refunds only payments less than a year old.
 */
export function listRefundSources(
  db: Db,
  payer: string,
  paidPurposes: readonly string[],
): Promise<PaymentRow[]> {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('payer', '=', payer)
    .where('channel', '<>', 'deposit')
    .where((eb) =>
      eb.or([
        eb('status', '=', 'credited'),
        eb.and([eb('status', '=', 'paid'), eb('purpose', 'in', [...paidPurposes])]),
      ]),
    )
    .orderBy('paid_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export function findRefund(db: Db, outRefundNo: string): Promise<RefundRow | undefined> {
  return refunds.findRefund(db, outRefundNo).then((row) => row && normalized(row));
}
