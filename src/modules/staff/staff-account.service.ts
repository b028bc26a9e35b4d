import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import { FieldReader, type RawInput } from '../../core/field-reader.js';
import type { Database } from '../../database.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './staff.repository.js';
import { rowToStaff, type StaffMember } from './staff.service.js';
import type { StaffRow } from './staff.table.js';
import { isStaffRole, STAFF_ROLES } from './staff-roles.js';

/** PATCH /api/staff/:id's fields and their Chinese labels. */
export const STAFF_UPDATE_FIELDS = { display_name: '显示名', roles: '角色', disabled: '停用' } as const;

/** An account as the admin manages it: the member and whether it may log in. */
export interface StaffAccount extends StaffMember {
  disabled: boolean;
}

const toAccount = (row: StaffRow): StaffAccount => ({
  ...rowToStaff(row),
  disabled: Number(row.disabled) === 1,
});

export async function listStaffAccounts(db: Kysely<Database>): Promise<StaffAccount[]> {
  return (await repo.listStaff(db)).map(toAccount);
}

/** Keyset pages of the accounts in the list's order (by id), for the admin's export. */
export function staffAccountExportPages(db: Kysely<Database>) {
  return async (after: StaffAccount | undefined, limit: number) =>
    (await repo.listStaffAfter(db, after?.id, limit)).map(toAccount);
}

/** Names as a list, or one comma-separated text (what a form posts). */
export type RolesInput = readonly string[] | string | undefined;

/**
 * An admin changes an account's display name, roles or whether it is disabled. The write is one
 * UPDATE conditional on the account as read, with an audit row; a change of roles or a disable
 * ends the account's sessions, so it holds from the next request (another server may trust a
 * session it confirmed for FANGTONG_SESSION_CACHE_SECONDS more, as with a logout). An admin
 * cannot disable their own account or drop their own admin role: no one could then undo it.
 */
export async function updateStaffAccount(
  db: Kysely<Database>,
  actor: StaffMember,
  id: number,
  input: RawInput & { roles?: RolesInput },
  now: number,
): Promise<StaffAccount> {
  const r = new FieldReader(input, STAFF_UPDATE_FIELDS);
  const displayName = r.text('display_name', { min: 1, max: 30 });
  const disabled = r.int('disabled', { oneOf: [0, 1] });
  const roles = readRoles(input.roles);
  if (roles !== undefined && !Array.isArray(roles)) r.fail('roles', roles.error);
  if (actor.id === id && disabled === 1) r.fail('disabled', '不能停用自己的账号');
  if (actor.id === id && Array.isArray(roles) && !roles.includes('admin'))
    r.fail('roles', '不能取消自己的管理员角色');
  r.done();
  const seen = await repo.findStaffById(db, id);
  if (!seen) throw new DomainError('not_found', '账号不存在', [{ field: 'id', error: '账号不存在' }]);
  const change = {
    display_name: displayName ?? seen.display_name,
    roles: Array.isArray(roles) ? roles.join(',') : seen.roles,
    disabled: disabled ?? Number(seen.disabled),
  };
  const endsSessions = change.roles !== seen.roles || (change.disabled === 1 && Number(seen.disabled) === 0);
  await db.transaction().execute(async (trx) => {
    if (!(await repo.updateStaffIfUnchanged(trx, seen, change)))
      throw new DomainError('conflict', '账号已被他人修改，请刷新后重试');
    if (endsSessions) await repo.deleteSessionsOf(trx, id);
    await recordAudit(trx, {
      actor: `staff:${actor.id}`,
      entity: 'staff',
      entity_id: String(id),
      action: 'update',
      from_state: describe(seen),
      to_state: describe(change),
      reason: null,
      created_at: now,
    });
  });
  return toAccount({ ...seen, ...change });
}

const describe = (row: Pick<StaffRow, 'roles' | 'disabled'>) =>
  Number(row.disabled) === 1 ? `${row.roles} (disabled)` : row.roles;

function readRoles(value: RolesInput): string[] | { error: string } | undefined {
  if (value === undefined) return undefined;
  const names = [
    ...new Set((typeof value === 'string' ? value.split(',') : value).map((v) => v.trim())),
  ].filter((v) => v !== '');
  if (names.length === 0 || !names.every(isStaffRole))
    return { error: `角色须为 ${STAFF_ROLES.join(', ')} 中的一个或多个` };
  return names;
}
