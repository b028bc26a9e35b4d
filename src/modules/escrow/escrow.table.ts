import type { Generated, Insertable, Selectable } from 'kysely';
import type { SignatureColumns } from '../../platform/replay/signature-memory.js';
import type { EscrowPartyRole, EscrowState } from './escrow-state.js';

/** An ISV of family 3's TOP-style gateway. */
export interface EscrowIsvTable {
  id: Generated<number>;
  app_key: string;
  /** The signing secret, encrypted like personal data (it signs money decisions). */
  secret_enc: string;
  /** Comma-separated TOP method names the ISV may call, or `*`. */
  methods: string;
  /** Comma-separated store ids the ISV may act for, or `*`. */
  store_ids: string;
  callback_url: string | null;
  active: Generated<number>;
  created_at: number;
}

export type EscrowIsvRow = Selectable<EscrowIsvTable>;

/** An accepted (app_key, sign), remembered as its digest under the UTC day it was accepted. */
export type EscrowSignatureTable = SignatureColumns;

/** One row per gateway call; no arguments, they carry personal data. */
export interface EscrowCallLogTable {
  id: Generated<number>;
  app_key: string;
  method: string;
  code: string;
  created_at: number;
}

/** An invitation (履约单): its terms, who may sign it and until when. */
export interface EscrowOrderTable {
  id: Generated<number>;
  house_order_no: string;
  isv_id: number;
  source: string;
  source_no: string;
  template_id: string;
  service_type: string;
  store_id: number | null;
  state: EscrowState;
  /** The validated request (spec field names), encrypted whole: it holds ID numbers, mobiles, a bank card. */
  request_enc: string;
  /** The terms the pages show, without personal data (JSON). */
  terms_json: string;
  /** sha256 (hex) of the canonical validated request: what a party accepts. */
  terms_hash: string;
  /** Keyed hash of the canonical CREATE request, so a retried CREATE is recognised after a MODIFY too. */
  create_hash: string;
  sign_over_time_hour: number;
  deadline_at: number;
  version: number;
  created_at: number;
  updated_at: number;
}

export type EscrowOrderRow = Selectable<EscrowOrderTable>;
export type NewEscrowOrderRow = Insertable<EscrowOrderTable>;

/** A buyer or landlord invited to accept, with their acceptance token (hashed and sealed). */
export interface EscrowPartyTable {
  id: Generated<number>;
  order_id: number;
  role: EscrowPartyRole;
  /** Position within the role, as the request listed them (0 first). */
  seq: number;
  name: string;
  cert_type: number;
  id_card_enc: string;
  id_card_hash: string;
  id_card_masked: string;
  phone_enc: string;
  phone_hash: string;
  phone_masked: string;
  out_id: string;
  /** sha256 (hex) of the acceptance token: how a page's URL finds the party. */
  token_hash: string;
  /** The token itself, encrypted, so a retried CREATE and `get` can answer the same URL. */
  token_enc: string;
  accepted_at: number | null;
  declined_at: number | null;
  decision_ip: string | null;
  /** terms_hash of the terms the party accepted or declined. */
  decision_terms_hash: string | null;
  decline_reason: string | null;
  created_at: number;
}

export type EscrowPartyRow = Selectable<EscrowPartyTable>;
export type NewEscrowPartyRow = Insertable<EscrowPartyTable>;
