import { DomainError } from '../../core/domain-error.js';
import { FieldReader, type RawInput } from '../../core/field-reader.js';
import { ageOn, parseResidentId } from '../../core/id-card.js';
import type { Pii } from '../../platform/pii.js';
import type { PersonRole } from './loan-order.table.js';
import { orderNotFound, requireStageRole } from './loan-order-access.js';
import { findLatestOrderIdOfBorrower } from './loan-order-borrower.repository.js';
import type { Actor, LoanOrderDeps } from './loan-order-deps.js';
import { findOrderDetailSheet, findOrderSheet, type OrderSheet } from './loan-order-detail.repository.js';
import { FIELD_LABELS } from './loan-order-fields.js';
import { listPictureCategories } from './loan-order-picture.repository.js';
import { STAGES } from './loan-order-state.js';

/** A person as the spec shows one; `prefix` is '', 'link_' or 'link2_'. */
type PersonView = Record<string, string | number | null>;

export interface CustomerView {
  [field: string]: string | number | null;
}

export interface OrderDetail {
  order: OrderSheet['order'];
  agent: { u_id: number; realname: string; mobile: string } | null;
  customer: CustomerView;
  pictures: Array<{
    hpc_id: number;
    hpc_name: string;
    son_cate_list: Array<{ hpc_id: number; hpc_name: string; pic_num: number }>;
  }>;
  suggestions: Array<{ content: string; suggest_type: number; created_at: number }>;
}

const PREFIX: Record<PersonRole, string> = { customer: '', spouse: 'link_', coborrower: 'link2_' };

/** The detail page of an order: anyone at the 面签 desk may read it, whatever its stage. */
export async function getOrderDetail(
  deps: LoanOrderDeps,
  actor: Actor,
  sonOrderId: string,
  now: number,
): Promise<OrderDetail> {
  requireStageRole(actor, 'mianqian');
  return readOrderDetail(deps, sonOrderId, now);
}

/**
 * The same detail for the back office's order page, to whoever works on a loan stage: each
 * stage's clerk reads the order before passing, returning or stopping it (admin manages
 * accounts, not loans).
 */
export async function getOrderForStaff(
  deps: LoanOrderDeps,
  actor: Actor,
  sonOrderId: string,
  now: number,
): Promise<OrderDetail> {
  if (!actor.roles.some((role) => (STAGES as readonly string[]).includes(role))) {
    throw new DomainError('forbidden', '需要业务环节权限');
  }
  return readOrderDetail(deps, sonOrderId, now);
}

async function readOrderDetail(deps: LoanOrderDeps, sonOrderId: string, now: number): Promise<OrderDetail> {
  const sheet = await findOrderDetailSheet(deps.db, sonOrderId);
  if (!sheet) throw orderNotFound();
  const { order, agent, pictureCounts: counts, suggestions } = sheet;
  const categories = await listPictureCategories(deps.db);
  const pictures = categories
    .filter((c) => c.parent_id === null)
    .map((parent) => ({
      hpc_id: parent.hpc_id,
      hpc_name: parent.hpc_name,
      son_cate_list: categories
        .filter((c) => c.parent_id === parent.hpc_id)
        .map((c) => ({ hpc_id: c.hpc_id, hpc_name: c.hpc_name, pic_num: counts.get(c.hpc_id) ?? 0 })),
    }));
  return {
    order,
    agent: agent
      ? { u_id: Number(agent.u_id), realname: agent.realname, mobile: deps.pii.decrypt(agent.mobile_enc) }
      : null,
    customer: customerView(deps.pii, sheet, now),
    pictures,
    suggestions,
  };
}

/** The borrower's latest details by ID number, to fill the form of a returning customer. */
export async function findCustomerByIdCard(
  deps: LoanOrderDeps,
  actor: Actor,
  input: RawInput,
  now: number,
): Promise<CustomerView> {
  requireStageRole(actor, 'mianqian');
  const r = new FieldReader(input, FIELD_LABELS);
  const idCard = r.idCard('id_card', now, { required: true });
  r.done();
  const orderId = await findLatestOrderIdOfBorrower(deps.db, deps.pii.blindIndex(idCard!.number, 'id_card'));
  if (orderId === undefined) {
    throw new DomainError('not_found', '未找到该身份证号的客户', [
      { field: 'id_card', error: '未找到该身份证号的客户' },
    ]);
  }
  const sheet = await findOrderSheet(deps.db, orderId);
  if (!sheet) throw orderNotFound();
  return customerView(deps.pii, sheet, now);
}

const PERSON_FIELDS = [
  'name',
  'mobile',
  'id_card',
  'domicile',
  'unit',
  'is_execute',
  'unit_is_execute',
  'age',
  'sex',
];

function customerView(pii: Pii, { order, customer, people }: OrderSheet, now: number): CustomerView {
  const view: CustomerView = {};
  for (const prefix of Object.values(PREFIX)) {
    for (const field of PERSON_FIELDS) view[prefix + field] = null;
  }
  view.name = order.customer_name;
  for (const person of people) {
    Object.assign(view, personView(pii, person, PREFIX[person.role], now));
  }
  Object.assign(view, {
    marital_tatus: customer?.marital_tatus ?? null,
    marry_date: customer?.marry_date ?? null,
    lihun_date: customer?.lihun_date ?? null,
    month_income: customer?.month_income ?? null,
    address: customer?.address ?? null,
    second_address: customer?.second_address ?? null,
    emergency_contact: customer?.emergency_contact ?? null,
    emergency_mobile: customer?.emergency_mobile_enc ? pii.decrypt(customer.emergency_mobile_enc) : null,
    emergency_relationship: customer?.emergency_relationship ?? null,
    property2_owner: customer?.property2_owner ?? null,
    common_proportion: customer?.common_proportion ?? null,
    gongjie_status: customer?.gongjie_status ?? null,
  });
  return view;
}

function personView(
  pii: Pii,
  person: {
    name: string;
    mobile_enc: string;
    id_card_enc: string;
    domicile: string | null;
    unit: string | null;
    is_execute: number | null;
    unit_is_execute: number | null;
  },
  prefix: string,
  now: number,
): PersonView {
  const idCard = pii.decrypt(person.id_card_enc);
  const parsed = parseResidentId(idCard, now);
  return {
    [`${prefix}name`]: person.name,
    [`${prefix}mobile`]: pii.decrypt(person.mobile_enc),
    [`${prefix}id_card`]: idCard,
    [`${prefix}domicile`]: person.domicile,
    [`${prefix}unit`]: person.unit,
    [`${prefix}is_execute`]: person.is_execute,
    [`${prefix}unit_is_execute`]: person.unit_is_execute,
    [`${prefix}age`]: parsed.ok ? ageOn(parsed.value.birthDate, now) : null,
    [`${prefix}sex`]: parsed.ok ? parsed.value.sex : null,
  };
}
