import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import { FieldReader, type RawInput } from '../../core/field-reader.js';
import type { Database } from '../../database.js';
import { personIdentity } from '../../platform/pii-fields.js';
import { recordAudit } from '../audit/index.js';
import { type BorrowInfo, readBorrowInfo } from './borrow-info.validation.js';
import { type CustomerInfo, readCustomerInfo } from './customer-info.validation.js';
import { type HouseInfo, readHouseInfo } from './house-info.validation.js';
import { updateOrderIfUnchanged } from './loan-order.repository.js';
import type { LoanOrderRow } from './loan-order.table.js';
import { CONFLICT_MESSAGE, loadOrderAt, requireStageRole } from './loan-order-access.js';
import { renameAgent } from './loan-order-agent.repository.js';
import type { City } from './loan-order-catalog.js';
import { type Actor, actorRef, type LoanOrderDeps } from './loan-order-deps.js';
import { FIELD_LABELS } from './loan-order-fields.js';
import {
  deletePeople,
  updatePersonDetailsIfSameIdentity,
  upsertCustomer,
  upsertPerson,
} from './loan-order-people.repository.js';
import { sealPerson } from './loan-order-person-match.js';
import { SUGGEST_TYPE_OF_STAGE } from './loan-order-state.js';
import { insertSuggestion } from './loan-order-suggestion.repository.js';

const EDIT_STAGE = 'mianqian';

type OrderPatch = Partial<Omit<LoanOrderRow, 'id' | 'version'>>;

/**
 * The part of `patch` that differs from the order: a column left out of the UPDATE is one whose
 * indexes SQLite need not rewrite (the borrower's name, say, is in a list index).
 */
function changedFields(order: LoanOrderRow, patch: OrderPatch): OrderPatch {
  return Object.fromEntries(
    Object.entries(patch).filter(([column, value]) => order[column as keyof OrderPatch] !== value),
  );
}

/**
 * The frame every 面签 edit shares: role first, then — inside one transaction — the order must
 * be open at 面签, the input is validated against it, the change is applied only if nobody
 * else changed the order meanwhile, and an audit row records it.
 */
async function editOrder<T>(
  deps: LoanOrderDeps,
  actor: Actor,
  sonOrderId: string,
  action: string,
  now: number,
  validate: (order: LoanOrderRow) => T,
  apply: (trx: Kysely<Database>, order: LoanOrderRow, value: T) => Promise<OrderPatch>,
): Promise<void> {
  requireStageRole(actor, EDIT_STAGE);
  await deps.db.transaction().execute(async (trx) => {
    const order = await loadOrderAt(trx, sonOrderId, EDIT_STAGE);
    const value = validate(order);
    const patch = await apply(trx, order, value);
    if (!(await updateOrderIfUnchanged(trx, order, { ...changedFields(order, patch), updated_at: now }))) {
      throw new DomainError('conflict', CONFLICT_MESSAGE);
    }
    await recordAudit(trx, {
      actor: actorRef(actor),
      entity: 'loan_order',
      entity_id: order.son_order_id,
      action,
      from_state: order.stage,
      to_state: order.stage,
      reason: null,
      created_at: now,
    });
  });
}

export async function saveBorrowInfo(
  deps: LoanOrderDeps,
  actor: Actor,
  sonOrderId: string,
  input: RawInput,
  now: number,
): Promise<void> {
  await editOrder<BorrowInfo>(
    deps,
    actor,
    sonOrderId,
    'save_borrow_info',
    now,
    (order) => readBorrowInfo(input, { city: order.city as City, hasAgent: order.agent_id !== null }),
    async (trx, order, info) => {
      const { user_realname, ...fields } = info;
      if (user_realname !== undefined && order.agent_id !== null) {
        await renameAgent(trx, order.agent_id, user_realname);
      }
      return fields;
    },
  );
}

export async function saveHouseInfo(
  deps: LoanOrderDeps,
  actor: Actor,
  sonOrderId: string,
  input: RawInput,
  now: number,
): Promise<void> {
  await editOrder<HouseInfo>(
    deps,
    actor,
    sonOrderId,
    'save_house_info',
    now,
    (order) => readHouseInfo(input, order.city as City, now),
    async (_trx, _order, info) => info,
  );
}

const OPTIONAL_ROLES = ['spouse', 'coborrower'] as const;

export async function saveCustomerInfo(
  deps: LoanOrderDeps,
  actor: Actor,
  sonOrderId: string,
  input: RawInput,
  now: number,
): Promise<void> {
  // Validation needs no database, so it happens before the transaction opens.
  const info = readCustomerInfo(input, now);
  const people = info.people.map((p) => ({
    person: p,
    details: {
      role: p.role,
      ...personIdentity(deps.pii, p.mobile, p.idCard.number),
      name: p.name,
      domicile: p.domicile,
      unit: p.unit,
      is_execute: p.is_execute,
      unit_is_execute: p.unit_is_execute,
    },
  }));
  await editOrder<CustomerInfo>(
    deps,
    actor,
    sonOrderId,
    'save_customer_info',
    now,
    () => info,
    async (trx, order) => {
      for (const { person, details } of people) {
        const row = { ...details, order_id: order.id };
        // Most saves keep the people and correct their details; only new numbers are sealed again.
        if (await updatePersonDetailsIfSameIdentity(trx, row)) continue;
        await upsertPerson(trx, {
          ...row,
          ...sealPerson(deps.pii, person.mobile, person.idCard.number),
        });
      }
      // A spouse of a now-unmarried borrower, or a co-borrower no longer declared, goes.
      await deletePeople(
        trx,
        order.id,
        OPTIONAL_ROLES.filter((role) => !people.some((p) => p.details.role === role)),
      );
      const { people: _people, emergency_mobile, ...customer } = info;
      await upsertCustomer(trx, {
        ...customer,
        order_id: order.id,
        emergency_mobile_enc: emergency_mobile === null ? null : deps.pii.encrypt(emergency_mobile),
        updated_at: now,
      });
      return { customer_name: info.people[0]!.name };
    },
  );
}

export async function saveSuggestion(
  deps: LoanOrderDeps,
  actor: Actor,
  sonOrderId: string,
  input: RawInput,
  now: number,
): Promise<void> {
  const r = new FieldReader(input, FIELD_LABELS);
  const content = r.text('mianqian_suggest', { required: true, max: 1000 });
  r.done();
  await editOrder(
    deps,
    actor,
    sonOrderId,
    'save_suggest',
    now,
    () => content!,
    async (trx, order, text) => {
      await insertSuggestion(trx, {
        order_id: order.id,
        suggest_type: SUGGEST_TYPE_OF_STAGE[EDIT_STAGE],
        content: text,
        staff_id: actor.id,
        created_at: now,
      });
      return {};
    },
  );
}
