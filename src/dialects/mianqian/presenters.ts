import { formatDecimal } from '../../core/decimal.js';
import { fenToWanYuan } from '../../core/money.js';
import { formatShanghaiDateTime } from '../../core/time.js';
import {
  CITIES,
  CITY_CODES,
  type CustomerView,
  type DeskRow,
  DISTRICTS,
  GUIHUAYONGTU,
  HOUSE_TYPES,
  LOAN_LIMITS,
  MARITAL_STATUSES,
  MORTGAGE_TYPES,
  ORDER_TYPES,
  type OrderDetail,
  PERCENT_SCALE,
  PRODUCTS,
} from '../../modules/loan-orders/index.js';

const time = (ms: number | null) => (ms === null ? null : formatShanghaiDateTime(ms));
const wan = (fen: number | null) => (fen === null ? null : fenToWanYuan(fen));
const scaled = (value: number | null, scale: number) =>
  value === null ? null : Number(formatDecimal(value, scale));

/**
 * The spec's catalogs are PHP arrays: keys 0…n-1 encode as a JSON array, any other keys as an
 * object. Clients parse exactly that, so it is reproduced here.
 */
function phpArray(map: Record<number, string>): string[] | Record<string, string> {
  const keys = Object.keys(map).map(Number);
  const sequential = keys.every((k, i) => k === i);
  return sequential ? keys.map((k) => map[k]!) : Object.fromEntries(keys.map((k) => [String(k), map[k]!]));
}

function perCity(lists: Record<string, Record<number, string>>) {
  return Object.fromEntries(CITIES.map((city) => [CITY_CODES[city], phpArray(lists[city]!)]));
}

export function presentCustomer(view: CustomerView) {
  return { ...view, month_income: scaled(view.month_income as number | null, 2) };
}

/**
 * The catalogs lead every detail answer and never change while the server runs (a new product
 * or district is a deploy), so their JSON is written once and spliced into each answer: they
 * are two thirds of its bytes.
 */
const CATALOGS_JSON = JSON.stringify({
  production_list: PRODUCTS.map((p) => ({ id: p.id, name: p.name, type: p.type })),
  order_type_list: phpArray(ORDER_TYPES),
  house_type_list: perCity(HOUSE_TYPES),
  guihuayongtu_list: perCity(GUIHUAYONGTU),
  mortgage_type_list: phpArray(MORTGAGE_TYPES),
  marital_tatus_list: phpArray(MARITAL_STATUSES),
  loan_limit_list: LOAN_LIMITS,
  city_data: Object.fromEntries(CITIES.map((city) => [city, DISTRICTS[city]])),
}).slice(1, -1);

/**
 * The whole success envelope of `order_detail` as JSON text: catalogs first, as the spec shows;
 * `head`'s fields, when given, before them.
 */
export function detailEnvelopeJson(detail: OrderDetail, head?: Record<string, unknown>): string {
  const before = head ? `${JSON.stringify(head).slice(1, -1)},` : '';
  return `{"code":1,"msg":"","data":{${before}${CATALOGS_JSON},${JSON.stringify(presentOrder(detail)).slice(1)}}`;
}

function presentOrder(detail: OrderDetail) {
  const { order } = detail;
  return {
    user_info: {
      u_id: detail.agent?.u_id ?? null,
      realname: detail.agent?.realname ?? null,
      u_mobile: detail.agent?.mobile ?? null,
    },
    order_info: {
      son_order_id: Number(order.son_order_id),
      order_type: order.order_type,
      appointment_time: time(order.appointment_time),
      mianqian_opt_time: time(order.mianqian_opt_time),
      loan_money: wan(order.loan_money),
      loan_limit: order.loan_limit,
      production_no: order.production_no,
      yueding_lilv: scaled(order.yueding_lilv, PERCENT_SCALE),
      service_fee: scaled(order.service_fee, PERCENT_SCALE),
    },
    house_info: {
      house_cert_no: order.house_cert_no,
      house_province: order.city,
      house_city: order.house_city,
      house_address: order.house_address,
      house_type: order.house_type,
      guihuayongtu: order.guihuayongtu,
      house_size: scaled(order.house_size, 2),
      built_in: order.built_in,
      mortgage_type: order.mortgage_type,
      before_one_arrived: wan(order.before_one_arrived),
      before_two_arrived: wan(order.before_two_arrived),
      pg_money_shilian: wan(order.pg_money_shilian),
      pg_money_renda: wan(order.pg_money_renda),
    },
    customer_info: presentCustomer(detail.customer),
    pic_data: detail.pictures,
    suggest_list: detail.suggestions.map((s) => ({
      content: s.content,
      suggest_type: s.suggest_type,
      create_time: time(s.created_at),
    })),
  };
}

/** The list speaks strings, as the spec's example shows. */
export function presentDeskRow(row: DeskRow) {
  return {
    son_order_id: row.son_order_id,
    customer_name: row.customer_name ?? '',
    customer_mobile: row.customer_mobile ?? '',
    user_name: row.user_name ?? '',
    user_mobile: row.user_mobile ?? '',
    house_address: row.house_address,
    is_bohui: String(row.is_bohui),
    is_bohui_text: row.is_bohui ? '是' : '否',
    appointment_time: time(row.appointment_time) ?? '',
    face_trial_time: time(row.face_trial_time) ?? '',
    mianqian_opt_time: time(row.mianqian_opt_time) ?? '',
  };
}
