import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';

type Db = Kysely<Database>;

/** The newest order in which this ID number is the borrower. */
export async function findLatestOrderIdOfBorrower(db: Db, idCardHash: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('loan_order_people')
    .select('order_id')
    .where('id_card_hash', '=', idCardHash)
    .where('role', '=', 'customer')
    .orderBy('order_id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.order_id) : undefined;
}

/** The borrower's orders by mobile: resolved first so the desk query starts from a few ids. */
export async function findOrderIdsByBorrowerMobile(db: Db, mobileHash: string): Promise<number[]> {
  const rows = await db
    .selectFrom('loan_order_people')
    .select('order_id')
    .where('mobile_hash', '=', mobileHash)
    .where('role', '=', 'customer')
    .execute();
  return rows.map((r) => Number(r.order_id));
}

/** Borrowers the marketplace names by its md5(mobile + ID) hash, newest order first. */
export async function findBorrowersByMatchHash(db: Db, md5Hash: string) {
  return db
    .selectFrom('loan_order_people')
    .select(['order_id', 'name', 'mobile_enc', 'id_card_enc', 'id_card_hash'])
    .where('md5_hash', '=', md5Hash)
    .where('role', '=', 'customer')
    .orderBy('order_id', 'desc')
    .limit(20)
    .execute();
}

/** Every order in which this ID number is the borrower: the marketplace check's history. */
export async function findOrdersOfBorrower(db: Db, idCardHash: string) {
  return db
    .selectFrom('loan_orders')
    .innerJoin('loan_order_people', 'loan_order_people.order_id', 'loan_orders.id')
    .select([
      'loan_orders.state',
      'loan_orders.is_bohui',
      'loan_orders.bad_record',
      'loan_orders.loan_limit',
      'loan_orders.created_at',
      'loan_orders.updated_at',
    ])
    .where('loan_order_people.id_card_hash', '=', idCardHash)
    .where('loan_order_people.role', '=', 'customer')
    .execute();
}

/** The borrower by full ID number (their newest order), for binding a card. */
export async function findBorrowerByIdCardHash(db: Db, idCardHash: string) {
  return db
    .selectFrom('loan_order_people')
    .select(['order_id', 'name', 'mobile_enc', 'id_card_hash'])
    .where('id_card_hash', '=', idCardHash)
    .where('role', '=', 'customer')
    .orderBy('order_id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
