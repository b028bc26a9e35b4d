import type { Generated, Selectable } from 'kysely';

export interface StaffTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  /** argon2id PHC string. */
  password_hash: string;
  /** Comma-separated role names from STAFF_ROLES. */
  roles: string;
  disabled: Generated<number>;
  created_at: number;
}

export interface StaffSessionTable {
  /** SHA-256 of the bearer token: a stolen database does not yield usable tokens. */
  token_hash: string;
  staff_id: number;
  created_at: number;
  expires_at: number;
}

export type StaffRow = Selectable<StaffTable>;

export interface StaffLoginFailureTable {
  id: Generated<number>;
  username: string;
  failed_at: number;
}
