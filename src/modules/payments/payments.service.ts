import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import { formatShanghaiCompact } from '../../core/time.js';
import type { Database } from '../../database.js';
import type { Clock } from '../../platform/clock.js';
import { isUniqueViolation } from '../../platform/db/database.js';
import { isTransientConflict, retrying } from '../../platform/db/transaction-retry.js';
import { type AppPayParams, notifyReply, type V2Gateway } from '../../platform/wechat-pay/v2-gateway.js';
import { verifyV2 } from '../../platform/wechat-pay/v2-sign.js';
import { parseV2Xml } from '../../platform/wechat-pay/v2-xml.js';
import type { V3Gateway, V3Transaction } from '../../platform/wechat-pay/v3-gateway.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './payment.repository.js';
import type { PaymentRow } from './payment.table.js';
import { isFinal, isSettledWithMoney, type PaymentChannel, type PaymentStatus } from './payment-state.js';
import { handleRefundNotifyV2, handleRefundNotifyV3 } from './refund.service.js';
import type { RefundRow } from './refund.table.js';

type Db = Kysely<Database>;

/** What a module does when a payment of its purpose settles, inside the settling transaction. */
export interface PaymentHook {
  /**
   * Locks the thing paid for (its rows FOR UPDATE). Every decision about a subject's payments,
   * the module's own pay calls included, takes this lock first, so they queue in one order.
   */
  lockSubject(trx: Db, subjectId: string): Promise<void>;
  onPaid(trx: Db, payment: PaymentRow, now: number): Promise<void>;
  onFailed?(trx: Db, payment: PaymentRow, now: number): Promise<void>;
  /**
   * WeChat took money for a payment we had already given up on (closed, failed, or its subject
   * paid some other way). It must land somewhere: the purpose credits it to the payer.
   */
  onPaidLate(trx: Db, payment: PaymentRow, now: number): Promise<void>;
  /**
   * A refund of one of its payments succeeded or failed at WeChat (`refund.status`), inside the
   * settling transaction; required of any purpose whose payments are refunded.
   */
  onRefundSettled?(trx: Db, payment: PaymentRow, refund: RefundRow, now: number): Promise<void>;
}

/**
 * Thrown inside a pay transaction that must replace an open payment WeChat already knows: the
 * order is closed at WeChat first (outside any transaction), then the pay is tried again.
 */
export class CloseAtWechatFirst extends Error {
  constructor(readonly payment: PaymentRow) {
    super(`payment ${payment.out_trade_no} must be closed at WeChat first`);
  }
}

export interface PaymentDeps {
  db: Db;
  clock: Clock;
  wechat: V2Gateway;
  /** Our public notify URL as WeChat must call it (no query string). */
  notifyUrl: string;
  /** WeChat Pay v3 for JSAPI (openId) payments, made on first use. */
  wechatV3: () => V3Gateway;
  v3NotifyUrl: string;
  hooks: Readonly<Record<string, PaymentHook>>;
}

/** How long a payment may stay open; WeChat's prepay_id itself lives 2 hours. */
export const PAYMENT_TTL_MS = 30 * 60_000;

export type Settlement =
  | { kind: 'paid'; amount: number; transactionId: string | null; paidAt: number }
  | { kind: 'failed'; reason: string }
  | {
      kind: 'closed';
      reason: string;
      /**
       * Close only a payment WeChat has not been asked about (no prepay_id, judged under its
       * lock): one a concurrent pay has just taken to WeChat is refused with CloseAtWechatFirst,
       * so it is closed there instead of here alone, where the payer could still pay it.
       */
      unsentOnly?: true;
    };

const STATUS_OF: Record<Settlement['kind'], PaymentStatus> = {
  paid: 'paid',
  failed: 'failed',
  closed: 'closed',
};

function newTradeNo(now: number): string {
  return `P${formatShanghaiCompact(now).slice(2)}${String(randomInt(0, 1e12)).padStart(12, '0')}`;
}

/**
 * Opens a payment for `subject`, inside the caller's transaction. At most one open payment
 * exists per subject (a partial unique index): asking again for the same amount answers the
 * open one, so a retried pay does not charge twice. Money the platform already holds (the
 * `deposit` channel) does not wait for anyone: that payment is paid when it is made.
 */
