import type { Kysely } from 'kysely';
import type { RawInput } from '../../core/field-reader.js';
import type { Database } from '../../database.js';
import type { Pii } from '../../platform/pii.js';
import { listTenants, tenantExportPages } from './tenant-list.service.js';
import { authenticateTenant, loginTenant } from './tenants.service.js';

export interface TenantsModuleDeps {
  db: Kysely<Database>;
  pii: Pii;
  sessionTtlMs: number;
}

/** Tenants of family 2: an SMS login and the bearer session it gives; the staff's list. */
export function createTenantsModule(deps: TenantsModuleDeps) {
  return {
    login: (input: { mobile: string; code: string }, now: number) =>
      loginTenant(deps, input, now, deps.sessionTtlMs),
    authenticate: (token: string, now: number) => authenticateTenant(deps.db, token, now),
    list: (input: RawInput) => listTenants(deps, input),
    /** The list's filter, checked now; then its rows a keyset page at a time (the export). */
    exportPages: (input: RawInput) => tenantExportPages(deps, input),
  };
}

export type TenantsModule = ReturnType<typeof createTenantsModule>;
