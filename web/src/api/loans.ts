import { isStage, type Stage, type Transition } from '../../../src/modules/loan-orders/loan-order-state';
import { apiGet, apiPost } from './client';
import type { DeskFilter, DeskPage, DeskRow, OrderDetail } from './mianqian';

/**
 * The back-office API around the loan stages (docs/mianqian.md, "Back-office API", and
 * docs/backoffice-api.md): each stage's desk, an order as its stage's clerk reads it, the moves
 * at an order's current stage, its audit trail, and 客服 opening an order.
 */

/**
 * GET /api/loan-orders/desk?stage=S: S's desk (its open orders and those it returned that have
 * not come back; 客服's: every open order at 客服, those returned to it included) with the 面签
 * list's filters and rows (each with its 驳回 stage and creation time), and the row total (needs
 * role S).
 */
export const stageDesk = (stage: Stage, filter: DeskFilter) =>
  apiGet<StageDeskPage>('/api/loan-orders/desk', { ...filter, stage });

/** A desk API row: the 面签 list's row, with who returned the order and when it was opened. */
export interface StageDeskRow extends DeskRow {
  /** The stage that returned the order to 客服; null when it was not returned. */
  bohui_stage: Stage | null;
  /** Beijing `YYYY-MM-DD HH:mm:ss`. */
  created_at: string;
}

export interface StageDeskPage extends Omit<DeskPage, 'order_list'> {
  order_list: StageDeskRow[];
  total: number;
}

/** TransitionResultView: where the order stands after the move. */
export interface MoveResult {
  son_order_id: string;
  stage: Stage;
  state: 'open' | 'stopped' | 'approved';
  is_bohui: number;
}

/**
 * POST /api/loan-orders/:id/{pass,return_kefu,stop} at the order's current stage: the server
 * checks the caller holds that stage's role. `bad_record` marks a stop for cause.
 */
export const moveOrder = (sonOrderId: string, move: Transition, body: { reason?: string; bad_record?: 1 }) =>
  apiPost<MoveResult>(`/api/loan-orders/${encodeURIComponent(sonOrderId)}/${move}`, body);

/** Where an order is, as GET /api/loan-orders/:id answers it. */
export interface OrderPosition {
  stage: Stage;
  stage_label: string;
  state: 'open' | 'stopped' | 'approved';
  /** 1 while the order is back at 客服, returned by `bohui_stage`. */
  is_bohui: number;
  bohui_stage: Stage | null;
}

/** The order page's read: where the order is, then all that order_detail shows. */
export type StaffOrder = OrderDetail & { position: OrderPosition };

/**
 * GET /api/loan-orders/:id: the whole order for any loan stage's clerk (order_detail itself is
 * the 面签 role's only); an unknown order is refused with code 0.
 */
export const staffOrder = (sonOrderId: string) =>
  apiGet<StaffOrder>(`/api/loan-orders/${encodeURIComponent(sonOrderId)}`);

/** AuditEntryView: `from_state`/`to_state` as the server describes a position (see parsePosition). */
export interface AuditEntry {
  id: number;
  /** `staff:<id>`, `system`, `partner:<ua>` … */
  actor: string;
  /** A staff actor's display name; null for the machines (and an account no longer found). */
  actor_name: string | null;
  entity: string;
  entity_id: string;
  action: string;
  from_state: string | null;
  to_state: string | null;
  reason: string | null;
  /** Beijing `YYYY-MM-DD HH:mm:ss`. */
  created_at: string;
}

/** GET /api/loan-orders/:id/audit (any staff), oldest first. */
export const orderAudit = (sonOrderId: string) =>
  apiGet<{ audit: AuditEntry[] }>(`/api/loan-orders/${encodeURIComponent(sonOrderId)}/audit`).then(
    (answer) => answer.audit,
  );

/** The body of POST /api/loan-orders (ORDER_CREATE_FIELDS); 中介 fields for 中介订单 only. */
export interface NewOrder {
  order_type: number;
  city: string;
  /** Beijing `YYYY-MM-DD HH:mm:ss`. */
  appointment_time: string;
  customer_name: string;
  user_realname?: string;
  user_mobile?: string;
}

/** POST /api/loan-orders: 客服 opens an order at 客服. */
export const createOrder = (order: NewOrder) => apiPost<{ son_order_id: string }>('/api/loan-orders', order);

/** Where an order stands, as the audit trail's from_state / to_state or the order page describe it. */
export type Position =
  | { state: 'open'; stage: Stage; bohui_stage: Stage | null }
  | { state: 'stopped'; stage: Stage }
  | { state: 'approved' };

/** The order page's position as the trail's: one way to say either in words (positionText). */
export function positionOf({ state, stage, bohui_stage }: OrderPosition): Position {
  if (state === 'approved') return { state };
  if (state === 'stopped') return { state, stage };
  return { state, stage, bohui_stage };
}

const asStage = (text: string | undefined): Stage | undefined =>
  text !== undefined && isStage(text) ? text : undefined;

/**
 * Reads the server's describePosition (src/modules/loan-orders/loan-order-state.ts): `kefu`,
 * `kefu (bohui:mianqian)`, `stopped@shencha`, `approved`. Anything else is not a position.
 */
export function parsePosition(text: string | null): Position | undefined {
  if (text === null) return undefined;
  if (text === 'approved') return { state: 'approved' };
  const stopped = /^stopped@(\w+)$/.exec(text);
  if (stopped) {
    const stage = asStage(stopped[1]);
    return stage && { state: 'stopped', stage };
  }
  const open = /^(\w+)(?: \(bohui:(\w+)\))?$/.exec(text);
  const stage = asStage(open?.[1]);
  if (!open || !stage) return undefined;
  return { state: 'open', stage, bohui_stage: asStage(open[2]) ?? null };
}
