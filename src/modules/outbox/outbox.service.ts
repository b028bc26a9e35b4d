import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { insertCallbackOnce, markCallbackDead, scheduleCallbackRetry } from './outbox.repository.js';

type Db = Kysely<Database>;

/** Seconds to wait after each failed attempt; after the last, the callback is given up (dead). */
export const RETRY_DELAYS_S = [15, 60, 300, 1800, 7200, 21_600, 43_200, 86_400] as const;

/**
 * Queues a call to a partner inside the caller's transaction, so the call exists exactly when
 * the decision it reports was committed. The dedupe key makes a second queueing of the same
 * decision a no-op: one decision, one callback.
 */
export async function enqueueCallback(
  trx: Db,
  input: { ua: string; call: string; args: Record<string, unknown>; dedupeKey: string; now: number },
): Promise<void> {
  await insertCallbackOnce(trx, {
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

export async function markCallbackFailed(
  db: Db,
  callback: { id: number; attempts: number },
  error: string,
  now: number,
): Promise<void> {
  const attemptsMade = callback.attempts + 1;
  const delay = RETRY_DELAYS_S[attemptsMade - 1];
  const lastError = error.slice(0, 500);
  if (delay === undefined) await markCallbackDead(db, callback.id, lastError);
  else await scheduleCallbackRetry(db, callback.id, now + delay * 1000, lastError);
}
