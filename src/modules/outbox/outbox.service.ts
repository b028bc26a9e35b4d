import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
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
  const rows = await partnerCallbacks.list(db, status as 'pending' | undefined, limit);
  return rows.map((row) => ({ ...row, id: Number(row.id) }));
}
