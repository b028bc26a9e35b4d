import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';

type Db = Kysely<Database>;

export async function findAgentByMobileHash(db: Db, mobileHash: string) {
  return db.selectFrom('agents').selectAll().where('mobile_hash', '=', mobileHash).executeTakeFirst();
}

export async function insertAgent(
  db: Db,
  row: {
    realname: string;
    mobile_enc: string;
    mobile_hash: string;
    mobile_masked: string;
    created_at: number;
  },
): Promise<number> {
  const inserted = await db.insertInto('agents').values(row).returning('u_id').executeTakeFirstOrThrow();
  return Number(inserted.u_id);
}

export async function renameAgent(db: Db, uId: number, realname: string): Promise<void> {
  await db.updateTable('agents').set({ realname }).where('u_id', '=', uId).execute();
}

export async function findAgentIds(
  db: Db,
  by: { realname?: string; mobileHash?: string },
): Promise<number[]> {
  let query = db.selectFrom('agents').select('u_id');
  if (by.realname !== undefined) query = query.where('realname', '=', by.realname);
  if (by.mobileHash !== undefined) query = query.where('mobile_hash', '=', by.mobileHash);
  return (await query.execute()).map((r) => Number(r.u_id));
}
