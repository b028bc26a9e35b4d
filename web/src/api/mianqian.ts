import { apiGet, apiGetBare, apiPost } from './client';

/** The 面签 desk list's filters (DESK_LIST_FIELDS): names and mobiles exact, dates Beijing days. */
export interface DeskFilter {
  customer_name?: string;
  customer_mobile?: string;
  user_name?: string;
  user_mobile?: string;
  city_key?: string;
  /** YYYY-MM-DD */
  appointment_time?: string;
  /** YYYY-MM-DD */
  mianqian_opt_time?: string;
  is_bohui?: '1';
  page_num?: number;
}

/** One row of the list (strings throughout, "" for a time not yet set; mobiles masked). */
export interface DeskRow {
  son_order_id: string;
  customer_name: string;
  customer_mobile: string;
  user_name: string;
  user_mobile: string;
  house_address: string;
  is_bohui: string;
  is_bohui_text: string;
  appointment_time: string;
  face_trial_time: string;
  mianqian_opt_time: string;
}

export interface DeskPage {
  /** Rejected orders matching the other filters. */
  bohui_count: number;
  page_count: number;
  order_list: DeskRow[];
}

/** Rows a desk page holds (the server's DESK_PAGE_SIZE). */
export const DESK_PAGE_SIZE = 20;

/** GET /order_mianshen/ajax_get_list (the URL the spec gives the 面签 desk list). */
export const deskList = (filter: DeskFilter) =>
  apiGetBare<DeskPage>('/order_mianshen/ajax_get_list', { ...filter });

/** GET /order_mianqian/index: the desk's 驳回 count and its cities. */
export const deskIndex = () =>
  apiGet<{ bohui_count: number; city_list: Record<string, string> }>('/order_mianqian/index');

/** A PHP array as the spec's catalogs encode it: a list for keys 0…n-1, an object otherwise. */
export type PhpArray = string[] | Record<string, string>;

/** The customer form's people: the borrower, the spouse (link_*) and the co-borrower (link2_*). */
export type CustomerInfo = Record<string, string | number | null>;

/**
 * OrderDetailView (src/dialects/mianqian/views.ts): what GET /order_mianqian/order_detail answers
 * and the order page reads with its position (staffOrder in loans.ts).
 */
export interface OrderDetail {
  production_list: { id: number; name: string; type: number }[];
  order_type_list: PhpArray;
  house_type_list: Record<string, PhpArray>;
  guihuayongtu_list: Record<string, PhpArray>;
  mortgage_type_list: PhpArray;
  marital_tatus_list: PhpArray;
  loan_limit_list: number[];
  city_data: Record<string, string[]>;
  user_info: { u_id: number | null; realname: string | null; u_mobile: string | null };
  order_info: {
    son_order_id: number;
    order_type: number;
    appointment_time: string | null;
    mianqian_opt_time: string | null;
    loan_money: number | null;
    loan_limit: number | null;
    production_no: number | null;
    yueding_lilv: number | null;
    service_fee: number | null;
  };
  house_info: {
    house_cert_no: string | null;
    house_province: string;
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
  };
  customer_info: CustomerInfo;
  pic_data: {
    hpc_id: number;
    hpc_name: string;
    son_cate_list: { hpc_id: number; hpc_name: string; pic_num: number }[];
  }[];
  suggest_list: { content: string; suggest_type: number; create_time: string | null }[];
}

/** The text a catalog gives a code, or the code itself when the catalog does not know it. */
export function catalogText(catalog: PhpArray | undefined, code: number | null): string {
  if (code === null) return '—';
  const text = Array.isArray(catalog) ? catalog[code] : catalog?.[String(code)];
  return text ?? String(code);
}

/** The 面签 forms (save_borrow_info, save_house_info, save_customer_info), named by their URL. */
export type MianqianForm = 'borrow' | 'house' | 'customer';

/**
 * POST /order_mianqian/save_<form>_info: the order must be open at 面签. A refusal names every
 * bad field at once (its `errors`), each message in Chinese.
 */
export const saveMianqianForm = (form: MianqianForm, sonOrderId: string, body: Record<string, unknown>) =>
  apiPost<null>(`/order_mianqian/save_${form}_info`, { ...body, son_order_id: sonOrderId });

/** A catalog's codes and texts as select options. */
export function catalogOptions(catalog: PhpArray | undefined): { value: number; label: string }[] {
  const entries = Array.isArray(catalog)
    ? catalog.map((text, code) => [code, text] as const)
    : Object.entries(catalog ?? {});
  return entries.map(([code, text]) => ({ value: Number(code), label: text }));
}