export async function openPayment(
  trx: Db,
  input: {
    purpose: string;
    subjectId: string;
    payer: string;
    amount: number;
    channel: PaymentChannel;
    now: number;
  },
): Promise<PaymentRow> {
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0)
    throw new Error('payment amount must be positive fen');
  const found = await repo.findSubjectPayment(trx, input.purpose, input.subjectId, 'created');
  // Locked before its prepay_id is looked at (the caller holds the subject's lock, so nothing
  // settles it meanwhile): a prepay_id stored concurrently is either seen here, and closed at
  // WeChat first, or finds this payment closed and its WeChat order is closed by that pay.
  const open = found && (await repo.lockPayment(trx, found.id));
  if (open && open.amount === input.amount && open.channel === input.channel && open.expires_at > input.now)
    return open;
  // Closing only here would leave WeChat free to take the money for it.
  if (open?.prepay_id) throw new CloseAtWechatFirst(open);
  if (open) await closeInTransaction(trx, open, '金额或方式已变更，重新下单', input.now, 'system');
  const paidNow = input.channel === 'deposit';
  return repo.insertPayment(trx, {
    out_trade_no: newTradeNo(input.now),
    purpose: input.purpose,
    subject_id: input.subjectId,
    payer: input.payer,
    amount: input.amount,
    channel: input.channel,
    status: paidNow ? 'paid' : 'created',
    prepay_id: null,
    transaction_id: null,
    failure_reason: null,
    expires_at: input.now + PAYMENT_TTL_MS,
    paid_at: paidNow ? input.now : null,
    wechat_final_at: null,
    created_at: input.now,
    updated_at: input.now,
  });
}

/** Asks WeChat for a prepay_id (once per payment) and answers the APP pay parameters. */
export async function requestAppPay(
  deps: PaymentDeps,
  payment: PaymentRow,
  input: { description: string; clientIp: string },
): Promise<AppPayParams> {
  let prepayId = payment.prepay_id;
  if (!prepayId) {
    prepayId = await deps.wechat.unifiedOrder({
      body: input.description.slice(0, 120),
      outTradeNo: payment.out_trade_no,
      totalFee: payment.amount,
      clientIp: input.clientIp,
      notifyUrl: deps.notifyUrl,
      tradeType: 'APP',
      timeExpire: formatShanghaiCompact(payment.expires_at),
    });
    await keepPrepayIdIfOpen(deps, payment, prepayId, () => deps.wechat.closeOrder(payment.out_trade_no));
  }
  return deps.wechat.appPayParams(prepayId, Math.floor(deps.clock.now() / 1000));
}

