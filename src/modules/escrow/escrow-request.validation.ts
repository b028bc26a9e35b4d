import { luhnValid } from '../../core/bank-card.js';
import { DomainError, type FieldError } from '../../core/domain-error.js';
import { FieldReader, isRawInput, type RawInput } from '../../core/field-reader.js';
import type { EscrowPartyRole } from './escrow-state.js';

/** Chinese labels, as the spec names the fields of SecondHandOrderOperateRequest. */
const LABELS: Readonly<Record<string, string>> = {
  source: '来源',
  source_no: '案件号',
  operate_type: '操作类型',
  house_order_no: '订单号',
  item_id: '服务商品ID',
  store_id: '门店ID',
  buyer_infos: '买家信息集合',
  landlord_infos: '房东信息集合',
  house_address: '房源地址',
  house_province: '房源所在省code',
  house_city: '房源所在市code',
  house_province_city_desc: '房源所在省市区描述',
  deed_record_number: '房产证件备案编号',
  deed_record_pics: '房产证件凭证',
  construction_area: '建筑面积',
  cover_area: '套内面积',
  house_deal_price: '房成交总额',
  deposit_amount: '定金金额',
  first_pay_amount: '首付金额',
  loan_amount: '贷款金额',
  final_pay_amount: '尾款金额',
  service_fee_amount: '服务费金额',
  has_mortgage: '是否有抵押',
  has_lease: '是否有租赁',
  delivery_deposit_amount: '物业交割保证金金额',
  house_support_equipment_price: '房屋配套作价',
  house_support_remark: '房屋配套设备说明',
  include_parking_space: '是否有车位',
  parking_space_amount: '车位金额',
  house_contract_online_flag: '房款合同',
  house_contract_infos: '房款合同信息集合',
  service_provider_id: '服务人ID',
  service_type: '服务模板类型',
  landlord_payee_name: '房东收款账号户主名称',
  landlord_payee_bankcard_no: '房东收款账号',
  landlord_payee_bank_name: '房东收款账号的开户银行',
  sign_over_time_hour: '签约超时时间',
  landlord_payee_card_no: '房东收款账号号主的身份证号',
  service_provider_name: '服务人姓名',
  service_provider_phone: '服务人手机号',
  service_provider_card_no: '服务人身份证号',
};

const PARTY_LABELS: Readonly<Record<string, string>> = {
  name: '姓名',
  cert_type: '证件类型',
  card_no: '证件号码',
  phone: '手机号',
  address: '联系地址',
  out_id: '外部ID',
  buyer_phone: '买家联系手机号',
  buyer_address: '买家联系地址',
  landlord_phone: '房东联系手机号',
  landlord_address: '房东联系地址',
};

const CONTRACT_LABELS: Readonly<Record<string, string>> = {
  contract_online_flag: '是否线上签约',
  contract_type: '合同类型',
  offline_contract_pics: '线下合同凭证',
  offline_contract_no: '线下合同',
  depository_amount_types: '使用资金存管协议的资金类型集合',
};

