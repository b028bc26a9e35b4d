import { FieldReader, type RawInput } from '../../core/field-reader.js';
import { ageOn, type ResidentId } from '../../core/id-card.js';
import { formatShanghaiDate } from '../../core/time.js';
import type { PersonRole } from './loan-order.table.js';
import { DIVORCED, MARITAL_STATUSES, MARRIED } from './loan-order-catalog.js';
import { FIELD_LABELS } from './loan-order-fields.js';

export interface PersonInfo {
  role: PersonRole;
  name: string;
  mobile: string;
  idCard: ResidentId;
  domicile: string | null;
  unit: string | null;
  is_execute: number;
  unit_is_execute: number;
}

export interface CustomerInfo {
  people: PersonInfo[];
  marital_tatus: number;
  marry_date: string | null;
  lihun_date: string | null;
  month_income: number | null;
  address: string | null;
  second_address: string | null;
  emergency_contact: string | null;
  emergency_mobile: string | null;
  emergency_relationship: string | null;
  property2_owner: string | null;
  common_proportion: string | null;
  gongjie_status: number;
}

/** Borrower, spouse and co-borrower share one shape; the spec tells them apart by prefix. */
const PREFIX: Record<PersonRole, string> = { customer: '', spouse: 'link_', coborrower: 'link2_' };
const YES_NO = [1, 2];

/** GB/T 2261.1 codes; pages may send the characters instead. */
function readSex(r: FieldReader, field: string): number | undefined {
  const text = r.raw(field);
  if (text === undefined) return undefined;
  const sex = text === '男' ? 1 : text === '女' ? 2 : text === '1' ? 1 : text === '2' ? 2 : undefined;
  if (sex === undefined) r.fail(field, `${r.label(field)}须为1(男)或2(女)`);
  return sex;
}

function readPerson(r: FieldReader, role: PersonRole, now: number): PersonInfo | undefined {
  const p = PREFIX[role];
  const nameField = role === 'customer' ? 'name' : `${p}name`;
  const name = r.text(nameField, { required: true, min: 2, max: 30 });
  const mobile = r.mobile(`${p}mobile`, { required: true });
  const idCard = r.idCard(`${p}id_card`, now, { required: true });
  const age = r.int(`${p}age`, { min: 0, max: 150 });
  const sex = readSex(r, `${p}sex`);
  // Age and sex are derived from the ID number; a page that sends them must agree with it.
  if (idCard && age !== undefined && age !== ageOn(idCard.birthDate, now)) {
    r.fail(`${p}age`, `${r.label(`${p}age`)}与身份证号不符`);
  }
  if (idCard && sex !== undefined && sex !== idCard.sex)
    r.fail(`${p}sex`, `${r.label(`${p}sex`)}与身份证号不符`);
  const domicile = r.text(`${p}domicile`, { max: 100 });
  const unit = r.text(`${p}unit`, { max: 100 });
  const isExecute = r.int(`${p}is_execute`, { required: true, oneOf: YES_NO });
  const unitIsExecute = r.int(`${p}unit_is_execute`, { required: true, oneOf: YES_NO });
  if (!name || !mobile || !idCard || isExecute === undefined || unitIsExecute === undefined) return undefined;
  return {
    role,
    name,
    mobile,
    idCard,
    domicile: domicile ?? null,
    unit: unit ?? null,
    is_execute: isExecute,
    unit_is_execute: unitIsExecute,
  };
}

export function readCustomerInfo(input: RawInput, now: number): CustomerInfo {
  const r = new FieldReader(input, FIELD_LABELS);
  const customer = readPerson(r, 'customer', now);
  const marital = r.int('marital_tatus', {
    required: true,
    oneOf: Object.keys(MARITAL_STATUSES).map(Number),
  });
  const gongjie = r.int('gongjie_status', { required: true, oneOf: [0, 1] });
  const today = formatShanghaiDate(now);
  const readDate = (field: string, required: boolean) => {
    const date = r.date(field, { required });
    if (date === undefined) return undefined;
    if (date > today) r.fail(field, `${r.label(field)}不能晚于今天`);
    else if (customer && date < customer.idCard.birthDate)
      r.fail(field, `${r.label(field)}不能早于客户出生日期`);
    return date;
  };
  // Dates that do not apply to the status are dropped rather than stored half-true.
  const marryDate =
    marital === MARRIED || marital === DIVORCED || marital === 3
      ? readDate('marry_date', marital === MARRIED)
      : undefined;
  const lihunDate = marital === DIVORCED ? readDate('lihun_date', true) : undefined;
  if (marryDate && lihunDate && lihunDate < marryDate) r.fail('lihun_date', '离婚日期不能早于结婚日期');
  const spouse = marital === MARRIED ? readPerson(r, 'spouse', now) : undefined;
  const coborrower = gongjie === 1 ? readPerson(r, 'coborrower', now) : undefined;
  const seen = new Map<string, string>();
  for (const person of [customer, spouse, coborrower]) {
    if (!person) continue;
    const field = `${PREFIX[person.role]}id_card`;
    const other = seen.get(person.idCard.number);
    if (other) r.fail(field, `${r.label(field)}不能与${r.label(other)}相同`);
    else seen.set(person.idCard.number, field);
  }
  const monthIncome = r.yuan('month_income', {});
  const address = r.text('address', { max: 200 });
  const secondAddress = r.text('second_address', { max: 200 });
  const emergencyContact = r.text('emergency_contact', { max: 30 });
  const emergencyMobile = r.mobile('emergency_mobile');
  const emergencyRelationship = r.text('emergency_relationship', { max: 20 });
  const property2Owner = r.text('property2_owner', { max: 30 });
  const commonProportion = r.text('common_proportion', { max: 20 });
  r.done();
  return {
    people: [customer!, ...(spouse ? [spouse] : []), ...(coborrower ? [coborrower] : [])],
    marital_tatus: marital!,
    marry_date: marryDate ?? null,
    lihun_date: lihunDate ?? null,
    month_income: monthIncome ?? null,
    address: address ?? null,
    second_address: secondAddress ?? null,
    emergency_contact: emergencyContact ?? null,
    emergency_mobile: emergencyMobile ?? null,
    emergency_relationship: emergencyRelationship ?? null,
    property2_owner: property2Owner ?? null,
    common_proportion: commonProportion ?? null,
    gongjie_status: gongjie!,
  };
}
