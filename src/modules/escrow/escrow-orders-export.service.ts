import type { Kysely } from 'kysely';
import { FieldReader, type RawInput } from '../../core/field-reader.js';
import type { Database } from '../../database.js';
import { listEscrowOrdersBefore } from './escrow-orders-list.repository.js';
import { requireEscrowRole } from './escrow-payouts.service.js';
import { ESCROW_STATE_LABELS, ESCROW_STATES, type EscrowState, effectiveState } from './escrow-state.js';

/** An escrow order as the staff's list shows it (times epoch ms); never the sealed request. */
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

/**
 * GET /api/escrow-orders/export.csv's rows: the escrow role and the list's state filter checked
 * now (the same message as the list), then keyset pages in the list's order, newest first. A
 * state is the one staff see: an invitation past its deadline is timed out, as on the page.
 */
export function escrowOrderExportPages(
  db: Kysely<Database>,
  staff: { roles: readonly string[] },
  input: RawInput,
  now: number,
) {
  requireEscrowRole(staff);
  const r = new FieldReader(input, { state: '状态' });
  const state = r.text('state', { max: 16 });
  if (state !== undefined && !(ESCROW_STATES as readonly string[]).includes(state))
    r.fail('state', '状态只能是inviting、signed、declined或timed_out');
  r.done();
  const filter = { state: state as EscrowState | undefined, now };
  return async (after: EscrowOrderListRow | undefined, limit: number): Promise<EscrowOrderListRow[]> =>
    (await listEscrowOrdersBefore(db, filter, after?.id, limit)).map((row) => {
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
    });
}
