import { DomainError, type FieldError } from '../../core/domain-error.js';
import { isTransientConflict, retrying } from '../../platform/db/transaction-retry.js';
import type { Pii } from '../../platform/pii.js';
import { recordAudit } from '../audit/index.js';
import { type RefundRow, requestRefund, sendRefund } from '../payments/index.js';
import type { StaffMember } from '../staff/index.js';
import { findUserIdByOpenId } from './parking.repository.js';
import type { ParkingOrderFileRow, ParkingOrderRow } from './parking.table.js';
import { openExtraInfo } from './parking-extra-info.js';
import * as repo from './parking-orders.repository.js';
import {
  PARKING_ORDER_PURPOSE,
  PARKING_PAY_PERIOD_S,
  type ParkingOrderDeps,
} from './parking-orders.service.js';
import {
  PARKING_AUDIT_STATES,
  PARKING_ORDER_STATES,
  type ParkingAuditState,
  type ParkingOrderState,
} from './parking-state.js';

const NOT_FOUND = '订单不存在';

/** An order as the back office sees it (fen and epoch ms, as the back office's other lists). */
export function staffOrderView(pii: Pii, order: ParkingOrderRow) {
  return {
    id: order.id,
    park_id: order.park_id,
    card_id: order.card_id,
    user_id: order.user_id,
    product_id: order.product_id,
    product_v_id: order.product_v_id,
    product_name: order.product_name,
    price_type: order.price_type,
    unit_type: order.unit_type,
    count: Number(order.count),
    amount_fen: Number(order.amount_fen),
    start_dt: Number(order.start_dt),
    end_dt: Number(order.end_dt),
    order_type: Number(order.order_type),
    state: order.state,
    is_audit_before_pay: Number(order.is_audit_before_pay),
    audit_state: order.audit_state,
    audit_reason: order.audit_reason,
    audited_by: order.audited_by,
    audited_at: order.audited_at === null ? null : Number(order.audited_at),
    extra_info: openExtraInfo<unknown>(pii, order.extra_info),
    first_org_name: order.first_org_name,
    first_org_code: order.first_org_code,
    second_org_name: order.second_org_name,
    second_org_code: order.second_org_code,
    user_department: order.user_department,
    duplicate_code: order.duplicate_code,
    out_trade_no: order.out_trade_no,
    pay_suc_dt: order.pay_suc_dt === null ? null : Number(order.pay_suc_dt),
    prev_end_dt: order.prev_end_dt === null ? null : Number(order.prev_end_dt),
    expires_at: Number(order.expires_at),
    created_at: Number(order.created_at),
    updated_at: Number(order.updated_at),
  };
}

export function fileView(file: ParkingOrderFileRow) {
  return {
    id: Number(file.id),
    slot: Number(file.slot),
    code: file.code,
    name: file.name,
    type: file.type,
    content_type: file.content_type,
    size: Number(file.size),
    created_at: Number(file.created_at),
  };
}

/** The review queue and order list: filters by audit state and order state, paged. */
export async function listOrdersForStaff(
  deps: ParkingOrderDeps,
  filter: { audit_state?: string | undefined; state?: string | undefined; page?: number; page_size?: number },
) {
  const errors: FieldError[] = [];
  if (filter.audit_state && !(PARKING_AUDIT_STATES as readonly string[]).includes(filter.audit_state))
    errors.push({ field: 'audit_state', error: '审核状态只能是01、02、03或04' });
  if (filter.state && !(PARKING_ORDER_STATES as readonly string[]).includes(filter.state))
    errors.push({ field: 'state', error: '订单状态只能是01、03、21、22或81' });
  if (errors.length > 0) throw DomainError.validation(errors);
  const page = Math.max(1, filter.page ?? 1);
  const pageSize = Math.min(100, Math.max(1, filter.page_size ?? 20));
  const { rows, total } = await repo.listOrders(deps.db, {
    ...(filter.audit_state ? { auditState: filter.audit_state as ParkingAuditState } : {}),
    ...(filter.state ? { state: filter.state as ParkingOrderState } : {}),
    offset: (page - 1) * pageSize,
    limit: pageSize,
  });
  return { page, page_size: pageSize, total, orders: rows.map((row) => staffOrderView(deps.pii, row)) };
}

export async function getOrderForStaff(deps: ParkingOrderDeps, orderId: string) {
  const order = await repo.findOrder(deps.db, orderId);
  if (!order) throw new DomainError('not_found', NOT_FOUND);
  const files = await repo.listOrderFiles(deps.db, orderId);
  return { ...staffOrderView(deps.pii, order), files: files.map(fileView) };
}

/** An order's uploaded file, its bytes streamed from storage. */
export async function readOrderFile(deps: ParkingOrderDeps, orderId: string, fileId: number) {
  const file = Number.isSafeInteger(fileId) ? await repo.findOrderFile(deps.db, orderId, fileId) : undefined;
  const stored = file && (await deps.storage.get(file.storage_key));
  if (!file || !stored) throw new DomainError('not_found', '文件不存在');
  return { contentType: file.content_type, size: stored.size, stream: stored.stream };
}

