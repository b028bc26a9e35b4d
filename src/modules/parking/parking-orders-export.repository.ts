import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { ParkingOrderRow } from './parking.table.js';
import type { ParkingAuditState, ParkingOrderState } from './parking-state.js';

export interface ParkingOrderFilter {
  auditState?: ParkingAuditState | undefined;
  state?: ParkingOrderState | undefined;
}

/**
 * Keyset pages of the staff's parking order list for the back office's export, in the list's
 * order (created_at, id descending) and with its filters, which the list checks first. Its own
 * file: the list pages by offset, and the back-office module wires this in.
 */
export function parkingOrderExportPages(db: Kysely<Database>, filter: ParkingOrderFilter) {
  return async (after: ParkingOrderRow | undefined, limit: number): Promise<ParkingOrderRow[]> => {
    let query = db.selectFrom('parking_orders').selectAll();
    if (filter.auditState) query = query.where('audit_state', '=', filter.auditState);
    if (filter.state) query = query.where('state', '=', filter.state);
    if (after) {
      const createdAt = Number(after.created_at);
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '<', createdAt),
          eb.and([eb('created_at', '=', createdAt), eb('id', '<', after.id)]),
        ]),
      );
    }
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  };
}
