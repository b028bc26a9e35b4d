import type { Kysely } from 'kysely';
import { signatureDay, signatureDigest } from '../../core/signing.js';

/** The columns of a gateway's table of signatures already accepted. */
export interface SignatureColumns {
  digest: Buffer;
  seen_day: number;
}

/** A request whose signature was already accepted: a replay, refused whatever it asks. */
export class ReplayedRequest extends Error {
  constructor() {
    super('the signature was already used');
    this.name = 'ReplayedRequest';
  }
}

/**
 * A signed request's one use. A call that writes spends it inside its own transaction, so the
 * signature and what it bought commit (or roll back) together in one commit; any other call spends
 * it on its own. Either way the table's primary key decides: of copies racing in on several
 * servers exactly one inserts, and the others throw ReplayedRequest.
 */
export interface OneTimeSignature<DB> {
  /** Spends the signature in `trx` (or on its own); throws ReplayedRequest when it was spent before. */
  spend(trx?: Kysely<DB>): Promise<void>;
}

/**
 * Remembered signatures in table `T`, filed under the UTC day they were accepted and forgotten by
 * whole days, each kept at least as long as its gateway's replay window.
 */
export function signatureMemory<DB extends Record<T, SignatureColumns>, T extends string>(
  db: Kysely<DB>,
  table: T,
) {
  // Typed over the memory's own columns under one fixed name; the SQL names the real table.
  const q = (on: Kysely<DB>) => on as unknown as Kysely<{ signatures: SignatureColumns }>;
  const name = table as unknown as 'signatures';
  const insertOnce = async (on: Kysely<DB>, who: string, sign: string, now: number) => {
    const result = await q(on)
      .insertInto(name)
      .values({ digest: signatureDigest(who, sign), seen_day: signatureDay(now) })
      .onConflict((oc) => oc.column('digest').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows) === 1;
  };
  return {
    /** Remembers `(who, sign)` on its own; false when it was already there (a replay). */
    remember: (who: string, sign: string, now: number) => insertOnce(db, who, sign, now),

    /** The request's signature, to be spent exactly once by what the request does. */
    signature(who: string, sign: string, now: number): OneTimeSignature<DB> {
      return {
        async spend(trx = db) {
          if (!(await insertOnce(trx, who, sign, now))) throw new ReplayedRequest();
        },
      };
    },

    /** Job: forgets the days that ended more than `replayMs` ago. */
    async forgetBefore(now: number, replayMs: number): Promise<void> {
      await q(db)
        .deleteFrom(name)
        .where('seen_day', '<', signatureDay(now - replayMs))
        .execute();
    },
  };
}