/** The owner's own file by its slot (the extraInfo link of call 6's answer). */
export async function readOwnOrderFile(
  deps: ParkingOrderDeps,
  openId: string,
  orderId: string,
  slot: number,
) {
  const userId = await findUserIdByOpenId(deps.db, openId);
  const order = await repo.findOrder(deps.db, orderId);
  if (!userId || !order || order.user_id !== userId) throw new DomainError('not_found', NOT_FOUND);
  const file = (await repo.listOrderFiles(deps.db, orderId)).find((f) => Number(f.slot) === slot);
  if (!file) throw new DomainError('not_found', '文件不存在');
  return readOrderFile(deps, orderId, Number(file.id));
}

/**
 * A reviewer's decision on an order waiting for review (审核中 02): approve → 03, and the order's
 * pay period starts now; refuse → 04 with the reason, the order closes (01 → 81) and a renewing
 * card is valid again (2 → 1). One transaction with its audit rows; a decided order refuses.
 */
export async function decideReview(
  deps: ParkingOrderDeps,
  orderId: string,
  decision: { approve: true } | { approve: false; reason: string },
  staff: Pick<StaffMember, 'id' | 'username'>,
  now: number,
) {
  if (!decision.approve && !decision.reason.trim())
    throw DomainError.validation([{ field: 'reason', error: '拒绝原因不能为空' }]);
  const actor = `staff:${staff.username}`;
  await retrying(
    () =>
      deps.db.transaction().execute(async (trx) => {
        const order = await repo.lockOrder(trx, orderId);
        if (!order) throw new DomainError('not_found', NOT_FOUND);
        if (order.state !== '01' || order.audit_state !== '02')
          throw new DomainError('illegal_transition', '订单不在审核中');
        const audit = decision.approve ? ('03' as const) : ('04' as const);
        const moved = await repo.moveOrder(trx, order, {
          audit_state: audit,
          audit_reason: decision.approve ? null : decision.reason.trim().slice(0, 255),
          audited_by: staff.username,
          audited_at: now,
          ...(decision.approve
            ? { expires_at: now + PARKING_PAY_PERIOD_S * 1000 }
            : { state: '81' as const }),
          updated_at: now,
        });
        if (!moved) throw new DomainError('conflict', '订单状态已变更，请重试');
        await recordAudit(trx, {
          actor,
          entity: 'parking_order',
          entity_id: orderId,
          action: decision.approve ? 'review_approved' : 'review_refused',
          from_state: `audit:02`,
          to_state: `audit:${audit}`,
          reason: decision.approve ? null : decision.reason.trim(),
          created_at: now,
        });
        if (decision.approve) return;
        await recordAudit(trx, {
          actor,
          entity: 'parking_order',
          entity_id: orderId,
          action: 'closed',
          from_state: '01',
          to_state: '81',
          reason: '审核拒绝',
          created_at: now,
        });
        if (Number(order.order_type) === 1 && (await repo.moveCard(trx, order.card_id, 2, cardReopened(now))))
          await recordAudit(trx, {
            actor,
            entity: 'parking_card',
            entity_id: order.card_id,
            action: 'state',
            from_state: '2',
            to_state: '1',
            reason: `续费订单${orderId}审核拒绝`,
            created_at: now,
          });
      }),
    isTransientConflict,
  );
  return getOrderForStaff(deps, orderId);
}

/** A renewing card whose renewal ended unpaid: valid again, without the renewal's end. */
export function cardReopened(now: number) {
  return { state: 1 as const, renew_end_dt: null, updated_at: now };
}

/**
 * Staff refund a paid order in full: 03 → 21 with the refund recorded against its WeChat payment
 * (one transaction, one audit row), then asked of WeChat (v3). Its notify settles it: 22 and the
 * card's time taken back, or a refusal back to 03.
 */
export async function refundOrder(
  deps: ParkingOrderDeps,
  orderId: string,
  reason: string,
  staff: Pick<StaffMember, 'id' | 'username'>,
  now: number,
) {
  if (!reason.trim()) throw DomainError.validation([{ field: 'reason', error: '退款原因不能为空' }]);
  const refund = await retrying(
    () =>
      deps.db.transaction().execute(async (trx): Promise<RefundRow> => {
        const order = await repo.lockOrder(trx, orderId);
        if (!order) throw new DomainError('not_found', NOT_FOUND);
        if (order.state !== '03') throw new DomainError('illegal_transition', '只有已支付的订单可以退款');
        const payment = await repo.findPaidPaymentOfOrder(trx, PARKING_ORDER_PURPOSE, order.id);
        if (!payment) throw new DomainError('illegal_transition', '订单没有可退款的微信支付');
        if (!(await repo.moveOrder(trx, order, { state: '21', updated_at: now })))
          throw new DomainError('conflict', '订单状态已变更，请重试');
        const row = await requestRefund(trx, {
          paymentId: Number(payment.id),
          amount: Number(order.amount_fen),
          reason: `parking_refund:${orderId}`,
          now,
        });
        if (!row) throw new DomainError('illegal_transition', '该支付已无可退金额');
        await recordAudit(trx, {
          actor: `staff:${staff.username}`,
          entity: 'parking_order',
          entity_id: orderId,
          action: 'refund_requested',
          from_state: '03',
          to_state: '21',
          reason: reason.trim().slice(0, 255),
          created_at: now,
        });
        return row;
      }),
    isTransientConflict,
  );
  await sendRefund(deps.payments, refund);
  const view = await getOrderForStaff(deps, orderId);
  return { ...view, refund: { out_refund_no: refund.out_refund_no, amount_fen: Number(refund.amount) } };
}
