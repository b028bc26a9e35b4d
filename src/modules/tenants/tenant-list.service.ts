import type { Kysely } from 'kysely';
import { FieldReader, type RawInput } from '../../core/field-reader.js';
import { maskMobile } from '../../core/mobile.js';
import { PAGING_FIELDS, pagePosition, readPaging } from '../../core/paging.js';
import type { Database } from '../../database.js';
import type { Pii } from '../../platform/pii.js';

export const TENANT_LIST_FIELDS = { mobile: '租客手机号', ...PAGING_FIELDS } as const;

type Deps = { db: Kysely<Database>; pii: Pii };

/** A tenant as the list shows it: the mobile masked, as the lease list shows it. */
export interface TenantListRow {
  id: number;
  mobile: string;
  deposit_held: number;
  leases: number;
  created_at: number;
}

/** The tenants the filter names (all, or the one a mobile finds through the blind index). */
function tenantsOf({ db, pii }: Deps, mobile: string | undefined) {
  return mobile === undefined
    ? db.selectFrom('tenants')
    : db.selectFrom('tenants').where('mobile_hash', '=', pii.blindIndex(mobile, 'mobile'));
}

/** The list's rows, newest first, with each one's lease count in the same statement. */
function tenantRows(deps: Deps, mobile: string | undefined) {
  return tenantsOf(deps, mobile)
    .select((eb) => [
      'tenants.id',
      'tenants.mobile_enc',
      'tenants.deposit_held',
      'tenants.created_at',
      eb
        .selectFrom('leases')
        .select((sub) => sub.fn.countAll<number>().as('n'))
        .whereRef('leases.tenant_id', '=', 'tenants.id')
        .as('leases'),
    ])
    .orderBy('tenants.id', 'desc');
}

type Selected = Awaited<ReturnType<ReturnType<typeof tenantRows>['execute']>>[number];

const present = (pii: Pii, row: Selected): TenantListRow => ({
  id: Number(row.id),
  mobile: maskMobile(pii.decrypt(row.mobile_enc)),
  deposit_held: Number(row.deposit_held),
  leases: Number(row.leases ?? 0),
  created_at: Number(row.created_at),
});

function readMobile(input: RawInput, paged: boolean) {
  const r = new FieldReader(input, TENANT_LIST_FIELDS);
  const mobile = r.mobile('mobile');
  const paging = paged ? readPaging(r) : undefined;
  r.done();
  return { mobile, paging };
}

/**
 * GET /api/tenants: tenants newest first, or the one a mobile names (through the blind index),
 * with the deposit the platform holds for each and how many leases each has. Mobiles answer
 * masked, as the lease list shows them.
 */
export async function listTenants(deps: Deps, input: RawInput) {
  const { mobile, paging } = readMobile(input, true);
  const [count, rows] = await Promise.all([
    tenantsOf(deps, mobile)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    tenantRows(deps, mobile).limit(paging!.pageSize).offset(paging!.offset).execute(),
  ]);
  return {
    ...pagePosition(paging!, Number(count.n)),
    tenants: rows.map((row) => present(deps.pii, row)),
  };
}

/**
 * The list's filter checked at once (every bad field named), then its rows a keyset page at a
 * time in the list's order (id descending), for the export: one statement per page.
 */
export function tenantExportPages(deps: Deps, input: RawInput) {
  const { mobile } = readMobile(input, false);
  return async (after: TenantListRow | undefined, limit: number) => {
    let query = tenantRows(deps, mobile).limit(limit);
    if (after !== undefined) query = query.where('tenants.id', '<', after.id);
    return (await query.execute()).map((row) => present(deps.pii, row));
  };
}
