import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import type { Database } from '../../database.js';
import { isUniqueViolation } from '../../platform/db/database.js';
import type { Pii } from '../../platform/pii.js';
import { newSessionToken, sessionTokenHash } from '../../platform/session-token.js';
import { verifySmsCode } from '../sms/index.js';
import {
  findSessionTenantId,
  findTenantIdByMobileHash,
  insertTenant,
  insertTenantSession,
} from './tenant.repository.js';

export const TENANT_LOGIN_PURPOSE = 'tenant_login';

export interface Tenant {
  id: number;
}

interface TenantDeps {
  db: Kysely<Database>;
  pii: Pii;
}

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
  const token = newSessionToken();
  await insertTenantSession(deps.db, {
    token_hash: sessionTokenHash(token),
    tenant_id: tenantId,
    created_at: now,
    expires_at: now + ttlMs,
  });
  return { token, expiresAt: now + ttlMs, tenantId };
}

export async function findOrCreateTenant(deps: TenantDeps, mobile: string, now: number): Promise<number> {
  const mobileHash = deps.pii.blindIndex(mobile, 'mobile');
  const existing = await findTenantIdByMobileHash(deps.db, mobileHash);
  if (existing !== undefined) return existing;
  try {
    return await insertTenant(deps.db, {
      mobile_enc: deps.pii.encrypt(mobile),
      mobile_hash: mobileHash,
      created_at: now,
    });
  } catch (error) {
    // Two first logins at once: the other one created the tenant.
    if (!isUniqueViolation(error)) throw error;
    const created = await findTenantIdByMobileHash(deps.db, mobileHash);
    if (created === undefined) throw error;
    return created;
  }
}

export async function authenticateTenant(
  db: Kysely<Database>,
  token: string,
  now: number,
): Promise<Tenant | null> {
  const tenantId = await findSessionTenantId(db, sessionTokenHash(token), now);
  return tenantId === undefined ? null : { id: tenantId };
}
