import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { NewTenantRow, NewTenantSessionRow } from './tenant.table.js';

type Db = Kysely<Database>;

export async function insertTenant(db: Db, row: NewTenantRow): Promise<number> {
  const inserted = await db.insertInto('tenants').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(inserted.id);
}

export async function findTenantIdByMobileHash(db: Db, mobileHash: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('tenants')
    .select('id')
    .where('mobile_hash', '=', mobileHash)
    .executeTakeFirst();
  return row && Number(row.id);
}

export async function insertTenantSession(db: Db, row: NewTenantSessionRow): Promise<void> {
  await db.insertInto('tenant_sessions').values(row).execute();
}

/** The tenant of a session that has not expired at `now`. */
export async function findSessionTenantId(
  db: Db,
  tokenHash: string,
  now: number,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('tenant_sessions')
    .select('tenant_id')
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row && Number(row.tenant_id);
}

export async function findDepositHeld(db: Db, tenantId: number): Promise<number> {
  const row = await db
    .selectFrom('tenants')
    .select('deposit_held')
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(row.deposit_held);
}

/** The tenant's held deposit, the tenant's row locked until the transaction ends. */
export async function lockDepositHeld(db: Db, tenantId: number): Promise<number> {
  const row = await db
    .selectFrom('tenants')
    .select('deposit_held')
    .where('id', '=', tenantId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return Number(row.deposit_held);
}

/** Takes `amount` fen only if that much is still held; false when it was not. */
export async function decrementDepositHeld(db: Db, tenantId: number, amount: number): Promise<boolean> {
  const result = await db
    .updateTable('tenants')
    .set((eb) => ({ deposit_held: eb('deposit_held', '-', amount) }))
    .where('id', '=', tenantId)
    .where('deposit_held', '>=', amount)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function incrementDepositHeld(db: Db, tenantId: number, amount: number): Promise<void> {
  await db
    .updateTable('tenants')
    .set((eb) => ({ deposit_held: eb('deposit_held', '+', amount) }))
    .where('id', '=', tenantId)
    .execute();
}

/** Every tenant holding a deposit (deposit_held ≠ 0), by id. */
export async function listDepositsHeld(db: Db): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('tenants')
    .select(['id', 'deposit_held'])
    .where('deposit_held', '<>', 0)
    .execute();
  return new Map(rows.map((r) => [Number(r.id), Number(r.deposit_held)]));
}
