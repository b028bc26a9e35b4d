import { sealExtraInfo } from './parking-extra-info.js';
import * as repo from './parking-orders.repository.js';
import type { ParkingOrderDeps } from './parking-orders.service.js';

const PAGE = 500;

export interface ResealReport {
  files: { sealed: number; already: number };
  /** Files an order names that the storage does not have: kept documents lost, for someone to look into. */
  missing: Array<{ orderId: string; slot: number; storageKey: string }>;
  extraInfos: number;
}

/**
 * Seals what the parking family kept in the clear before it sealed its documents: every stored
 * upload an order names, and every order's extra infos. Safe to run beside serving servers and to
 * run again: a file is replaced whole by rename, a row only while it still holds what was read,
 * and what is sealed already is left as it is.
 */
export async function resealParkingDocuments(
  deps: Pick<ParkingOrderDeps, 'db' | 'pii' | 'storage'>,
): Promise<ResealReport> {
  const report: ResealReport = { files: { sealed: 0, already: 0 }, missing: [], extraInfos: 0 };
  for (let after = 0; ; ) {
    const files = await repo.pageOrderFiles(deps.db, after, PAGE);
    for (const file of files) {
      const outcome = await deps.storage.seal(file.storage_key);
      if (outcome === 'missing')
        report.missing.push({
          orderId: file.order_id,
          slot: Number(file.slot),
          storageKey: file.storage_key,
        });
      else report.files[outcome] += 1;
    }
    if (files.length < PAGE) break;
    after = Number(files.at(-1)!.id);
  }
  for (let after = ''; ; ) {
    const rows = await repo.pagePlainExtraInfos(deps.db, after, PAGE);
    for (const row of rows) {
      const items = JSON.parse(row.extra_info) as object[];
      if (await repo.replaceExtraInfo(deps.db, row.id, row.extra_info, sealExtraInfo(deps.pii, items)))
        report.extraInfos += 1;
    }
    if (rows.length < PAGE) break;
    after = rows.at(-1)!.id;
  }
  return report;
}
