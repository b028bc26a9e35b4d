import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { formatShanghaiDateTime } from '../../core/time.js';
import { topSign } from '../../core/top-sign.js';
import type { Database } from '../../database.js';
import type { Pii } from '../../platform/pii.js';
import {
  escrowNotifications,
  findIsvCallbackUrl,
  findNotifiedIsv,
} from './escrow-notifications.repository.js';
import {
  ESCROW_NOTIFY_STATUSES,
  type EscrowNotificationRow,
  type EscrowNotifyEvent,
  type EscrowNotifyStatus,
} from './escrow-notifications.table.js';
import type { EscrowState } from './escrow-state.js';

type Db = Kysely<Database>;

/** The TOP message name of our notifications (documented in docs/escrow.md). */
export const ESCROW_NOTIFY_METHOD = 'tmall.alihouse.trade.order.second.house.notify';
/** The body an ISV answers (with HTTP 200) once it has taken a notification; anything else is a failure. */
export const ESCROW_NOTIFY_SUCCESS = 'success';

/**
 * Queues a notification to the order's ISV inside the caller's transaction, so it exists
 * exactly when the change it reports was committed (a rolled-back change queues nothing). An
 * ISV without a callback URL gets nothing. The dedupe key names the change: queueing the same
 * change again (a replayed hook) changes nothing.
 */
export async function enqueueEscrowNotification(
  trx: Db,
  input: {
    order: { id: number | bigint; isv_id: number | bigint; house_order_no: string };
    event: EscrowNotifyEvent;
    state: EscrowState;
    data: Record<string, unknown>;
    dedupeKey: string;
    now: number;
  },
): Promise<void> {
  const isvId = Number(input.order.isv_id);
  if (!(await findIsvCallbackUrl(trx, isvId))) return;
  await escrowNotifications.enqueueOnce(trx, {
    notify_id: newNotifyId(input.now),
    dedupe_key: input.dedupeKey,
    isv_id: isvId,
    order_id: Number(input.order.id),
    house_order_no: input.order.house_order_no,
    event: input.event,
    state: input.state,
    data: JSON.stringify(input.data),
    status: 'pending',
    next_attempt_at: input.now,
    last_error: null,
    created_at: input.now,
    delivered_at: null,
  });
}

/** 32 hex digits: the time in ms (so ids sort roughly by creation), then 10 random bytes. */
function newNotifyId(now: number): string {
  return now.toString(16).padStart(12, '0') + randomBytes(10).toString('hex');
}

/** Sends one form to an ISV and answers the HTTP status and body. */
export type EscrowNotifyTransport = (
  url: string,
  form: Record<string, string>,
) => Promise<{ status: number; body: string }>;

export const httpEscrowNotifyTransport: EscrowNotifyTransport = async (url, form) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
    body: new URLSearchParams(form).toString(),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: await response.text() };
};

/** The signed form of one notification, as the ISV receives it. */
export function notificationForm(
  row: Pick<EscrowNotificationRow, 'notify_id' | 'house_order_no' | 'event' | 'state' | 'data'>,
  isv: { appKey: string; secret: string },
  now: number,
): Record<string, string> {
  const params: Record<string, string> = {
    method: ESCROW_NOTIFY_METHOD,
    app_key: isv.appKey,
    timestamp: formatShanghaiDateTime(now),
    v: '2.0',
    sign_method: 'hmac-sha256',
    notify_id: row.notify_id,
    house_order_no: row.house_order_no,
    event: row.event,
    state: row.state,
    data: row.data,
  };
  return { ...params, sign: topSign(params, isv.secret, 'hmac-sha256') };
}

/**
 * Job escrow.deliver-notifications: each due notification is claimed (so two servers never
 * send the same one at once), signed the TOP way with its ISV's secret and posted to its
 * callback URL. Delivered when the ISV answers HTTP 200 with the body `success`; otherwise
 * retried after the outbox's delays (RETRY_DELAYS_S), and dead after the last.
 */
export async function deliverEscrowNotifications(
  deps: { db: Db; pii: Pii },
  transport: EscrowNotifyTransport,
  now: number,
): Promise<number> {
  return escrowNotifications.deliverDue(deps.db, now, async (row) => {
    const isv = await findNotifiedIsv(deps.db, Number(row.isv_id));
    if (!isv?.callback_url) return 'ISV已停用或未配置回调地址';
    const form = notificationForm(
      row,
      { appKey: isv.app_key, secret: deps.pii.decrypt(isv.secret_enc) },
      now,
    );
    const answer = await transport(isv.callback_url, form);
    if (answer.status === 200 && answer.body.trim() === ESCROW_NOTIFY_SUCCESS) return undefined;
    return `HTTP ${answer.status} ${answer.body.slice(0, 200)}`;
  });
}

export function isEscrowNotifyStatus(value: unknown): value is EscrowNotifyStatus {
  return (ESCROW_NOTIFY_STATUSES as readonly unknown[]).includes(value);
}

/** The admin's view of the outbox, newest first. */
export async function listEscrowNotifications(
  db: Db,
  status: EscrowNotifyStatus | undefined,
  limit = 100,
  beforeId?: number,
) {
  return (await escrowNotifications.list(db, status, limit, beforeId)).map((row) => ({
    id: Number(row.id),
    notify_id: row.notify_id,
    house_order_no: row.house_order_no,
    event: row.event,
    state: row.state,
    data: JSON.parse(row.data) as Record<string, unknown>,
    status: row.status,
    attempts: Number(row.attempts),
    next_attempt_at: Number(row.next_attempt_at),
    last_error: row.last_error,
    created_at: Number(row.created_at),
    delivered_at: row.delivered_at === null ? null : Number(row.delivered_at),
  }));
}
