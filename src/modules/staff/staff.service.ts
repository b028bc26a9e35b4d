import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import type { Kysely } from 'kysely';
import { DomainError, type FieldError } from '../../core/domain-error.js';
import type { Database } from '../../database.js';
import { isUniqueViolation } from '../../platform/db/database.js';
import { lockKey } from '../../platform/limits/key-lock.js';
import type { SessionCache } from '../../platform/session-cache.js';
import { newSessionToken, sessionTokenHash } from '../../platform/session-token.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './staff.repository.js';
import { isStaffRole, type StaffRole } from './staff-roles.js';

export interface StaffMember {
  id: number;
  username: string;
  displayName: string;
  roles: readonly StaffRole[];
}

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): strong, and quick enough for a login.
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

// Verifying against a real hash when the user does not exist keeps the timing of "no such
// user" and "wrong password" alike, so usernames cannot be probed.
let decoyHash: Promise<string> | undefined;

const MAX_LOGIN_FAILURES = 5;
const LOCKOUT_WINDOW_MS = 15 * 60_000;

export async function createStaff(
  db: Kysely<Database>,
  input: { username: string; displayName?: string; password: string; roles: readonly string[] },
  now: number,
  actor: string,
): Promise<StaffMember> {
  const errors: FieldError[] = [];
  if (!/^[A-Za-z0-9_.-]{3,32}$/.test(input.username)) {
    errors.push({ field: 'username', error: '用户名须为3-32位字母、数字、点、下划线或连字符' });
  }
  if (input.password.length < 6 || input.password.length > 128) {
    errors.push({ field: 'password', error: '密码长度须为6-128个字符' });
  }
  const roles = [...new Set(input.roles)];
  if (roles.length === 0 || !roles.every(isStaffRole)) {
    errors.push({
      field: 'roles',
      error: '角色须为 kefu, mianshen, mianqian, quanzheng, shencha, zhongshen, admin 之一',
    });
  }
  if (errors.length) throw DomainError.validation(errors);
  const displayName = input.displayName?.trim() || input.username;
  const passwordHash = await argon2.hash(input.password, ARGON2_OPTIONS);
  try {
    return await db.transaction().execute(async (trx) => {
      const id = await repo.insertStaff(trx, {
        username: input.username,
        display_name: displayName,
        password_hash: passwordHash,
        roles: roles.join(','),
        created_at: now,
      });
      await recordAudit(trx, {
        actor,
        entity: 'staff',
        entity_id: String(id),
        action: 'create',
        from_state: null,
        to_state: roles.join(','),
        reason: null,
        created_at: now,
      });
      return { id, username: input.username, displayName, roles: roles as StaffRole[] };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw DomainError.validation([{ field: 'username', error: '用户名已存在' }]);
    }
    throw error;
  }
}

export interface LoginResult {
  token: string;
  expiresAt: number;
  staff: StaffMember;
}

export async function login(
  db: Kysely<Database>,
  input: { username: string; password: string },
  now: number,
  ttlMs: number,
): Promise<LoginResult> {
  // Guessing is throttled per account name, whether or not the account exists. Each attempt
  // is counted as a failure before the password is checked, under the name's lock, so a burst
  // of guesses gets no more checks than the limit allows; a right password then clears them.
  await db.transaction().execute(async (trx) => {
    await lockKey(trx, `login:${input.username}`, now);
    if (
      (await repo.countLoginFailuresSince(trx, input.username, now - LOCKOUT_WINDOW_MS)) >= MAX_LOGIN_FAILURES
    ) {
      throw new DomainError('rate_limited', '登录失败次数过多，请15分钟后再试');
    }
    await repo.insertLoginFailure(trx, input.username, now);
  });
  const row = await repo.findStaffByUsername(db, input.username);
  decoyHash ??= argon2.hash(randomBytes(16), ARGON2_OPTIONS);
  const hash = row && row.disabled === 0 ? row.password_hash : await decoyHash;
  const ok = await argon2.verify(hash, input.password);
  if (row?.disabled !== 0 || !ok) throw new DomainError('unauthenticated', '用户名或密码错误');
  await repo.clearLoginFailures(db, input.username);
  const token = newSessionToken();
  const expiresAt = now + ttlMs;
  await repo.insertSession(db, {
    token_hash: sessionTokenHash(token),
    staff_id: row.id,
    created_at: now,
    expires_at: expiresAt,
  });
  return { token, expiresAt, staff: rowToStaff(row) };
}

/** Recently confirmed sessions by token hash; see SessionCache for what that trades. */
export type StaffSessionCache = SessionCache<StaffMember>;

export async function authenticate(
  db: Kysely<Database>,
  sessions: StaffSessionCache,
  token: string,
  now: number,
): Promise<StaffMember | null> {
  const tokenHash = sessionTokenHash(token);
  const cached = sessions.get(tokenHash, now);
  if (cached) return cached;
  const found = await repo.findSessionStaff(db, tokenHash, now);
  if (!found) return null;
  const staff = rowToStaff(found.staff);
  sessions.set(tokenHash, staff, now, found.expiresAt);
  return staff;
}

export async function logout(
  db: Kysely<Database>,
  sessions: StaffSessionCache,
  token: string,
): Promise<void> {
  const tokenHash = sessionTokenHash(token);
  sessions.delete(tokenHash);
  await repo.deleteSession(db, tokenHash);
}

export async function listStaffMembers(db: Kysely<Database>): Promise<StaffMember[]> {
  return (await repo.listStaff(db)).map(rowToStaff);
}

export { deleteExpiredSessions } from './staff.repository.js';

export function rowToStaff(row: {
  id: number;
  username: string;
  display_name: string;
  roles: string;
}): StaffMember {
  return {
    id: Number(row.id),
    username: row.username,
    displayName: row.display_name,
    roles: row.roles.split(',').filter(isStaffRole),
  };
}
