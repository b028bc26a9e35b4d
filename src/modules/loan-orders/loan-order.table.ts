import type { Generated, Insertable, Selectable } from 'kysely';
import type { OrderState, Stage } from './loan-order-state.js';

/** Money columns are fen, rates are percent × 10⁴, areas are m² × 100, times are epoch ms. */
export interface LoanOrderTable {
  id: Generated<number>;
  son_order_id: string;
  order_type: number;
  city: string;
  stage: Stage;
  state: OrderState;
  desk: Stage | null;
  is_bohui: Generated<number>;
  bohui_stage: Stage | null;
  agent_id: number | null;
  customer_name: string | null;
  appointment_time: number | null;
  face_trial_time: number | null;
  mianqian_opt_time: number | null;
  loan_money: number | null;
  loan_limit: number | null;
  production_no: number | null;
  yueding_lilv: number | null;
  service_fee: number | null;
  house_cert_no: string | null;
  house_city: string | null;
  house_address: string | null;
  house_type: number | null;
  guihuayongtu: number | null;
  house_size: number | null;
  built_in: number | null;
  mortgage_type: number | null;
  before_one_arrived: number | null;
  before_two_arrived: number | null;
  pg_money_shilian: number | null;
  pg_money_renda: number | null;
  partner_ua: string | null;
  partner_order_id: string | null;
  bad_record: Generated<number>;
  version: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface AgentTable {
  u_id: Generated<number>;
  realname: string;
  mobile_enc: string;
  mobile_hash: string;
  mobile_masked: string;
  created_at: number;
}

export interface LoanOrderDeskCountTable {
  desk: string;
  city: string;
  is_bohui: number;
  n: number;
}

export interface SonOrderIdSequenceTable {
  minute: string;
  last: number;
}

export type PersonRole = 'customer' | 'spouse' | 'coborrower';

export interface LoanOrderPersonTable {
  order_id: number;
  role: PersonRole;
  name: string;
  mobile_enc: string;
  mobile_hash: string;
  mobile_masked: string;
  id_card_enc: string;
  id_card_hash: string;
  md5_hash: string;
  domicile: string | null;
  unit: string | null;
  is_execute: number | null;
  unit_is_execute: number | null;
}

export interface LoanOrderCustomerTable {
  order_id: number;
  marital_tatus: number;
  marry_date: string | null;
  lihun_date: string | null;
  month_income: number | null;
  address: string | null;
  second_address: string | null;
  emergency_contact: string | null;
  emergency_mobile_enc: string | null;
  emergency_relationship: string | null;
  property2_owner: string | null;
  common_proportion: string | null;
  gongjie_status: number;
  updated_at: number;
}

export interface LoanOrderSuggestionTable {
  id: Generated<number>;
  order_id: number;
  suggest_type: number;
  content: string;
  staff_id: number | null;
  created_at: number;
}

export interface PictureCategoryTable {
  hpc_id: number;
  parent_id: number | null;
  hpc_name: string;
  sort: number;
}

export interface LoanOrderPictureTable {
  id: Generated<number>;
  order_id: number;
  hpc_id: number;
  file_name: string;
  created_at: number;
}

export type LoanOrderRow = Selectable<LoanOrderTable>;
export type NewLoanOrderRow = Insertable<LoanOrderTable>;
export type LoanOrderPersonRow = Selectable<LoanOrderPersonTable>;
export type LoanOrderCustomerRow = Selectable<LoanOrderCustomerTable>;