export const SERVICE_TYPES = ['fundEscrow', 'fundEscrow_mortgage'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

/**
 * template_id (服务模板ID) answered for each service_type: one fixed template per kind of
 * escrow, so the ISV can tell which agreement the parties are shown. We have no template
 * catalogue of our own; these ids are stable names, not database keys.
 */
export const TEMPLATE_IDS: Readonly<Record<ServiceType, string>> = {
  fundEscrow: 'FUND_ESCROW',
  fundEscrow_mortgage: 'FUND_ESCROW_MORTGAGE',
};

export const SIGN_OVER_TIME_HOURS = [24, 36, 48, 72] as const;
export const DEPOSITORY_AMOUNT_TYPES = ['deposit_pay', 'down_pay', 'balance_pay'] as const;
const YES_NO = ['Y', 'N'] as const;
type YesNo = (typeof YES_NO)[number];

export interface EscrowPartyInput {
  name: string;
  cert_type: 1;
  card_no: string;
  phone: string;
  address: string | null;
  out_id: string;
  /** buyer_phone / landlord_phone: a contact mobile besides the one the party proves. */
  contact_phone: string | null;
  /** buyer_address / landlord_address. */
  contact_address: string | null;
}

export interface EscrowContractInput {
  contract_online_flag: YesNo;
  contract_type: 'DEPOSIT' | 'SALES';
  offline_contract_pics: string | null;
  offline_contract_no: string | null;
  depository_amount_types: string[];
}

/** A validated CREATE (or merged MODIFY) request: money in fen, IDs upper-cased, mobiles bare. */
export interface EscrowRequest {
  source: string;
  source_no: string;
  item_id: number;
  store_id: number | null;
  buyer_infos: EscrowPartyInput[];
  landlord_infos: EscrowPartyInput[];
  house_address: string;
  house_province: string | null;
  house_city: string | null;
  house_province_city_desc: string | null;
  deed_record_number: string | null;
  deed_record_pics: string | null;
  construction_area: string | null;
  cover_area: string | null;
  house_deal_price: number | null;
  deposit_amount: number | null;
  first_pay_amount: number | null;
  loan_amount: number | null;
  final_pay_amount: number | null;
  service_fee_amount: number | null;
  has_mortgage: YesNo | null;
  has_lease: YesNo | null;
  delivery_deposit_amount: number | null;
  house_support_equipment_price: number | null;
  house_support_remark: string | null;
  include_parking_space: YesNo | null;
  parking_space_amount: number | null;
  house_contract_online_flag: YesNo | null;
  house_contract_infos: EscrowContractInput[];
  service_provider_id: string | null;
  service_type: ServiceType;
  landlord_payee_name: string | null;
  landlord_payee_bankcard_no: string | null;
  landlord_payee_bank_name: string | null;
  sign_over_time_hour: number;
  landlord_payee_card_no: string;
  service_provider_name: string;
  service_provider_phone: string;
  service_provider_card_no: string | null;
}

/** The request fields MODIFY may not change: they name the case. */
export const CASE_FIELDS = ['source', 'source_no'] as const;

const AMOUNT_FIELDS = [
  'house_deal_price',
  'deposit_amount',
  'first_pay_amount',
  'loan_amount',
  'final_pay_amount',
  'service_fee_amount',
  'delivery_deposit_amount',
  'house_support_equipment_price',
  'parking_space_amount',
] as const;

/** Largest amount accepted, in fen: 10¹⁴ fen (一万亿元) is beyond any house. */
const MAX_FEN = 100_000_000_000_000;

/**
 * Validates an operate request by every rule at once: each failing field is reported, by its
 * path (`buyer_infos[0].card_no`) and a Chinese message worded from its label. Fields the spec
 * marks "发起邀约必填" are required, and so is each party's phone: the party proves itself by
 * an SMS code sent to it.
 */
export function readEscrowRequest(input: RawInput, now: number): EscrowRequest {
  const r = new FieldReader(input, LABELS);
  const errors = r.errors;

  const source = r.text('source', { required: true, max: 64 });
  const sourceNo = r.text('source_no', { required: true, max: 64 });
  const itemId = r.int('item_id', { required: true, min: 1 });
  const storeId = r.int('store_id', { min: 1 });
  const buyers = readParties(input, 'buyer', now, errors);
  const landlords = readParties(input, 'landlord', now, errors);
  const houseAddress = r.text('house_address', { required: true, max: 200 });
  const houseProvince = r.text('house_province', { max: 20 });
  const houseCity = r.text('house_city', { max: 20 });
  const houseDesc = r.text('house_province_city_desc', { max: 100 });
  const deedNumber = r.text('deed_record_number', { max: 64 });
  const deedPics = r.text('deed_record_pics', { max: 2000 });
  const constructionArea = area(r, 'construction_area');
  const coverArea = area(r, 'cover_area');
  const amounts = Object.fromEntries(
    AMOUNT_FIELDS.map((field) => [field, r.int(field, { min: 0, max: MAX_FEN }) ?? null]),
  ) as Record<(typeof AMOUNT_FIELDS)[number], number | null>;
  const hasMortgage = yesNo(r, 'has_mortgage');
  const hasLease = yesNo(r, 'has_lease');
  const includeParking = yesNo(r, 'include_parking_space');
  const contractOnline = yesNo(r, 'house_contract_online_flag');
  const supportRemark = r.text('house_support_remark', { max: 500 });
  const contracts = readContracts(input, errors);
  const providerId = r.text('service_provider_id', { max: 64 });
  let serviceType = oneOf(r, 'service_type', SERVICE_TYPES);
  const payeeName = r.text('landlord_payee_name', { max: 64 });
  const payeeBankcard = bankCard(r, 'landlord_payee_bankcard_no');
  const payeeBankName = r.text('landlord_payee_bank_name', { max: 64 });
  const signHours = r.int('sign_over_time_hour', { oneOf: SIGN_OVER_TIME_HOURS }) ?? 24;
  const payeeCardNo = r.idCard('landlord_payee_card_no', now, { required: true });
  const providerName = r.text('service_provider_name', { required: true, max: 32 });
  const providerPhone = r.mobile('service_provider_phone', { required: true });
  const providerCardNo = r.idCard('service_provider_card_no', now);

  // Amounts must add up: 定金 + 首付 + 贷款 + 尾款 = 房成交总额 (when the total is given).
  const parts = ['deposit_amount', 'first_pay_amount', 'loan_amount', 'final_pay_amount'] as const;
  if (amounts.house_deal_price !== null && ![...parts, 'house_deal_price'].some((f) => r.failed(f))) {
    const sum = parts.reduce((total, f) => total + (amounts[f] ?? 0), 0);
    if (sum !== amounts.house_deal_price) {
      r.fail('house_deal_price', '定金金额、首付金额、贷款金额、尾款金额之和必须等于房成交总额');
    }
  }
  // The template follows the loan: without service_type it is chosen by loan_amount.
  if (!r.failed('service_type') && !r.failed('loan_amount')) {
    const loan = amounts.loan_amount ?? 0;
    serviceType ??= loan > 0 ? 'fundEscrow_mortgage' : 'fundEscrow';
    if (serviceType === 'fundEscrow' && loan > 0) r.fail('loan_amount', '无贷款服务模版的贷款金额必须为0');
    if (serviceType === 'fundEscrow_mortgage' && loan === 0) {
      r.fail('loan_amount', '贷款服务模版的贷款金额必须大于0');
    }
  }
  if (
    includeParking === 'N' &&
    (amounts.parking_space_amount ?? 0) > 0 &&
    !r.failed('parking_space_amount')
  ) {
    r.fail('parking_space_amount', '无车位时车位金额必须为0');
  }
  distinctPeople(buyers, landlords, errors);
  r.done();

  return {
    source: source!,
    source_no: sourceNo!,
    item_id: itemId!,
    store_id: storeId ?? null,
    buyer_infos: buyers as EscrowPartyInput[],
    landlord_infos: landlords as EscrowPartyInput[],
    house_address: houseAddress!,
    house_province: houseProvince ?? null,
    house_city: houseCity ?? null,
    house_province_city_desc: houseDesc ?? null,
    deed_record_number: deedNumber ?? null,
    deed_record_pics: deedPics ?? null,
    construction_area: constructionArea ?? null,
    cover_area: coverArea ?? null,
    ...amounts,
    has_mortgage: hasMortgage ?? null,
    has_lease: hasLease ?? null,
    house_support_remark: supportRemark ?? null,
    include_parking_space: includeParking ?? null,
    house_contract_online_flag: contractOnline ?? null,
    house_contract_infos: contracts as EscrowContractInput[],
    service_provider_id: providerId ?? null,
    service_type: serviceType!,
    landlord_payee_name: payeeName ?? null,
    landlord_payee_bankcard_no: payeeBankcard ?? null,
    landlord_payee_bank_name: payeeBankName ?? null,
    sign_over_time_hour: signHours,
    landlord_payee_card_no: payeeCardNo!.number,
    service_provider_name: providerName!,
    service_provider_phone: providerPhone!,
    service_provider_card_no: providerCardNo?.number ?? null,
  };
}

/** The parties of one role, each read by its own reader so every element's errors are reported. */
function readParties(
  input: RawInput,
  role: EscrowPartyRole,
  now: number,
  errors: FieldError[],
): Array<EscrowPartyInput | undefined> {
  const field = `${role}_infos`;
  const list = elements(input, field, errors, true);
  const who = role === 'buyer' ? '买家' : '房东';
  return list.map((element, i) => {
    const path = `${field}[${i}]`;
    if (!isRawInput(element)) {
      errors.push({ field: path, error: `${who}${i + 1}信息格式不正确` });
      return undefined;
    }
    const labels = Object.fromEntries(
      Object.entries(PARTY_LABELS).map(([k, label]) => [k, `${who}${i + 1}${label}`]),
    );
    const p = new FieldReader(element, labels);
    const name = p.text('name', { required: true, max: 32 });
    const certType = p.int('cert_type', { required: true });
    if (certType !== undefined && certType !== 1)
      p.fail('cert_type', `${p.label('cert_type')}仅支持1-身份证`);
    const card = p.idCard('card_no', now, { required: true });
    const phone = p.mobile('phone', { required: true });
    const address = p.text('address', { max: 200 });
    const outId = p.text('out_id', { required: true, max: 64 });
    const contactPhone = p.mobile(`${role}_phone`);
    const contactAddress = p.text(`${role}_address`, { max: 200 });
    for (const e of p.errors) errors.push({ field: `${path}.${e.field}`, error: e.error });
    if (p.errors.length) return undefined;
    return {
      name: name!,
      cert_type: 1,
      card_no: card!.number,
      phone: phone!,
      address: address ?? null,
      out_id: outId!,
      contact_phone: contactPhone ?? null,
      contact_address: contactAddress ?? null,
    };
  });
}

function readContracts(input: RawInput, errors: FieldError[]): Array<EscrowContractInput | undefined> {
  const field = 'house_contract_infos';
  return elements(input, field, errors, false).map((element, i) => {
    const path = `${field}[${i}]`;
    if (!isRawInput(element)) {
      errors.push({ field: path, error: `合同${i + 1}信息格式不正确` });
      return undefined;
    }
    const labels = Object.fromEntries(
      Object.entries(CONTRACT_LABELS).map(([k, label]) => [k, `合同${i + 1}${label}`]),
    );
    const c = new FieldReader(element, labels);
    const online = oneOf(c, 'contract_online_flag', YES_NO, true);
    const type = oneOf(c, 'contract_type', ['DEPOSIT', 'SALES'] as const, true);
    const offline = online === 'N';
    const pics = c.text('offline_contract_pics', { required: offline, max: 2000 });
    const no = c.text('offline_contract_no', { required: offline, max: 64 });
    const types = amountTypes(c, element);
    for (const e of c.errors) errors.push({ field: `${path}.${e.field}`, error: e.error });
    if (c.errors.length) return undefined;
    return {
      contract_online_flag: online!,
      contract_type: type!,
      offline_contract_pics: pics ?? null,
      offline_contract_no: no ?? null,
      depository_amount_types: types,
    };
  });
}

/** depository_amount_types: a list (or comma-separated text) of distinct known fund types. */
function amountTypes(c: FieldReader, element: RawInput): string[] {
  const field = 'depository_amount_types';
  const value = element[field];
  if (value === undefined || value === null || value === '') return [];
  const list = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined;
  if (
    !list?.every((t) => typeof t === 'string' && (DEPOSITORY_AMOUNT_TYPES as readonly string[]).includes(t))
  ) {
    c.fail(field, `${c.label(field)}只能包含deposit_pay、down_pay、balance_pay`);
    return [];
  }
  if (new Set(list).size !== list.length) {
    c.fail(field, `${c.label(field)}不能重复`);
    return [];
  }
  // One order, whatever order they were sent in: the terms hash must not depend on it.
  return DEPOSITORY_AMOUNT_TYPES.filter((t) => list.includes(t));
}

/** The array under `field` (a JSON string of one is accepted too); [] when absent. */
function elements(input: RawInput, field: string, errors: FieldError[], required: boolean): unknown[] {
  let value = input[field];
  if (typeof value === 'string' && value.trim() !== '') {
    try {
      value = JSON.parse(value);
    } catch {
      errors.push({ field, error: `${LABELS[field]}格式不正确` });
      return [];
    }
  }
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) {
    if (required) errors.push({ field, error: `${LABELS[field]}不能为空` });
    return [];
  }
  if (!Array.isArray(value)) {
    errors.push({ field, error: `${LABELS[field]}格式不正确` });
    return [];
  }
  if (value.length > 20) {
    errors.push({ field, error: `${LABELS[field]}不能超过20项` });
    return [];
  }
  return value;
}

