import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { StaffRow } from './staff.table.js';

export async function insertStaff(
  db: Kysely<Database>,
  row: { username: string; display_name: string; password_hash: string; roles: string; created_at: number },
): Promise<number> {
  const inserted = await db.insertInto('staff').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(inserted.id);
}

export async function findStaffByUsername(
  db: Kysely<Database>,
  username: string,
): Promise<StaffRow | undefined> {
  return db.selectFrom('staff').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function insertSession(
  db: Kysely<Database>,
  row: { token_hash: string; staff_id: number; created_at: number; expires_at: number },
): Promise<void> {
  await db.insertInto('staff_sessions').values(row).execute();
}

export async function findSessionStaff(
  db: Kysely<Database>,
  tokenHash: string,
  now: number,
): Promise<{ staff: StaffRow; expiresAt: number } | undefined> {
  // Two primary-key lookups rather than a join: every request pays this, and with few staff
  // rows SQLite's planner would rather scan than probe the session key.
  const session = await db
    .selectFrom('staff_sessions')
    .select(['staff_id', 'expires_at'])
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (!session) return undefined;
  const staff = await db
    .selectFrom('staff')
    .selectAll()
    .where('id', '=', session.staff_id)
    .where('disabled', '=', 0)
    .executeTakeFirst();
  return staff && { staff, expiresAt: Number(session.expires_at) };
}

export async function deleteSession(db: Kysely<Database>, tokenHash: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('token_hash', '=', tokenHash).execute();
}

export async function deleteExpiredSessions(db: Kysely<Database>, now: number): Promise<number> {
  const result = await db.deleteFrom('staff_sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function listStaff(db: Kysely<Database>): Promise<StaffRow[]> {
  return db.selectFrom('staff').selectAll().orderBy('id').execute();
}

export async function countLoginFailuresSince(
  db: Kysely<Database>,
  username: string,
  since: number,
): Promise<number> {
  const row = await db
    .selectFrom('staff_login_failures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('username', '=', username)
    .where('failed_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertLoginFailure(db: Kysely<Database>, username: string, at: number): Promise<void> {
  await db.insertInto('staff_login_failures').values({ username, failed_at: at }).execute();
}

export async function clearLoginFailures(db: Kysely<Database>, username: string): Promise<void> {
  await db.deleteFrom('staff_login_failures').where('username', '=', username).execute();
}

export async function findStaffById(db: Kysely<Database>, id: number): Promise<StaffRow | undefined> {
  return db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Writes `change` only if the row still holds `seen`'s roles and flag: answers whether it did. */
export async function updateStaffIfUnchanged(
  db: Kysely<Database>,
  seen: Pick<StaffRow, 'id' | 'roles' | 'disabled' | 'display_name'>,
  change: Pick<StaffRow, 'roles' | 'disabled' | 'display_name'>,
): Promise<boolean> {
  const result = await db
    .updateTable('staff')
    .set(change)
    .where('id', '=', seen.id)
    .where('roles', '=', seen.roles)
    .where('disabled', '=', seen.disabled)
    .where('display_name', '=', seen.display_name)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteSessionsOf(db: Kysely<Database>, staffId: number): Promise<void> {
  await db.deleteFrom('staff_sessions').where('staff_id', '=', staffId).execute();
}

/** Display names of the given accounts, by id (ids that are no account are left out). */
export async function findDisplayNames(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('staff')
    .select(['id', 'display_name'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((row) => [Number(row.id), row.display_name]));
}

/** Up to `limit` accounts after id `afterId`, by id: a keyset page of the admin's export. */
export async function listStaffAfter(db: Kysely<Database>, afterId: number | undefined, limit: number) {
  let query = db.selectFrom('staff').selectAll().orderBy('id').limit(limit);
  if (afterId !== undefined) query = query.where('id', '>', afterId);
  return query.execute();
}
