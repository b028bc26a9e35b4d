import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import { FieldReader, type RawInput } from '../../core/field-reader.js';
import type { Database } from '../../database.js';
import type { Tenant } from '../tenants/index.js';
import { findLease, lockLease } from './lease.repository.js';
import type { LeaseRow } from './lease.table.js';
import { LEASE_FIELD_LABELS } from './lease-form.validation.js';

type Db = Kysely<Database>;

export function readId(input: RawInput): number {
  const r = new FieldReader(input, LEASE_FIELD_LABELS);
  const id = r.int('id', { required: true, min: 1 });
  r.done();
  return id!;
}

export async function loadOwnLease(db: Db, tenant: Tenant, id: number): Promise<LeaseRow> {
  return ownLease(tenant, await findLease(db, id));
}

/** The tenant's lease, its row locked until the transaction ends. */
export async function lockOwnLease(db: Db, tenant: Tenant, id: number): Promise<LeaseRow> {
  return ownLease(tenant, await lockLease(db, id));
}

function ownLease(tenant: Tenant, lease: LeaseRow | undefined): LeaseRow {
  // Another tenant's order answers exactly like a missing one: existence is not disclosed.
  if (!lease || Number(lease.tenant_id) !== tenant.id) throw new DomainError('not_found', '订单不存在');
  return lease;
}
