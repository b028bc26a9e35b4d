import type { FieldReader } from '../../core/field-reader.js';
import type { listEscrowOrdersBefore } from './escrow-orders-list.repository.js';
import { ESCROW_STATE_LABELS, ESCROW_STATES, type EscrowState, effectiveState } from './escrow-state.js';

/** An escrow order as the staff's list and its export show it (times epoch ms); never the sealed request. */
export interface EscrowOrderListRow {
  id: number;
  house_order_no: string;
  source: string;
  source_no: string;
  template_id: string;
  service_type: string;
  store_id: number | null;
  state: EscrowState;
  state_label: string;
  deadline_at: number;
  created_at: number;
  updated_at: number;
}

type ListedOrder = Awaited<ReturnType<typeof listEscrowOrdersBefore>>[number];

/** The list's `state` filter: one of the states staff see, or none. */
export function readEscrowStateFilter(r: FieldReader): EscrowState | undefined {
  const state = r.text('state', { max: 16 });
  if (state !== undefined && !(ESCROW_STATES as readonly string[]).includes(state))
    r.fail('state', '状态只能是inviting、signed、declined或timed_out');
  return state as EscrowState | undefined;
}

/** A listed order with the state staff see: an invitation past its deadline is timed out, as on the page. */
export function toEscrowOrderListRow(row: ListedOrder, now: number): EscrowOrderListRow {
  const seen = effectiveState({ state: row.state, deadline_at: Number(row.deadline_at) }, now);
  return {
    ...row,
    id: Number(row.id),
    store_id: row.store_id === null ? null : Number(row.store_id),
    state: seen,
    state_label: ESCROW_STATE_LABELS[seen],
    deadline_at: Number(row.deadline_at),
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
  };
}
