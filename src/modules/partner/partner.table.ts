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

/** An accepted (ua, sign), remembered as its digest under the UTC day it was accepted. */
export interface PartnerSignatureTable {
  digest: Buffer;
  seen_day: number;
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

export interface PartnerSettingTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface PartnerBlacklistTable {
  id: Generated<number>;
  id_card_hash: string;
  md5_hash: string | null;
  reason: string;
  created_at: number;
}

export interface BankCardTable {
  id: Generated<number>;
  id_card_hash: string;
  card_enc: string;
  card_hash: string;
  card_masked: string;
  bank_code: string;
  card_type: number;
  phone_enc: string;
  order_sn: string | null;
  created_at: number;
}

export interface BindFailureTable {
  id: Generated<number>;
  id_card_hash: string;
  failed_at: number;
}

export type CallbackStatus = 'pending' | 'delivered' | 'dead';

export interface PartnerCallbackTable {
  id: Generated<number>;
  ua: string;
  call: string;
  args: string;
  dedupe_key: string;
  status: CallbackStatus;
  attempts: Generated<number>;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}
