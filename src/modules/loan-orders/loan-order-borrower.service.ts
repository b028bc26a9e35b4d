import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { Pii } from '../../platform/pii.js';
import {
  findBorrowerByIdCardHash,
  findBorrowersByMatchHash,
  findOrdersOfBorrower,
} from './loan-order-borrower.repository.js';

type Db = Kysely<Database>;

/** A borrower as another module sees them: decrypted, never the stored `_enc` columns. */
export interface BorrowerView {
  name: string;
  mobile: string;
  idCardHash: string;
}

/** A borrower the marketplace named by its md5, with the full ID number to check its visible digits. */
export interface MatchedBorrowerView extends BorrowerView {
  idCard: string;
}

/** Borrowers the marketplace names by its keyed md5 hash (personMatchHash), newest order first. */
export async function borrowersByMatchHash(
  deps: { db: Db; pii: Pii },
  matchHash: string,
): Promise<MatchedBorrowerView[]> {
  const rows = await findBorrowersByMatchHash(deps.db, matchHash);
  return rows.map((row) => ({
    name: row.name,
    mobile: deps.pii.decrypt(row.mobile_enc),
    idCard: deps.pii.decrypt(row.id_card_enc),
    idCardHash: row.id_card_hash,
  }));
}

/** The borrower by the keyed hash of their ID number (as of their newest order). */
export async function borrowerByIdCardHash(
  deps: { db: Db; pii: Pii },
  idCardHash: string,
): Promise<BorrowerView | undefined> {
  const row = await findBorrowerByIdCardHash(deps.db, idCardHash);
  if (!row) return undefined;
  return { name: row.name, mobile: deps.pii.decrypt(row.mobile_enc), idCardHash: row.id_card_hash };
}

/** Every order in which this ID number is the borrower: state, 驳回, bad record, term and times. */
export async function ordersOfBorrower(deps: { db: Db }, idCardHash: string) {
  return findOrdersOfBorrower(deps.db, idCardHash);
}