function oneOf<T extends string>(
  r: FieldReader,
  field: string,
  values: readonly T[],
  required = false,
): T | undefined {
  const text = r.raw(field, { required });
  if (text === undefined) return undefined;
  if ((values as readonly string[]).includes(text)) return text as T;
  r.fail(field, `${r.label(field)}只能是${values.join('或')}`);
  return undefined;
}

function yesNo(r: FieldReader, field: string): YesNo | undefined {
  return oneOf(r, field, YES_NO);
}

/** An area in square metres, at most two decimals; kept as written. */
function area(r: FieldReader, field: string): string | undefined {
  const value = r.decimal(field, 2, {});
  return value === undefined ? undefined : r.raw(field);
}

function bankCard(r: FieldReader, field: string): string | undefined {
  const text = r.raw(field);
  if (text === undefined) return undefined;
  const digits = text.replace(/\s/g, '');
  if (luhnValid(digits)) return digits;
  r.fail(field, `${r.label(field)}不是有效的银行卡号`);
  return undefined;
}

/** No person twice: each party proves itself by its own ID number and its own phone. */
function distinctPeople(
  buyers: Array<EscrowPartyInput | undefined>,
  landlords: Array<EscrowPartyInput | undefined>,
  errors: FieldError[],
): void {
  const seenCards = new Set<string>();
  const seenPhones = new Set<string>();
  const all = [
    ...buyers.map((p, i) => ({ p, path: `buyer_infos[${i}]`, who: `买家${i + 1}` })),
    ...landlords.map((p, i) => ({ p, path: `landlord_infos[${i}]`, who: `房东${i + 1}` })),
  ];
  for (const { p, path, who } of all) {
    if (!p) continue;
    if (seenCards.has(p.card_no))
      errors.push({ field: `${path}.card_no`, error: `${who}证件号码与其他参与方重复` });
    if (seenPhones.has(p.phone))
      errors.push({ field: `${path}.phone`, error: `${who}手机号与其他参与方重复` });
    seenCards.add(p.card_no);
    seenPhones.add(p.phone);
  }
}

/** The operate_type, read alone: it decides which rules apply. */
export function readOperateType(input: RawInput): 'CREATE' | 'MODIFY' {
  const r = new FieldReader(input, LABELS);
  const type = oneOf(r, 'operate_type', ['CREATE', 'MODIFY'] as const, true);
  if (type === 'MODIFY') r.raw('house_order_no', { required: true });
  r.done();
  return type!;
}

/** A refusal worded like the other validation errors, for one field. */
export function fieldError(field: string, error: string): DomainError {
  return DomainError.validation([{ field, error }]);
}
