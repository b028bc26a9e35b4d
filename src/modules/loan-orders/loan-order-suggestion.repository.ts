import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';

type Db = Kysely<Database>;

export async function insertSuggestion(
  db: Db,
  row: {
    order_id: number;
    suggest_type: number;
    content: string;
    staff_id: number | null;
    created_at: number;
  },
): Promise<void> {
  await db.insertInto('loan_order_suggestions').values(row).execute();
}
