import { type Kysely, sql } from 'kysely';
import { signatureDay, signatureDigest } from '../../../core/signing.js';
import type { Dialect } from '../../../database.js';
import { notNull } from '../../../platform/db/column-types.js';

const COPY_BATCH = 1000;

interface Tables {
  partner_seen_signs: { ua: string; sign: string; seen_at: number };
  partner_signatures: { digest: Buffer; seen_day: number };
}

/**
 * Accepted partner signatures are remembered for the replay window (30 days by default) instead
 * of 20 minutes, so each is kept as a 16-byte digest of (ua, sign) with the UTC day it was
 * accepted: the primary key refuses a replay atomically across servers, and the purge deletes
 * whole days through the day index.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  // Kysely runs SQLite migrations outside a transaction: after a crash mid-copy, the rerun
  // finds the new table and copies again (the primary key skips what is already there).
  const table = db.schema
    .createTable('partner_signatures')
    .ifNotExists()
    .addColumn('digest', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.primaryKey())
    .addColumn('seen_day', 'integer', notNull);
  // Without a rowid SQLite keeps one b-tree keyed by the digest instead of a table and an index.
  await (dialect === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table).execute();
  await db.schema
    .createIndex('partner_signatures_day')
    .ifNotExists()
    .on('partner_signatures')
    .column('seen_day')
    .execute();

  // Signatures accepted before the upgrade stay refused. The old table is copied page by page:
  // it was never purged while the job runner did not run, so it may be large.
  const typed = db as Kysely<Tables>;
  let after: { ua: string; sign: string } | undefined;
  for (;;) {
    let query = typed
      .selectFrom('partner_seen_signs')
      .select(['ua', 'sign', 'seen_at'])
      .orderBy('ua')
      .orderBy('sign')
      .limit(COPY_BATCH);
    if (after) {
      const { ua, sign } = after;
      query = query.where((eb) => eb(eb.refTuple('ua', 'sign'), '>', eb.tuple(ua, sign)));
    }
    const page = await query.execute();
    const last = page.at(-1);
    if (!last) break;
    await typed
      .insertInto('partner_signatures')
      .values(
        page.map((r) => ({
          digest: signatureDigest(r.ua, r.sign),
          seen_day: signatureDay(Number(r.seen_at)),
        })),
      )
      .onConflict((oc) => oc.column('digest').doNothing())
      .execute();
    after = last;
  }
  await db.schema.dropTable('partner_seen_signs').execute();
}
