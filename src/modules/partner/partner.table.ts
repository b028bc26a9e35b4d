import type { Generated } from 'kysely';

export interface PartnerTable {
  id: Generated<number>;
  ua: string;
  /** The shared signing key, encrypted like personal data (it signs money decisions). */
  signkey_enc: string;
  calls: string;
  callback_url: string | null;
  disabled: Generated<number>;
  created_at: number;
}

export interface PartnerSeenSignTable {
  ua: string;
  sign: string;
  seen_at: number;
}

export interface PartnerCallLogTable {
  id: Generated<number>;
  ua: string;
  call: string;
  status: number;
  result: string | null;
  message: string;
  created_at: number;
}