/** Asks WeChat Pay v3 for a JSAPI prepay_id (once per payment) and answers the page parameters. */
export async function requestJsapiPay(
  deps: PaymentDeps,
  payment: PaymentRow,
  input: { description: string; openId: string },
): Promise<ReturnType<V3Gateway['pageParams']>> {
  const v3 = deps.wechatV3();
  let prepayId = payment.prepay_id;
  if (!prepayId) {
    prepayId = await v3.jsapiOrder({
      description: input.description,
      outTradeNo: payment.out_trade_no,
      total: payment.amount,
      notifyUrl: deps.v3NotifyUrl,
      openId: input.openId,
      timeExpire: new Date(payment.expires_at + 8 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00'),
    });
    await keepPrepayIdIfOpen(deps, payment, prepayId, () => v3.closeOrder(payment.out_trade_no));
  }
  return v3.pageParams(prepayId, Math.floor(deps.clock.now() / 1000));
}

/**
 * The order now exists at WeChat. If our payment was closed while WeChat was being asked (the
 * tenant switched to the deposit meanwhile), the fresh order is closed there too rather than
 * handed to the payer; reconciliation checks it stayed unpaid.
 */
async function keepPrepayIdIfOpen(
  deps: PaymentDeps,
  payment: PaymentRow,
  prepayId: string,
  closeAtWechat: () => Promise<boolean>,
): Promise<void> {
  if (await repo.setPrepayIdIfOpen(deps.db, payment.id, prepayId)) return;
  await closeAtWechat();
  throw new DomainError('conflict', '支付已变更，请重新发起支付');
}

/**
 * A WeChat Pay v3 notify: signature (platform key, 300 s window) and decryption first; then
 * the same idempotent settlement as v2. Answers the HTTP status WeChat expects (204, or 4xx
 * with {code:'FAIL'} so WeChat retries).
 */
/** v3 trade states that may still become SUCCESS. */
const V3_NOT_YET_FINAL = new Set(['NOTPAY', 'USERPAYING']);

export async function handleWechatV3Notify(
  deps: PaymentDeps,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; body?: { code: 'FAIL'; message: string } }> {
  const event = deps.wechatV3().readNotifyEvent(headers, body);
  if (!event) return { status: 401, body: { code: 'FAIL', message: '签名或报文错误' } };
  // WeChat sends refund notifies to the notify_url the refund named: this one.
  if (event.eventType.startsWith('REFUND.')) return handleRefundNotifyV3(deps, event.resource);
  const transaction = event.resource as unknown as V3Transaction;
  // Not paid yet is not a failure: the payment stays open, and a later notify or the
  // reconciliation settles it.
  if (V3_NOT_YET_FINAL.has(transaction.trade_state)) return { status: 204 };
  const now = deps.clock.now();
  const outcome: Settlement =
    transaction.trade_state === 'SUCCESS'
      ? {
          kind: 'paid',
          amount: Number(transaction.amount?.total),
          transactionId: transaction.transaction_id ?? null,
          paidAt: now,
        }
      : transaction.trade_state === 'CLOSED'
        ? { kind: 'closed', reason: 'CLOSED' }
        : { kind: 'failed', reason: transaction.trade_state };
  try {
    await settlePayment(deps, transaction.out_trade_no, outcome, now, 'wechat:notify-v3');
    return { status: 204 };
  } catch (error) {
    if (error instanceof DomainError) return { status: 400, body: { code: 'FAIL', message: error.message } };
    throw error;
  }
}

/**
 * Records what WeChat says happened to a payment, once. Paid and credited payments never move
 * again — a duplicate notify is harmless and a late one never moves a record backwards — and
 * a paid amount that differs from ours is refused. Money for a payment we had already closed
 * or failed, or whose subject another payment paid, is credited to the payer, never dropped.
 * The subject is locked first (the purpose's hook), then the payment; the hook runs in the
 * same transaction.
 */
export async function settlePayment(
  deps: Pick<PaymentDeps, 'db' | 'hooks'>,
  outTradeNo: string,
  outcome: Settlement,
  now: number,
  source: string,
): Promise<PaymentRow> {
  const transaction = () =>
    deps.db.transaction().execute(async (trx) => {
      const found = await repo.findPaymentByTradeNo(trx, outTradeNo);
      if (!found) throw new DomainError('not_found', '支付记录不存在');
      const hook = deps.hooks[found.purpose];
      await hook?.lockSubject(trx, found.subject_id);
      const payment = await repo.lockPayment(trx, found.id);
      if (
        outcome.kind === 'closed' &&
        outcome.unsentOnly &&
        payment.status === 'created' &&
        payment.prepay_id
      )
        throw new CloseAtWechatFirst(payment);
      if (outcome.kind === 'paid' && outcome.amount !== payment.amount) {
        throw new DomainError('validation', `支付金额不符：应付${payment.amount}分，实付${outcome.amount}分`);
      }
      if (isSettledWithMoney(payment.status)) return payment;
      if (outcome.kind !== 'paid' && isFinal(payment.status)) {
        await repo.markWechatFinal(trx, payment.id, now);
        return payment;
      }
      const late =
        outcome.kind === 'paid' &&
        (isFinal(payment.status) ||
          (await repo.findSubjectPayment(trx, payment.purpose, payment.subject_id, 'paid')) !== undefined);
      const status: PaymentStatus = late ? 'credited' : STATUS_OF[outcome.kind];
      const patch: Partial<PaymentRow> = { status, updated_at: now, wechat_final_at: now };
      if (outcome.kind === 'paid')
        Object.assign(patch, { paid_at: outcome.paidAt, transaction_id: outcome.transactionId });
      else patch.failure_reason = outcome.reason;
      if (!(await repo.updatePaymentIfUnchanged(trx, payment, patch))) {
        throw new DomainError('conflict', '支付状态已变更，请重试');
      }
      const settled = { ...payment, ...patch, version: payment.version + 1 } as PaymentRow;
      if (late) {
        // An open payment overtaken by another gives back what it had set aside first.
        if (payment.status === 'created') await hook?.onFailed?.(trx, settled, now);
        if (!hook) throw new Error(`payment purpose ${payment.purpose} has no hook to credit late money to`);
        await hook.onPaidLate(trx, settled, now);
      } else if (outcome.kind === 'paid') await hook?.onPaid(trx, settled, now);
      else await hook?.onFailed?.(trx, settled, now);
      await recordAudit(trx, {
        actor: source,
        entity: 'payment',
        entity_id: outTradeNo,
        action: late ? 'paid_late' : outcome.kind,
        from_state: payment.status,
        to_state: status,
        reason: outcome.kind === 'paid' ? outcome.transactionId : outcome.reason,
        created_at: now,
      });
      return settled;
    });
  return retrying(transaction, isTransientConflict);
}

/**
 * Closes an open payment at WeChat before anything replaces it. If WeChat says the payer has
 * paid it meanwhile, that payment is settled as paid instead; if WeChat cannot say, the caller
 * is told to try again later, and nothing is replaced.
 */
export async function closeAtWechat(deps: PaymentDeps, payment: PaymentRow, now: number): Promise<void> {
  const order = wechatOrder(deps, payment);
  const closed = await order.close();
  const answer = await order.query();
  if (answer.trade_state === 'SUCCESS') {
    await settlePayment(deps, payment.out_trade_no, paidOutcome(answer, now), now, 'wechat:close');
    return;
  }
  if (closed || ENDED_AT_WECHAT.has(answer.trade_state ?? '')) {
    await settlePayment(
      deps,
      payment.out_trade_no,
      { kind: 'closed', reason: '已改用其他方式支付' },
      now,
      'wechat:close',
    );
    return;
  }
  throw new DomainError('conflict', '支付处理中，请稍后再试');
}

/** WeChat states after which an order can never be paid. */
const ENDED_AT_WECHAT: ReadonlySet<string> = new Set(['CLOSED', 'REVOKED', 'PAYERROR']);

function paidOutcome(answer: Record<string, string | undefined>, now: number): Settlement {
  return {
    kind: 'paid',
    amount: Number(answer.total_fee),
    transactionId: answer.transaction_id ?? null,
    paidAt: now,
  };
}

/**
 * Runs a pay transaction until it stands: a payment WeChat knows is closed there first, and
 * a race lost to a concurrent pay of the same subject (a unique index, a deadlock PostgreSQL
 * broke) starts over and then sees the winner's result.
 */
export async function payWithRetries<T>(deps: PaymentDeps, attempt: () => Promise<T>): Promise<T> {
  for (let closes = 0; ; closes++) {
    try {
      return await retrying(attempt, (error) => isUniqueViolation(error) || isTransientConflict(error));
    } catch (error) {
      if (!(error instanceof CloseAtWechatFirst) || closes >= 3) throw error;
      await closeAtWechat(deps, error.payment, deps.clock.now());
    }
  }
}

async function closeInTransaction(
  trx: Db,
  payment: PaymentRow,
  reason: string,
  now: number,
  actor: string,
): Promise<void> {
  if (
    !(await repo.updatePaymentIfUnchanged(trx, payment, {
      status: 'closed',
      failure_reason: reason,
      updated_at: now,
    }))
  ) {
    throw new DomainError('conflict', '支付状态已变更，请重试');
  }
  await recordAudit(trx, {
    actor,
    entity: 'payment',
    entity_id: payment.out_trade_no,
    action: 'closed',
    from_state: payment.status,
    to_state: 'closed',
    reason,
    created_at: now,
  });
}

/**
 * WeChat's payment notify: verified (signature in constant time, our merchant), settled
 * idempotently, answered with the exact SUCCESS / FAIL XML WeChat expects.
 */
export async function handleWechatNotify(
  deps: PaymentDeps,
  xml: string,
): Promise<{ reply: string; ok: boolean }> {
  const fields = parseV2Xml(xml);
  if (!fields) return { reply: notifyReply(false, 'XML格式错误'), ok: false };
  const { merchant } = deps.wechat;
  // A refund notify is not signed: its req_info is encrypted with a key derived from the API key.
  if (fields.req_info !== undefined && fields.sign === undefined) return handleRefundNotifyV2(deps, fields);
  if (!verifyV2(fields, merchant.apiKey)) return { reply: notifyReply(false, '签名错误'), ok: false };
  if (fields.appid !== merchant.appId || fields.mch_id !== merchant.mchId) {
    return { reply: notifyReply(false, '商户不匹配'), ok: false };
  }
  if (fields.return_code !== 'SUCCESS' || !fields.out_trade_no) return { reply: notifyReply(true), ok: true };
  const now = deps.clock.now();
  const outcome: Settlement =
    fields.result_code === 'SUCCESS'
      ? {
          kind: 'paid',
          amount: Number(fields.total_fee),
          transactionId: fields.transaction_id ?? null,
          paidAt: now,
        }
      : { kind: 'failed', reason: fields.err_code_des ?? fields.err_code ?? '支付失败' };
  try {
    await settlePayment(deps, fields.out_trade_no, outcome, now, 'wechat:notify');
    return { reply: notifyReply(true), ok: true };
  } catch (error) {
    if (error instanceof DomainError) return { reply: notifyReply(false, error.message), ok: false };
    throw error;
  }
}

/**
 * The reconciliation job: payments still open past a grace period are settled from WeChat's
 * own answer (a lost notify), and those past their expiry that were never paid are closed at
 * WeChat and here. Payments by held deposit never stay open, so only WeChat ones are asked.
 */
export async function reconcilePayments(
  deps: PaymentDeps,
  now: number,
  graceMs = 5 * 60_000,
): Promise<number> {
  const stale = await repo.listStalePayments(deps.db, now - graceMs, 200);
  let settled = 0;
  for (const payment of stale) {
    const order = wechatOrder(deps, payment);
    const answer = await order.query();
    const state = answer.trade_state;
    let outcome: Settlement | undefined;
    if (state === 'SUCCESS') outcome = paidOutcome(answer, now);
    else if (state === 'PAYERROR') outcome = { kind: 'failed', reason: '支付失败(查单)' };
    else if (state === 'CLOSED' || state === 'REVOKED') outcome = { kind: 'closed', reason: '微信侧已关闭' };
    else if ((state === 'NOTPAY' || state === 'UNKNOWN') && now >= payment.expires_at) {
      // Paid in the last moment: WeChat refuses to close, and the next run settles it as paid.
      const closed = state !== 'NOTPAY' || !payment.prepay_id || (await order.close());
      if (closed) outcome = { kind: 'closed', reason: '超时未支付' };
    }
    if (!outcome) continue;
    try {
      await settlePayment(deps, payment.out_trade_no, outcome, now, 'job:reconcile');
      settled += 1;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
  return settled + (await confirmEndedPayments(deps, now));
}

/**
 * Payments we closed or failed are asked about until WeChat confirms them final: one paid at
 * WeChat after all is settled (credited), one WeChat still holds open is closed there.
 */
async function confirmEndedPayments(deps: PaymentDeps, now: number): Promise<number> {
  let credited = 0;
  for (const payment of await repo.listUnconfirmedEndedPayments(deps.db, 200)) {
    const order = wechatOrder(deps, payment);
    let answer = await order.query();
    if (answer.trade_state === 'NOTPAY') {
      await order.close();
      answer = await order.query();
    }
    if (answer.trade_state === 'SUCCESS') {
      try {
        await settlePayment(deps, payment.out_trade_no, paidOutcome(answer, now), now, 'job:reconcile');
        credited += 1;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
      }
    } else if (ENDED_AT_WECHAT.has(answer.trade_state ?? '') || answer.trade_state === 'NOTPAY') {
      // NOTPAY after a close: WeChat never knew the order, so nobody can pay it.
      await repo.markWechatFinal(deps.db, payment.id, now);
    }
  }
  return credited;
}

/** The order at WeChat behind a payment, through the API of its channel (v3 for JSAPI, else v2). */
function wechatOrder(deps: PaymentDeps, payment: PaymentRow) {
  const v3 = payment.channel === 'wechat_jsapi';
  return {
    query: () => (v3 ? queryV3(deps, payment.out_trade_no) : deps.wechat.orderQuery(payment.out_trade_no)),
    close: () =>
      v3 ? deps.wechatV3().closeOrder(payment.out_trade_no) : deps.wechat.closeOrder(payment.out_trade_no),
  };
}

/** v3 query, in the v2 answer's terms the reconciliation reads. */
async function queryV3(deps: PaymentDeps, outTradeNo: string): Promise<Record<string, string | undefined>> {
  try {
    const t = await deps.wechatV3().queryOrder(outTradeNo);
    return {
      trade_state: t.trade_state,
      total_fee: String(t.amount?.total ?? ''),
      transaction_id: t.transaction_id,
    };
  } catch {
    return { trade_state: 'UNKNOWN' };
  }
}

export async function findPayment(db: Db, id: number): Promise<PaymentRow | undefined> {
  return repo.findPaymentById(db, id);
}

/** The payment still open for a subject, if any: what a pay call is about to replace or reuse. */
export async function findOpenPayment(
  db: Db,
  purpose: string,
  subjectId: string,
): Promise<PaymentRow | undefined> {
  return repo.findSubjectPayment(db, purpose, subjectId, 'created');
}
