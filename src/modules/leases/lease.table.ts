import type { Generated, Insertable, Selectable } from 'kysely';

export interface RentalStoreTable {
  id: Generated<number>;
  title: string;
  manager_name: string;
  manager_phone: string;
}

export interface RentalAgentTable {
  id: Generated<number>;
  store_id: number;
  name: string;
  phone: string;
}

export interface PayModeTable {
  id: Generated<number>;
  name: string;
  is_all_pay: number;
  rent_months: number;
  bet_months: number;
}

/** An entrusted house; money in fen. `facility` is the spec's facility object as JSON. */
export interface EntrustTable {
  id: Generated<number>;
  h_address: string;
  community: string;
  h_floor: string;
  unit: string;
  is_settle: number;
  water: string;
  electric: string;
  gas: string;
  s_phone: string;
  facility: string;
  other: string;
  agent_id: number;
  pay_mode_id: number;
  monthly_rent: number;
  booking_fee: number;
}

export interface RoomTable {
  id: Generated<number>;
  entrust_id: number;
  name: string;
  monthly_rent: number;
}

export interface LeaseTable {
  id: Generated<number>;
  tenant_id: number;
  entrust_id: number;
  room_id: number | null;
  mode: number;
  status: number;
  booked: Generated<number>;
  t_name: string;
  t_phone_enc: string;
  t_id_card_enc: string;
  t_id_card_hash: string;
  h_address: string;
  r_s_time: string;
  r_e_time: string;
  months: number;
  monthly_rent: number;
  rent_total: number;
  deposit_total: number;
  /** The rest of the signed form (p_time, life, facility, handling agent …) as JSON. */
  details: string;
  version: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface LeaseInstallmentTable {
  id: Generated<number>;
  lease_id: number;
  seq: number;
  rent_part: number;
  deposit_part: number;
  amount: number;
  due_date: string;
  status: number;
  deposit_reserved: Generated<number>;
  paid_at: number | null;
}

export type EntrustRow = Selectable<EntrustTable>;
export type RoomRow = Selectable<RoomTable>;
export type PayModeRow = Selectable<PayModeTable>;
export type LeaseRow = Selectable<LeaseTable>;
export type NewLeaseRow = Insertable<LeaseTable>;
export type InstallmentRow = Selectable<LeaseInstallmentTable>;
export type NewInstallmentRow = Insertable<LeaseInstallmentTable>;
