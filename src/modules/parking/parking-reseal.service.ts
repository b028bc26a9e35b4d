import * as repo from './parking-orders.repository.js';
import type { ParkingOrderDeps } from './parking-orders.service.js';

export interface ResealReport {
  files: { sealed: number; already: number };
  /** Files an order names that the storage does not have: kept documents lost, for someone to look into. */
  missing: Array<{ orderId: string; slot: number; storageKey: string }>;
  /** Files that could not be sealed (unreadable, a folder not writable): left as they were. */
  failed: Array<{ orderId: string; slot: number; storageKey: string; error: string }>;
  extraInfos: number;
}

/** The key given does not open what the servers have sealed: nothing was changed. */
export class ResealKeyMismatch extends Error {
  override readonly name = 'ResealKeyMismatch';
}

/**
 * Seals what the parking family kept in the clear before it sealed its documents: every stored
 * upload an order names, and every order's extra infos. The key is first proved on a value the
 * servers sealed (a driver's phone), so a run with another key changes nothing. Safe beside
 * servers that seal, and to run again: a file is replaced whole by rename, a row only while it
 * still holds what was read, and what is sealed already is left as it is.
 */
export async function resealParkingDocuments(
  deps: Pick<ParkingOrderDeps, 'db' | 'pii' | 'storage'>,
  page = 500,
): Promise<ResealReport> {
  const probe = await repo.anySealedPhone(deps.db);
  if (probe !== undefined) {
    try {
      deps.pii.decrypt(probe);
    } catch {
      throw new ResealKeyMismatch('the PII key does not open the parking data already sealed');
    }
  }
  const report: ResealReport = { files: { sealed: 0, already: 0 }, missing: [], failed: [], extraInfos: 0 };
  for (let after = 0; ; ) {
    const files = await repo.pageOrderFiles(deps.db, after, page);
    for (const file of files) {
      const named = { orderId: file.order_id, slot: Number(file.slot), storageKey: file.storage_key };
      try {
        const outcome = await deps.storage.seal(file.storage_key);
        if (outcome === 'missing') report.missing.push(named);
        else report.files[outcome] += 1;
      } catch (error) {
        report.failed.push({ ...named, error: (error as Error).message });
      }
    }
    if (files.length < page) break;
    after = Number(files.at(-1)!.id);
  }
  for (let after = ''; ; ) {
    const rows = await repo.pagePlainExtraInfos(deps.db, after, page);
    for (const row of rows) {
      // Sealed as stored, byte for byte: what reads it opens the seal and parses the same text.
      if (await repo.replaceExtraInfo(deps.db, row.id, row.extra_info, deps.pii.encrypt(row.extra_info)))
        report.extraInfos += 1;
    }
    if (rows.length < page) break;
    after = rows.at(-1)!.id;
  }
  return report;
}
