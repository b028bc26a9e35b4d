import type { Kysely } from 'kysely';
import { FieldReader, type RawInput } from '../../core/field-reader.js';
import { PAGING_FIELDS, pagePosition, readPaging } from '../../core/paging.js';
import type { Database } from '../../database.js';
import { listEscrowOrders } from '../escrow/escrow-orders-list.repository.js';
import {
  ESCROW_STATE_LABELS,
  ESCROW_STATES,
  type EscrowState,
  effectiveState,
  requireEscrowRole,
} from '../escrow/index.js';
import {
  type ParkingOrderFilter,
  parkingOrderExportPages,
} from '../parking/parking-orders-export.repository.js';

export const ESCROW_LIST_FIELDS = { state: '状态', ...PAGING_FIELDS } as const;

/**
 * The back office's reads across the families whose modules page only by offset or have no
 * staff list: the queries live in those modules' own files, wired here.
 */
export function createBackOfficeModule(deps: { db: Kysely<Database> }) {
  const { db } = deps;
  return {
    /** Keyset pages of the parking order list (its filters already checked by that list). */
    parkingOrderExportPages: (filter: ParkingOrderFilter) => parkingOrderExportPages(db, filter),

    /** GET /api/escrow-orders: escrow orders newest first, by the state staff see, paged. */
    async escrowOrders(staff: { roles: readonly string[] }, input: RawInput, now: number) {
      // The escrow role, as the orders' money pages (admin manages accounts, not money).
      requireEscrowRole(staff);
      const r = new FieldReader(input, ESCROW_LIST_FIELDS);
      const state = r.text('state', { max: 16 });
      if (state !== undefined && !(ESCROW_STATES as readonly string[]).includes(state))
        r.fail('state', '状态只能是inviting、signed、declined或timed_out');
      const paging = readPaging(r);
      r.done();
      const { total, rows } = await listEscrowOrders(
        db,
        { state: state as EscrowState | undefined, now },
        paging.offset,
        paging.pageSize,
      );
      return {
        ...pagePosition(paging, total),
        orders: rows.map((row) => {
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
        }),
      };
    },
  };
}

export type BackOfficeModule = ReturnType<typeof createBackOfficeModule>;
