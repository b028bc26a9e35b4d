import type { Kysely } from 'kysely';
import { FieldReader, type RawInput } from '../../core/field-reader.js';
import { maskMobile } from '../../core/mobile.js';
import { PAGING_FIELDS, pagePosition, readPaging } from '../../core/paging.js';
import type { Database } from '../../database.js';
import type { Pii } from '../../platform/pii.js';

export const TENANT_LIST_FIELDS = { mobile: '租客手机号', ...PAGING_FIELDS } as const;

/**
 * GET /api/tenants: tenants newest first, or the one a mobile names (through the blind index),
 * with the deposit the platform holds for each and how many leases each has. Mobiles answer
 * masked, as the lease list shows them.
 */
export async function listTenants(db: Kysely<Database>, pii: Pii, input: RawInput) {
  const r = new FieldReader(input, TENANT_LIST_FIELDS);
  const mobile = r.mobile('mobile');
  const paging = readPaging(r);
  r.done();
  const base =
    mobile === undefined
      ? db.selectFrom('tenants')
      : db.selectFrom('tenants').where('mobile_hash', '=', pii.blindIndex(mobile, 'mobile'));
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    base
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
      .orderBy('tenants.id', 'desc')
      .limit(paging.pageSize)
      .offset(paging.offset)
      .execute(),
  ]);
  return {
    ...pagePosition(paging, Number(count.n)),
    tenants: rows.map((row) => ({
      id: Number(row.id),
      mobile: maskMobile(pii.decrypt(row.mobile_enc)),
      deposit_held: Number(row.deposit_held),
      leases: Number(row.leases ?? 0),
      created_at: Number(row.created_at),
    })),
  };
}
