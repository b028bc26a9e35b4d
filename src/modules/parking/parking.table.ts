import type { Generated, Insertable, Selectable } from 'kysely';
import type { ParkingAuditState, ParkingCardState, ParkingOrderState } from './parking-state.js';

/** A car park (停车场); its id is the park's own pmParkId ("1463714771961" in the demo). */
export interface ParkingParkTable {
  id: string;
  name: string;
  created_at: number;
}

/**
 * One node of a park's two-level org tree (组织机构): level 1 has no parent; a level-2 org's
 * parent_level_code is its level-1 parent's level_code. is_leaf 0 = leaf, 1 = has children;
 * is_used 0 = in use, 1 = retired (the spec's own encodings).
 */
export interface ParkingOrgTable {
  id: string;
  park_id: string;
  name: string;
  org_code: string;
  level_code: string;
  parent_level_code: string | null;
  level: number;
  is_leaf: number;
  is_used: number;
  seq: number;
}

/** One extra-info slot a park asks for with a monthly order (驾驶证, 行驶证…); type '0' text, '1' picture. */
export interface ParkingExtraTable {
  id: string;
  park_id: string;
  name: string;
  code: string;
  type: '0' | '1';
  seq: number;
  required: number;
}

/** A monthly product (包月产品); its prices live in versions, the newest is current. */
export interface ParkingProductTable {
  id: string;
  park_id: string;
  name: string;
  /** '1'..'5' as the spec's unitType: 1 小时, 2 天, 3 周, 4 月, 5 年. */
  unit_type: string;
  unit_count: number;
  rent_type: string;
  card_type: string;
  /** 1: an order waits for the park's review before it can be paid. */
  audit_before_pay: number;
  active: Generated<number>;
  created_at: number;
}

/** A product's prices from created_at on: 校内 (inside, priceType 01) and 校外 (outside, 02), in fen. */
export interface ParkingProductVersionTable {
  id: string;
  product_id: string;
  inside_price_fen: number;
  outside_price_fen: number;
  created_at: number;
}

/** A parking user (月租用户) of one park; the phone is sealed (enc + keyed hash + masked). */
export interface ParkingUserTable {
  id: string;
  park_id: string;
  name: string;
  phone_enc: string;
  phone_hash: string;
  phone_masked: string;
  /** 不可重复职工编号. */
  code: string | null;
  /** 可重复职工工号. */
  duplicate_code: string | null;
  department: string | null;
  first_org_name: string | null;
  first_org_code: string | null;
  second_org_name: string | null;
  second_org_code: string | null;
  address: string | null;
  created_at: number;
  updated_at: number;
}

/** Which parking user a WeChat openId is (one each way). */
export interface ParkingOpenIdTable {
  open_id: string;
  user_id: string;
  bound_at: number;
}

/** A signed-in WeChat caller: sha256 (hex) of the session token, whose openId, until when. */
export interface ParkingSessionTable {
  token_hash: string;
  open_id: string;
  expires_at: number;
  created_at: number;
}

/** A licence plate of a user; channel '9' = added online by the user (only those may be deleted). */
export interface ParkingPlateTable {
  id: Generated<number>;
  park_id: string;
  user_id: string;
  car_num: string;
  channel: string;
  created_at: number;
}

/** A monthly card (月卡): which product it renews, its validity and its state. */
export interface ParkingCardTable {
  id: string;
  park_id: string;
  user_id: string;
  product_id: string;
  product_v_id: string;
  card_type: string;
  state: ParkingCardState;
  start_dt: number | null;
  end_dt: number | null;
  renew_end_dt: number | null;
  last_order_id: string | null;
  remark: Generated<string>;
  created_at: number;
  updated_at: number;
  version: Generated<number>;
  /** The end_dt the expiry reminder was last sent for (so it is sent once per term). */
  reminded_end_dt: number | null;
}

/** A purchase or renewal of a card (月卡订单). */
export interface ParkingOrderTable {
  id: string;
  park_id: string;
  card_id: string;
  user_id: string;
  product_id: string;
  product_v_id: string;
  product_name: string;
  /** '01' 校内 / '02' 校外. */
  price_type: '01' | '02';
  unit_type: string;
  count: number;
  amount_fen: number;
  start_dt: number;
  end_dt: number;
  /** 0 first purchase, 1 renewal. */
  order_type: number;
  state: ParkingOrderState;
  is_audit_before_pay: number;
  audit_state: ParkingAuditState;
  audit_reason: string | null;
  audited_by: string | null;
  audited_at: number | null;
  /** The extra infos as sent (JSON), sealed by the PII key (parking-extra-info.ts). */
  extra_info: string;
  first_org_name: string | null;
  first_org_code: string | null;
  second_org_name: string | null;
  second_org_code: string | null;
  user_department: string | null;
  duplicate_code: string | null;
  out_trade_no: string | null;
  pay_suc_dt: number | null;
  /** The card's end before this order, so a refund can put it back. */
  prev_end_dt: number | null;
  /** created + 300 s, unless the order awaits review. */
  expires_at: number;
  created_at: number;
  updated_at: number;
  version: Generated<number>;
}

/** A file an order carries, in the extra-info slot it was sent for; the bytes are in storage. */
export interface ParkingOrderFileTable {
  id: Generated<number>;
  order_id: string;
  slot: number;
  code: string;
  name: string;
  type: string;
  storage_key: string;
  content_type: string;
  size: number;
  created_at: number;
}

export type ParkingParkRow = Selectable<ParkingParkTable>;
export type ParkingOrgRow = Selectable<ParkingOrgTable>;
export type ParkingExtraRow = Selectable<ParkingExtraTable>;
export type ParkingProductRow = Selectable<ParkingProductTable>;
export type ParkingProductVersionRow = Selectable<ParkingProductVersionTable>;
export type ParkingUserRow = Selectable<ParkingUserTable>;
export type NewParkingUserRow = Insertable<ParkingUserTable>;
export type ParkingPlateRow = Selectable<ParkingPlateTable>;
export type ParkingCardRow = Selectable<ParkingCardTable>;
export type NewParkingCardRow = Insertable<ParkingCardTable>;
export type ParkingOrderRow = Selectable<ParkingOrderTable>;
export type NewParkingOrderRow = Insertable<ParkingOrderTable>;
export type ParkingOrderFileRow = Selectable<ParkingOrderFileTable>;
