import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import { FieldReader, type RawInput } from '../../core/field-reader.js';
import type { Database } from '../../database.js';
import { findOrderBySonOrderId } from './loan-order.repository.js';
import type { LoanOrderRow } from './loan-order.table.js';
import type { Actor } from './loan-order-deps.js';
import { FIELD_LABELS } from './loan-order-fields.js';
import { STAGE_LABELS, type Stage } from './loan-order-state.js';

/** A stage's actions need that stage's role; admin manages accounts, not loans. */
export function requireStageRole(actor: Actor, stage: Stage): void {
  if (!actor.roles.includes(stage)) {
    throw new DomainError('forbidden', `需要${STAGE_LABELS[stage]}权限`);
  }
}

export async function loadOrder(db: Kysely<Database>, sonOrderId: string): Promise<LoanOrderRow> {
  const order = await findOrderBySonOrderId(db, sonOrderId);
  if (!order) throw orderNotFound();
  return order;
}

export function orderNotFound(): DomainError {
  return new DomainError('not_found', '订单不存在', [{ field: 'son_order_id', error: '订单不存在' }]);
}

/** The order, provided it is open at `stage`; anything else is refused with the reason. */
export async function loadOrderAt(
  db: Kysely<Database>,
  sonOrderId: string,
  stage: Stage,
): Promise<LoanOrderRow> {
  const order = await loadOrder(db, sonOrderId);
  if (order.state === 'stopped') throw new DomainError('illegal_transition', '订单已终止，不能再操作');
  if (order.state === 'approved') throw new DomainError('illegal_transition', '订单已审批完成，不能再操作');
  if (order.stage !== stage) {
    throw new DomainError(
      'illegal_transition',
      `订单当前在${STAGE_LABELS[order.stage]}阶段，不在${STAGE_LABELS[stage]}阶段，不能操作`,
    );
  }
  return order;
}

export const CONFLICT_MESSAGE = '订单已被他人修改，请刷新后重试';

/** The spec's order number: `yyMMddHHmm` and three digits. */
export function readSonOrderId(input: RawInput): string {
  const r = new FieldReader(input, FIELD_LABELS);
  const id = r.text('son_order_id', { required: true, max: 20 });
  if (id !== undefined && !/^\d{13}$/.test(id)) r.fail('son_order_id', '订单编号格式不正确');
  r.done();
  return id!;
}
