import type { Generated, Insertable } from 'kysely';

export interface TenantTable {
  id: Generated<number>;
  mobile_enc: string;
  mobile_hash: string;
  /** Fen the platform holds for the tenant (paid bookings), deducted first when asked. */
  deposit_held: Generated<number>;
  created_at: number;
}

export interface TenantSessionTable {
  token_hash: string;
  tenant_id: number;
  created_at: number;
  expires_at: number;
}

export type NewTenantRow = Insertable<TenantTable>;
export type NewTenantSessionRow = Insertable<TenantSessionTable>;
