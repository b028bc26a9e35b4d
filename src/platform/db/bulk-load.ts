import { type Kysely, sql } from 'kysely';
import type { Db } from './database.js';

interface IndexDefinition {
  name: string;
  definition: string;
}

/**
 * Runs a bulk load with the tables' secondary indexes dropped, then builds them again: one
 * sorted build per index is several times cheaper than a million scattered B-tree inserts.
 * Unique and primary-key indexes stay, so constraints hold throughout. The indexes are rebuilt
 * even when the load fails.
 */
export async function withIndexesDeferred<T, DB>(
  db: Db<DB>,
  tables: readonly string[],
  load: () => Promise<T>,
): Promise<T> {
  const indexes = await secondaryIndexes(db, tables);
  for (const index of indexes) await sql`DROP INDEX ${sql.id(index.name)}`.execute(db.kysely);
  try {
    return await load();
  } finally {
    for (const index of indexes) await sql.raw(index.definition).execute(db.kysely);
  }
}

async function secondaryIndexes<DB>(db: Db<DB>, tables: readonly string[]): Promise<IndexDefinition[]> {
  // Both catalogs hold the exact CREATE INDEX statement of each index.
  const k = db.kysely as unknown as Kysely<Record<string, Record<string, string>>>;
  if (db.dialect === 'sqlite') {
    const rows = await sql<{ name: string; sql: string }>`
      SELECT name, sql FROM sqlite_master
      WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'
        AND tbl_name IN (${sql.join(tables)})`.execute(k);
    return rows.rows.map((r) => ({ name: r.name, definition: r.sql }));
  }
  const rows = await sql<{ indexname: string; indexdef: string }>`
    SELECT i.indexname, i.indexdef FROM pg_indexes i
    JOIN pg_class c ON c.relname = i.indexname
    JOIN pg_index x ON x.indexrelid = c.oid
    WHERE i.schemaname = current_schema() AND i.tablename IN (${sql.join(tables)})
      AND NOT x.indisunique AND NOT x.indisprimary`.execute(k);
  return rows.rows.map((r) => ({ name: r.indexname, definition: r.indexdef }));
}
