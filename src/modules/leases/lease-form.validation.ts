import { FieldReader, type RawInput } from '../../core/field-reader.js';
import type { ResidentId } from '../../core/id-card.js';
import { formatShanghaiDate } from '../../core/time.js';
import { RENTAL_MODES } from './lease-state.js';

/** The Chinese description of each field in the spec's table. */
export const LEASE_FIELD_LABELS: Readonly<Record<string, string>> = {
  id: 'id',
  t_name: '租户姓名',
  t_phone: '租户手机号',
  t_id_card: '租户身份证号码',
  h_address: '房源详细地址',
  r_s_time: '入住时间',
  r_e_time: '到期时间',
  p_time: '付款时间段',
  is_pay: '是否代付',
  is_settle: '是否结清',
  life: '生活数据',
  s_phone: '监督电话',
  facility: '房间设施',
  h_i_id: '房源id',
  r_id: '房间id',
  mode: '租住方式',
  m_name: '经办人姓名',
  m_phone: '经办人手机号',
  m_s_phone: '经办人门店电话',
  m_store: '经办人门店名',
  other: '其他说明',
  people_num: '入住人数',
  payment_method: '付款方式',
  is_d_deposit: '是否抵扣押金',
  u_p_id: '分期付款id',
  mobile: '手机号',
  code: '验证码',
};

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
