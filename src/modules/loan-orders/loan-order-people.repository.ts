import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { preparedQuery, preparedRowStatement } from '../../database.js';
import { updateFromExcluded } from '../../platform/db/update-from-excluded.js';
import type { LoanOrderCustomerTable, LoanOrderPersonTable, PersonRole } from './loan-order.table.js';

type Db = Kysely<Database>;

const PERSON_COLUMNS: Record<keyof LoanOrderPersonTable, true> = {
  order_id: true,
  role: true,
  name: true,
  mobile_enc: true,
  mobile_hash: true,
  mobile_masked: true,
  id_card_enc: true,
  id_card_hash: true,
  md5_hash: true,
  domicile: true,
  unit: true,
  is_execute: true,
  unit_is_execute: true,
};
const personUpsert = preparedRowStatement<LoanOrderPersonTable>(PERSON_COLUMNS, (db, row) =>
  db
    .insertInto('loan_order_people')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['order_id', 'role']).doUpdateSet(updateFromExcluded(PERSON_COLUMNS, ['order_id', 'role'])),
    ),
);

export async function upsertPerson(db: Db, row: LoanOrderPersonTable): Promise<void> {
  await personUpsert.run(db, row);
}

// The person is matched on its key and identity hashes; the rest is what a re-save may change.
const PERSON_DETAIL_COLUMNS = {
  order_id: true,
  role: true,
  mobile_hash: true,
  id_card_hash: true,
  name: true,
  domicile: true,
  unit: true,
  is_execute: true,
  unit_is_execute: true,
} as const satisfies Partial<typeof PERSON_COLUMNS>;
/** What a re-save of an unchanged person (same mobile, same ID number) names. */
export type PersonDetails = Pick<LoanOrderPersonTable, keyof typeof PERSON_DETAIL_COLUMNS>;
// Leaving the sealed columns out of the SET spares their three hash indexes a rewrite, and the
// ID number and mobile a fresh encryption, when a clerk saves the same person again.
const personDetailsUpdate = preparedRowStatement<PersonDetails>(PERSON_DETAIL_COLUMNS, (db, row) => {
  const { order_id, role, mobile_hash, id_card_hash, ...details } = row;
  return db
    .updateTable('loan_order_people')
    .set(details)
    .where('order_id', '=', order_id)
    .where('role', '=', role)
    .where('mobile_hash', '=', mobile_hash)
    .where('id_card_hash', '=', id_card_hash);
});

/**
 * Updates the person's other details if the order already holds this role with this mobile and
 * ID number; answers whether it did (otherwise the caller seals and upserts the whole person).
 */
export async function updatePersonDetailsIfSameIdentity(db: Db, row: PersonDetails): Promise<boolean> {
  return (await personDetailsUpdate.run(db, row)) === 1;
}

// Two roles at most go (the borrower stays); one to remove is named twice.
const peopleRemoval = preparedQuery(3, (db, orderId: number, role: PersonRole, alsoRole: PersonRole) =>
  db.deleteFrom('loan_order_people').where('order_id', '=', orderId).where('role', 'in', [role, alsoRole]),
);

/** Removes the order's spouse and/or co-borrower. */
export async function deletePeople(
  db: Db,
  orderId: number,
  roles: readonly Exclude<PersonRole, 'customer'>[],
): Promise<void> {
  const [role, alsoRole] = roles;
  if (role !== undefined) await peopleRemoval.run(db, orderId, role, alsoRole ?? role);
}

const CUSTOMER_COLUMNS: Record<keyof LoanOrderCustomerTable, true> = {
  order_id: true,
  marital_tatus: true,
  marry_date: true,
  lihun_date: true,
  month_income: true,
  address: true,
  second_address: true,
  emergency_contact: true,
  emergency_mobile_enc: true,
  emergency_relationship: true,
  property2_owner: true,
  common_proportion: true,
  gongjie_status: true,
  updated_at: true,
};
const customerUpsert = preparedRowStatement<LoanOrderCustomerTable>(CUSTOMER_COLUMNS, (db, row) =>
  db
    .insertInto('loan_order_customers')
    .values(row)
    .onConflict((oc) =>
      oc.column('order_id').doUpdateSet(updateFromExcluded(CUSTOMER_COLUMNS, ['order_id'])),
    ),
);

export async function upsertCustomer(db: Db, row: LoanOrderCustomerTable): Promise<void> {
  await customerUpsert.run(db, row);
}
