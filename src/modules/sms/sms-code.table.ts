import type { Generated, Insertable, Selectable } from 'kysely';

export interface SmsCodeTable {
  id: Generated<number>;
  phone_hash: string;
  purpose: string;
  /** Keyed hash of the code: a stolen table does not give the codes away. */
  code_hash: string;
  ip: string;
  attempts: Generated<number>;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

export type SmsCodeRow = Selectable<SmsCodeTable>;
export type NewSmsCodeRow = Insertable<SmsCodeTable>;
