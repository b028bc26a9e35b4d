import type { Generated, Insertable, Selectable } from 'kysely';
import type { SignatureColumns } from '../../platform/replay/signature-memory.js';

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

export type PartnerRow = Selectable<PartnerTable>;
export type NewPartnerRow = Insertable<PartnerTable>;

/** An accepted (ua, sign), remembered as its digest under the UTC day it was accepted. */
export type PartnerSignatureTable = SignatureColumns;

export interface PartnerCallLogTable {
  id: Generated<number>;
  ua: string;
  call: string;
  status: number;
  result: string | null;
  message: string;
  created_at: number;
}

export type NewPartnerCallLogRow = Insertable<PartnerCallLogTable>;

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

export type NewBlacklistRow = Insertable<PartnerBlacklistTable>;

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

export type BankCardRow = Selectable<BankCardTable>;
/** A bank card's own fields: what binding writes, and rewrites when the person rebinds. */
export type BankCardFields = Omit<Insertable<BankCardTable>, 'id' | 'id_card_hash'>;

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
