import type { SmsTemplateKey } from '../../config.js';
import { isTransientConflict, retrying } from '../../platform/db/transaction-retry.js';
import type { JobDefinition } from '../../platform/jobs/job-runner.js';
import type { SmsChannel } from '../../platform/sms/sms-channel.js';
import { recordAudit } from '../audit/index.js';
import {
  CloseAtWechatFirst,
  closeAtWechat,
  findOpenPayment,
  type PaymentRow,
  settlePayment,
} from '../payments/index.js';
import { cardReopened } from './parking-order-review.service.js';
import * as repo from './parking-orders.repository.js';
import { PARKING_ORDER_PURPOSE, type ParkingOrderDeps } from './parking-orders.service.js';

const DAY_MS = 86_400_000;
/** How long before a permit ends its holder is reminded. */
export const PARKING_REMIND_BEFORE_MS = 7 * DAY_MS;

/**
 * The SMS template the expiry reminder goes out under: its own (SMS_TEMPLATE_PARKING_REMINDER),
 * never the verification code's (`parking`), whose approved wording is a code's.
 */
export const PARKING_REMINDER_TEMPLATE_KEY = 'parking_reminder' satisfies SmsTemplateKey;

/** The reminder's wording as registered (`{date}` is `${date}` at Aliyun, `{1}` at Tencent). */
export const PARKING_REMINDER_WORDING = '您的校园包月车位将于{date}到期，请及时续费。';

export interface ParkingJobDeps extends ParkingOrderDeps {
  /** The reminder's template is `sms.templates.parking_reminder`; none: no reminders. */
  sms: SmsChannel;
}

/**
 * Unpaid orders past their pay period (and not waiting for review) close: 01 → 81, a renewing
 * card back to valid (2 → 1), a first purchase's card timed out (0 → -1). Their WeChat order is
 * closed first; if WeChat says it was paid meanwhile, the payment settles as paid instead and
 * the order is not closed. Each close is one conditional UPDATE, so of several servers one wins.
 * A pay that opens a payment while the job runs wins too: the order is left open for the next
 * run, which closes that payment at WeChat first.
 */
export async function closeOverdueOrders(deps: ParkingOrderDeps, now: number): Promise<number> {
  let closed = 0;
  for (const order of await repo.listOverdueOrders(deps.db, now, 100)) {
    const payment = await findOpenPayment(deps.db, PARKING_ORDER_PURPOSE, order.id);
    try {
      if (payment) await closeOpenPayment(deps, payment, now);
    } catch {
      continue; // WeChat could not say: the next run tries again
    }
    // A placement on the same card locks the card, then meets this order in the open-order index;
    // this locks the order, then the card: PostgreSQL may fail one of the two, which starts over.
    const done = await retrying(
      () =>
        deps.db.transaction().execute(async (trx) => {
          const locked = await repo.lockOrder(trx, order.id);
          if (locked?.state !== '01' || Number(locked.expires_at) > now || locked.audit_state === '02')
            return false;
          // Payments are opened under this lock: one opened since the look above is a payer's, now
          // at WeChat or on its way there, and closing the order under it would leave it payable.
          if (await findOpenPayment(trx, PARKING_ORDER_PURPOSE, order.id)) return false;
          if (!(await repo.moveOrder(trx, locked, { state: '81', updated_at: now }))) return false;
          await recordAudit(trx, {
            actor: 'job:parking',
            entity: 'parking_order',
            entity_id: order.id,
            action: 'timed_out',
            from_state: '01',
            to_state: '81',
            reason: '超时未支付',
            created_at: now,
          });
          const renewal = Number(locked.order_type) === 1;
          const moved = renewal
            ? await repo.moveCard(trx, locked.card_id, 2, cardReopened(now))
            : await repo.moveCard(trx, locked.card_id, 0, { state: -1, updated_at: now });
          if (moved)
            await recordAudit(trx, {
              actor: 'job:parking',
              entity: 'parking_card',
              entity_id: locked.card_id,
              action: 'state',
              from_state: renewal ? '2' : '0',
              to_state: renewal ? '1' : '-1',
              reason: `订单${order.id}超时未支付`,
              created_at: now,
            });
          return true;
        }),
      isTransientConflict,
    );
    if (done) closed += 1;
  }
  return closed;
}

/**
 * The order's open payment, closed: here alone while WeChat has never been asked for it, else at
 * WeChat first (the prepay_id may have been stored since the job read the payment).
 */
