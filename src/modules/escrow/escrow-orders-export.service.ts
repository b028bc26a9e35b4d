import type { Kysely } from 'kysely';
import { FieldReader, type RawInput } from '../../core/field-reader.js';
import type { Database } from '../../database.js';
import {
  type EscrowOrderListRow,
  readEscrowStateFilter,
  toEscrowOrderListRow,
} from './escrow-order-list-row.js';
import { listEscrowOrdersBefore } from './escrow-orders-list.repository.js';
import { requireEscrowRole } from './escrow-payouts.service.js';

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
  const filter = { state: readEscrowStateFilter(r), now };
  r.done();
  return async (after: EscrowOrderListRow | undefined, limit: number): Promise<EscrowOrderListRow[]> =>
    (await listEscrowOrdersBefore(db, filter, after?.id, limit)).map((row) => toEscrowOrderListRow(row, now));
}
