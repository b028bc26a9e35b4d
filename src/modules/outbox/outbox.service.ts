import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import type { Database } from '../../database.js';
import { recordAudit } from '../audit/index.js';
import { partnerCallbacks } from './outbox.repository.js';

type Db = Kysely<Database>;

/**
 * Queues a call to a partner inside the caller's transaction, so the call exists exactly when
 * the decision it reports was committed. The dedupe key makes a second queueing of the same
 * decision a no-op: one decision, one callback.
 */
export async function enqueueCallback(
  trx: Db,
  input: { ua: string; call: string; args: Record<string, unknown>; dedupeKey: string; now: number },
): Promise<void> {
  await partnerCallbacks.enqueueOnce(trx, {
    ua: input.ua,
    call: input.call,
    args: JSON.stringify(input.args),
    dedupe_key: input.dedupeKey,
    status: 'pending',
    next_attempt_at: input.now,
    last_error: null,
    created_at: input.now,
    delivered_at: null,
  });
}

/** The newest callbacks, optionally in one status, for the admin's list. */
export async function listCallbacks(db: Db, status: string | undefined, limit = 100) {
  return listCallbacksBefore(db, status, limit);
}

/** Keyset pages of the admin's list, newest first, for an export. */
export function callbackExportPages(db: Db, status: string | undefined) {
  return (after: { id: number } | undefined, limit: number) =>
    listCallbacksBefore(db, status, limit, after?.id);
}

async function listCallbacksBefore(db: Db, status: string | undefined, limit: number, beforeId?: number) {
  const rows = await partnerCallbacks.list(db, status as 'pending' | undefined, limit, beforeId);
  return rows.map((row) => ({ ...row, id: Number(row.id) }));
}

/**
 * An admin's retry: a callback that failed (pending after a failed attempt) or was given up
 * (dead) becomes due now, with an audit row; a delivered one is refused. Answers the callback as
 * it now stands.
 */
export async function retryCallback(db: Db, actor: string, id: number, now: number) {
  const seen = await partnerCallbacks.find(db, id);
  if (!seen) throw new DomainError('not_found', '回调不存在', [{ field: 'id', error: '回调不存在' }]);
  const attempts = Number(seen.attempts);
  if (seen.status === 'delivered') throw new DomainError('illegal_transition', '回调已送达，不能重试');
  if (seen.status === 'pending' && attempts === 0)
    throw new DomainError('illegal_transition', '回调尚未发送过，已在等待发送，无需重试');
  await db.transaction().execute(async (trx) => {
    if (!(await partnerCallbacks.retryNow(trx, { id, status: seen.status, attempts }, now)))
      throw new DomainError('conflict', '回调状态已变化，请刷新后重试');
    await recordAudit(trx, {
      actor,
      entity: 'partner_callback',
      entity_id: String(id),
      action: 'retry',
      from_state: seen.status,
      to_state: 'pending',
      reason: null,
      created_at: now,
    });
  });
  return { ...seen, id, status: 'pending' as const, next_attempt_at: now };
}