async function closeOpenPayment(deps: ParkingOrderDeps, payment: PaymentRow, now: number): Promise<void> {
  let sent = payment;
  if (!payment.prepay_id) {
    try {
      const reason = '订单超时未支付';
      await settlePayment(
        deps.payments,
        payment.out_trade_no,
        { kind: 'closed', reason, unsentOnly: true },
        now,
        'job:parking',
      );
      return;
    } catch (error) {
      if (!(error instanceof CloseAtWechatFirst)) throw error;
      sent = error.payment;
    }
  }
  await closeAtWechat(deps.payments, sent, now);
}

/**
 * A reminder SMS 7 days before a permit ends, once per end date: the card's reminded_end_dt is
 * claimed by one conditional UPDATE before the message goes, so two servers never both send it
 * and a renewal (a new end) earns a new reminder. A text the provider refuses is not tried again
 * for that end; one it could not take (down, timed out) is, by the next hourly run.
 */
export async function remindExpiringCards(deps: ParkingJobDeps, now: number): Promise<number> {
  const templateId = deps.sms.templates[PARKING_REMINDER_TEMPLATE_KEY];
  if (!templateId) return 0;
  let sent = 0;
  for (const card of await repo.listCardsToRemind(deps.db, now, now + PARKING_REMIND_BEFORE_MS, 200)) {
    const end = Number(card.end_dt);
    if (!(await repo.claimReminder(deps.db, card.id, end))) continue;
    const endDate = new Date(end + 8 * 3_600_000).toISOString().slice(0, 10);
    const result = await deps.sms.provider.send({
      phone: deps.pii.decrypt(card.phone_enc),
      templateId,
      params: { date: endDate },
      signName: deps.sms.signName,
      text: PARKING_REMINDER_WORDING.replace('{date}', endDate),
    });
    if (result.ok) {
      sent += 1;
      continue;
    }
    // The provider or the way to it was down: the claim is given back and the next run tries again
    // (a text that went out after all, past a timeout, may then come twice; none at all is worse).
    // A refusal would be refused again: not retried for this end date.
    const retried = result.kind === 'unavailable';
    if (retried) await repo.releaseReminder(deps.db, card.id, end, card.reminded_end_dt);
    deps.log(
      `parking reminder for card ${card.id} not sent: ${result.code}${retried ? '; tried again next run' : ''}`,
    );
  }
  return sent;
}

/** How long ago a file no order names must have been written before it is removed. */
const PARKING_UNNAMED_UPLOAD_AGE_MS = DAY_MS;
/** Keys asked about in one query. */
const SWEEP_BATCH = 500;

/**
 * Files in the uploads storage that no order names, last written more than a day ago: the
 * documents of a request whose server stopped between storing them and committing its order (a
 * request that fails removes its own before it answers). Each is removed and the count logged.
 * A day is far beyond any request's upload, and a file is named by its order's commit, which
 * comes right after its flush: nothing on its way to an order is that old.
 */
export async function sweepUnnamedUploads(deps: ParkingOrderDeps, now: number): Promise<number> {
  let removed = 0;
  for await (const keys of deps.storage.keysWrittenBefore(now - PARKING_UNNAMED_UPLOAD_AGE_MS)) {
    for (let i = 0; i < keys.length; i += SWEEP_BATCH) {
      const batch = keys.slice(i, i + SWEEP_BATCH);
      const named = await repo.namedStorageKeys(deps.db, batch);
      for (const key of batch) {
        if (named.has(key)) continue;
        await deps.storage.delete(key);
        removed += 1;
      }
    }
  }
  if (removed > 0)
    deps.log(`parking uploads: ${removed} file(s) no order names, written over a day ago, removed`);
  return removed;
}

/** The parking orders' jobs, each safe to run on several servers at once. */
export function parkingOrderJobs(deps: ParkingJobDeps): JobDefinition[] {
  return [
    {
      name: 'parking.close-overdue-orders',
      intervalMs: 30_000,
      run: (now) => closeOverdueOrders(deps, now).then(() => {}),
    },
    {
      name: 'parking.remind-expiring',
      intervalMs: 3_600_000,
      run: (now) => remindExpiringCards(deps, now).then(() => {}),
    },
    {
      name: 'parking.sweep-unnamed-uploads',
      intervalMs: 3_600_000,
      run: (now) => sweepUnnamedUploads(deps, now).then(() => {}),
    },
  ];
}
