import type { Kysely } from 'kysely';
import { FieldReader, type RawInput } from '../../core/field-reader.js';
import { PAGING_FIELDS, pagePosition, readPaging } from '../../core/paging.js';
import type { Database } from '../../database.js';
import { readEscrowStateFilter, toEscrowOrderListRow } from '../escrow/escrow-order-list-row.js';
import { listEscrowOrders } from '../escrow/escrow-orders-list.repository.js';
import { requireEscrowRole } from '../escrow/index.js';
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
      const state = readEscrowStateFilter(r);
      const paging = readPaging(r);
      r.done();
      const { total, rows } = await listEscrowOrders(db, { state, now }, paging.offset, paging.pageSize);
      return {
        ...pagePosition(paging, total),
        orders: rows.map((row) => toEscrowOrderListRow(row, now)),
      };
    },
  };
}

export type BackOfficeModule = ReturnType<typeof createBackOfficeModule>;
