import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import { isUniqueViolation } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import type { Pii } from '../../platform/pii.js';
import { verifySmsCode } from '../sms/index.js';

export const TENANT_LOGIN_PURPOSE = 'tenant_login';

export interface Tenant {
  id: number;
}

interface TenantDeps {
  db: Kysely<Database>;
  pii: Pii;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Mobile + SMS code → a bearer token; the first login creates the tenant. */
export async function loginTenant(
  deps: TenantDeps,
  input: { mobile: string; code: string },
  now: number,
  ttlMs: number,
): Promise<{ token: string; expiresAt: number; tenantId: number }> {
  if (
    !(await verifySmsCode(
      deps,
      { phone: input.mobile, purpose: TENANT_LOGIN_PURPOSE, code: input.code },
      now,
    ))
  ) {
    throw new DomainError('unauthenticated', '验证码错误或已失效');
  }
  const tenantId = await findOrCreateTenant(deps, input.mobile, now);
  const token = randomBytes(32).toString('base64url');
  await deps.db
    .insertInto('tenant_sessions')
    .values({ token_hash: hashToken(token), tenant_id: tenantId, created_at: now, expires_at: now + ttlMs })
    .execute();
  return { token, expiresAt: now + ttlMs, tenantId };
}

export async function findOrCreateTenant(deps: TenantDeps, mobile: string, now: number): Promise<number> {
  const mobileHash = deps.pii.blindIndex(mobile, 'mobile');
  const existing = await deps.db
    .selectFrom('tenants')
    .select('id')
    .where('mobile_hash', '=', mobileHash)
    .executeTakeFirst();
  if (existing) return Number(existing.id);
  try {
    const row = await deps.db
      .insertInto('tenants')
      .values({ mobile_enc: deps.pii.encrypt(mobile), mobile_hash: mobileHash, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  } catch (error) {
    // Two first logins at once: the other one created the tenant.
    if (!isUniqueViolation(error)) throw error;
    const row = await deps.db
      .selectFrom('tenants')
      .select('id')
      .where('mobile_hash', '=', mobileHash)
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }
}

export async function authenticateTenant(
  db: Kysely<Database>,
  token: string,
  now: number,
): Promise<Tenant | null> {
  const row = await db
    .selectFrom('tenant_sessions')
    .select('tenant_id')
    .where('token_hash', '=', hashToken(token))
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row ? { id: Number(row.tenant_id) } : null;
}

export async function tenantDepositHeld(db: Kysely<Database>, tenantId: number): Promise<number> {
  const row = await db
    .selectFrom('tenants')
    .select('deposit_held')
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(row.deposit_held);
}

/**
 * Takes up to `wanted` fen from the held deposit; answers what it took. The tenant's row is
 * locked for the rest of the caller's transaction, the update is conditional, and a CHECK
 * keeps the balance from ever going below zero.
 */
export async function takeDeposit(db: Kysely<Database>, tenantId: number, wanted: number): Promise<number> {
  const row = await db
    .selectFrom('tenants')
    .select('deposit_held')
    .where('id', '=', tenantId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const take = Math.min(Number(row.deposit_held), wanted);
  if (take <= 0) return 0;
  const result = await db
    .updateTable('tenants')
    .set((eb) => ({ deposit_held: eb('deposit_held', '-', take) }))
    .where('id', '=', tenantId)
    .where('deposit_held', '>=', take)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new DomainError('conflict', '押金余额已变化，请重试');
  return take;
}

export async function giveDeposit(db: Kysely<Database>, tenantId: number, amount: number): Promise<void> {
  if (amount <= 0) return;
  await db
    .updateTable('tenants')
    .set((eb) => ({ deposit_held: eb('deposit_held', '+', amount) }))
    .where('id', '=', tenantId)
    .execute();
}
