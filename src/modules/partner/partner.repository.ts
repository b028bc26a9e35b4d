import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type {
  BankCardFields,
  BankCardRow,
  NewBlacklistRow,
  NewPartnerRow,
  PartnerRow,
} from './partner.table.js';

type Db = Kysely<Database>;

// Partners and their gateway calls.

export async function insertPartner(trx: Db, row: NewPartnerRow): Promise<number> {
  const inserted = await trx.insertInto('partners').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** The partner with this ua, unless it is disabled. */
export async function findActivePartner(db: Db, ua: string): Promise<PartnerRow | undefined> {
  return db
    .selectFrom('partners')
    .selectAll()
    .where('ua', '=', ua)
    .where('disabled', '=', 0)
    .executeTakeFirst();
}

export async function listPartners(db: Db) {
  return listPartnersAfter(db, undefined);
}

/** The partners by id, after `afterId` and up to `limit` when given (a keyset page of the export). */
export async function listPartnersAfter(db: Db, afterId: number | undefined, limit?: number) {
  let query = db
    .selectFrom('partners')
    .select(['id', 'ua', 'calls', 'callback_url', 'disabled', 'created_at'])
    .orderBy('id');
  if (afterId !== undefined) query = query.where('id', '>', afterId);
  if (limit !== undefined) query = query.limit(limit);
  const rows = await query.execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

// Admission rules and the blacklist.

export async function findPartnerSetting(db: Db, key: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('partner_settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.value;
}

export async function upsertPartnerSetting(trx: Db, key: string, value: string, now: number): Promise<void> {
  await trx
    .insertInto('partner_settings')
    .values({ key, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute();
}

/** Whether any of the hashes (`in`, so never an empty list) is on the blacklist, by md5 or by ID. */
export async function isBlacklisted(db: Db, hashes: readonly string[]): Promise<boolean> {
  const row = await db
    .selectFrom('partner_blacklist')
    .select('id')
    .where((eb) => eb.or([eb('md5_hash', 'in', hashes), eb('id_card_hash', 'in', hashes)]))
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertBlacklistEntry(trx: Db, row: NewBlacklistRow): Promise<void> {
  await trx.insertInto('partner_blacklist').values(row).execute();
}

/** Entries newest first, older than `beforeId` when given (a keyset page of the list or export); never a hash. */
export async function listBlacklistBefore(db: Db, beforeId: number | undefined, limit: number) {
  let query = db
    .selectFrom('partner_blacklist')
    .select(['id', 'reason', 'created_at'])
    .orderBy('id', 'desc')
    .limit(limit);
  if (beforeId !== undefined) query = query.where('id', '<', beforeId);
  const rows = await query.execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

export async function findBlacklistEntry(db: Db, id: number) {
  return db
    .selectFrom('partner_blacklist')
    .select(['id', 'id_card_hash', 'reason'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Deletes the entry; false when it was already gone (another admin removed it meanwhile). */
export async function deleteBlacklistEntry(trx: Db, id: number): Promise<boolean> {
  const result = await trx.deleteFrom('partner_blacklist').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

// Bank cards and failed binding attempts.

export async function insertBindFailure(trx: Db, idCardHash: string, at: number): Promise<void> {
  await trx.insertInto('bind_failures').values({ id_card_hash: idCardHash, failed_at: at }).execute();
}

export async function countBindFailuresSince(db: Db, idCardHash: string, since: number): Promise<number> {
  const row = await db
    .selectFrom('bind_failures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('id_card_hash', '=', idCardHash)
    .where('failed_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The card bound to the person: one per person. */
export async function findBankCard(db: Db, idCardHash: string): Promise<BankCardRow | undefined> {
  return db.selectFrom('bank_cards').selectAll().where('id_card_hash', '=', idCardHash).executeTakeFirst();
}

/** Binds the card to the person, replacing the card they had. */
export async function upsertBankCard(trx: Db, idCardHash: string, card: BankCardFields): Promise<void> {
  await trx
    .insertInto('bank_cards')
    .values({ id_card_hash: idCardHash, ...card })
    .onConflict((oc) => oc.column('id_card_hash').doUpdateSet(card))
    .execute();
}
