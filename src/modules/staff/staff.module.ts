import type { Kysely } from 'kysely';
import type { RawInput } from '../../core/field-reader.js';
import type { Database } from '../../database.js';
import type { JobDefinition } from '../../platform/jobs/job-runner.js';
import { SessionCache } from '../../platform/session-cache.js';
import { findDisplayNames } from './staff.repository.js';
import {
  authenticate,
  createStaff,
  deleteExpiredSessions,
  listStaffMembers,
  login,
  logout,
  type StaffMember,
} from './staff.service.js';
import {
  listStaffAccounts,
  type RolesInput,
  staffAccountExportPages,
  updateStaffAccount,
} from './staff-account.service.js';

export interface StaffModuleDeps {
  db: Kysely<Database>;
  sessionTtlMs: number;
  /** How long an authenticated session is trusted without asking the database again. */
  sessionCacheMs: number;
}

/** Staff accounts and their sessions, with the database and the session cache bound. */
export function createStaffModule({ db, sessionTtlMs, sessionCacheMs }: StaffModuleDeps) {
  const sessions = new SessionCache<StaffMember>(sessionCacheMs);
  return {
    login: (input: { username: string; password: string }, now: number) =>
      login(db, input, now, sessionTtlMs),
    logout: (token: string) => logout(db, sessions, token),
    authenticate: (token: string, now: number) => authenticate(db, sessions, token, now),
    list: () => listStaffMembers(db),
    /** Who `staff:<id>` actors are, for the audit trails staff read. */
    displayNames: (ids: readonly number[]) => findDisplayNames(db, ids),
    /** The admin's view of the accounts: members with whether each is disabled. */
    accounts: () => listStaffAccounts(db),
    /** The same accounts a keyset page at a time, for the export. */
    accountExportPages: () => staffAccountExportPages(db),
    update: (actor: StaffMember, id: number, input: RawInput & { roles?: RolesInput }, now: number) =>
      updateStaffAccount(db, actor, id, input, now),
    create: (input: Parameters<typeof createStaff>[1], now: number, actor: string) =>
      createStaff(db, input, now, actor),
    jobs: [
      {
        name: 'staff.sessions.purge',
        intervalMs: 3_600_000,
        run: (now) => deleteExpiredSessions(db, now).then(() => {}),
      },
    ] satisfies JobDefinition[],
  };
}

export type StaffModule = ReturnType<typeof createStaffModule>;
