import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { Pii } from '../../platform/pii.js';
import type { PaymentDeps } from '../payments/index.js';
import type { Tenant } from '../tenants/index.js';

/** What the lease use cases need from the platform and the payments module. */
export interface LeaseDeps {
  db: Kysely<Database>;
  pii: Pii;
  payments: PaymentDeps;
}

/** The tenant as a payment's payer and an audit row's actor. */
export function tenantRef(tenant: Tenant): string {
  return `tenant:${tenant.id}`;
}
