import { FieldReader, type RawInput } from '../../core/field-reader.js';
import type { ResidentId } from '../../core/id-card.js';
import { formatShanghaiDate } from '../../core/time.js';
import { RENTAL_MODES } from './lease-state.js';

/** A field of a family-2 form: its Chinese label (from the spec's table) and its longest value. */
export interface LeaseField {
  readonly label: string;
  readonly maxLength: number;
}

/** The lease id the read, pay and retire requests name. */
export const LEASE_ID_FIELDS = {
  id: { label: 'id', maxLength: 11 },
} as const satisfies Record<string, LeaseField>;

/** The contract form (完善合同), in the spec's order; readLeaseForm reads these. */
export const LEASE_CONTRACT_FIELDS = {
  t_name: { label: '租户姓名', maxLength: 16 },
  t_phone: { label: '租户手机号', maxLength: 20 },
  t_id_card: { label: '租户身份证号码', maxLength: 18 },
  h_address: { label: '房源详细地址', maxLength: 160 },
  r_s_time: { label: '入住时间', maxLength: 10 },
  r_e_time: { label: '到期时间', maxLength: 10 },
  p_time: { label: '付款时间段', maxLength: 10_000 },
  is_pay: { label: '是否代付', maxLength: 11 },
  is_settle: { label: '是否结清', maxLength: 11 },
  life: { label: '生活数据', maxLength: 10_000 },
  s_phone: { label: '监督电话', maxLength: 20 },
  facility: { label: '房间设施', maxLength: 10_000 },
  h_i_id: { label: '房源id', maxLength: 11 },
  r_id: { label: '房间id', maxLength: 11 },
  mode: { label: '租住方式', maxLength: 11 },
  m_name: { label: '经办人姓名', maxLength: 16 },
  m_phone: { label: '经办人手机号', maxLength: 20 },
  m_s_phone: { label: '经办人门店电话', maxLength: 20 },
  m_store: { label: '经办人门店名', maxLength: 64 },
  other: { label: '其他说明', maxLength: 255 },
  people_num: { label: '入住人数', maxLength: 11 },
} as const satisfies Record<string, LeaseField>;

/** The pay forms (去支付, 预订): the lease, how it is paid and which installment. */
export const LEASE_PAY_FIELDS = {
  ...LEASE_ID_FIELDS,
  payment_method: { label: '付款方式', maxLength: 11 },
  is_d_deposit: { label: '是否抵扣押金', maxLength: 11 },
  u_p_id: { label: '分期付款id', maxLength: 11 },
} as const satisfies Record<string, LeaseField>;

/** The tenant's SMS login (send_code takes the mobile alone). */
export const TENANT_LOGIN_FIELDS = {
  mobile: { label: '手机号', maxLength: 20 },
  code: { label: '验证码', maxLength: 6 },
} as const satisfies Record<string, LeaseField>;

/** The Chinese description of each field, derived from the forms' tables above. */
export const LEASE_FIELD_LABELS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries({
    ...LEASE_ID_FIELDS,
    ...LEASE_CONTRACT_FIELDS,
    ...LEASE_PAY_FIELDS,
    ...TENANT_LOGIN_FIELDS,
  }).map(([field, { label }]) => [field, label]),
);

export interface LeaseForm {
  t_name: string;
  t_phone: string;
  t_id_card: ResidentId;
  h_address: string;
  r_s_time: string;
  r_e_time: string;
  h_i_id: number;
  r_id: number | null;
  mode: number;
  months: number;
  details: Record<string, unknown>;
}

/** Whole months from start to end, a started month counting whole: 06-01 → 11-30 is 6. */
export function leaseMonths(start: string, end: string): number {
  const [y1, m1, d1] = start.split('-').map(Number) as [number, number, number];
  const [y2, m2, d2] = end.split('-').map(Number) as [number, number, number];
  const months = (y2 - y1) * 12 + (m2 - m1);
  return d2 > d1 ? months + 1 : months;
}

function readJson(r: FieldReader, field: string): unknown {
  const value = r.raw(field, { required: true });
  if (value === undefined) return undefined;
  if (value.length > 10_000) {
    r.fail(field, `${r.label(field)}过长`);
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === 'object' && parsed !== null) return parsed;
  } catch {
    // reported below
  }
  r.fail(field, `${r.label(field)}不是有效的JSON`);
  return undefined;
}

export function readLeaseForm(input: RawInput, now: number): LeaseForm {
  const r = new FieldReader(input, LEASE_FIELD_LABELS);
  const tName = r.text('t_name', { required: true, min: 2, max: 16 });
  const tPhone = r.mobile('t_phone', { required: true });
  const tIdCard = r.idCard('t_id_card', now, { required: true });
  const hAddress = r.text('h_address', { required: true, min: 2, max: 160 });
  const start = r.date('r_s_time', { required: true });
  const end = r.date('r_e_time', { required: true });
  if (start && start < formatShanghaiDate(now)) r.fail('r_s_time', '入住时间不能早于今天');
  if (start && end && end <= start) r.fail('r_e_time', '到期时间必须晚于入住时间');
  const months = start && end && end > start ? leaseMonths(start, end) : undefined;
  if (months !== undefined && months > 60) r.fail('r_e_time', '租期不能超过60个月');
  const pTime = readJson(r, 'p_time');
  const isPay = r.int('is_pay', { required: true, oneOf: [0, 1] });
  const isSettle = r.int('is_settle', { required: true, oneOf: [0, 1] });
  const life = readJson(r, 'life');
  const sPhone = r.mobile('s_phone', { required: true });
  const facility = readJson(r, 'facility');
  const hIId = r.int('h_i_id', { required: true, min: 1 });
  const rId = r.int('r_id', { min: 1 });
  const mode = r.int('mode', { required: true, oneOf: RENTAL_MODES });
  const mName = r.text('m_name', { required: true, min: 2, max: 16 });
  const mPhone = r.mobile('m_phone', { required: true });
  const mStorePhone = r.mobile('m_s_phone', { required: true });
  const mStore = r.text('m_store', { required: true, min: 2, max: 64 });
  const other = r.text('other', { max: 255 });
  const peopleNum = r.int('people_num', { min: 1, max: 20 });
  r.done();
  return {
    t_name: tName!,
    t_phone: tPhone!,
    t_id_card: tIdCard!,
    h_address: hAddress!,
    r_s_time: start!,
    r_e_time: end!,
    h_i_id: hIId!,
    r_id: rId ?? null,
    mode: mode!,
    months: months!,
    details: {
      p_time: pTime,
      is_pay: isPay,
      is_settle: isSettle,
      life,
      s_phone: sPhone,
      facility,
      m_name: mName,
      m_phone: mPhone,
      m_s_phone: mStorePhone,
      m_store: mStore,
      other: other ?? '',
      people_num: peopleNum ?? null,
    },
  };
}
