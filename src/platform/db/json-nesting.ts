import { type Kysely, PostgresAdapter } from 'kysely';
import * as postgres from 'kysely/helpers/postgres';
import * as sqlite from 'kysely/helpers/sqlite';

/**
 * Related rows nested into one row as JSON, so a page that shows an order with its people and
 * notes is one statement: one round trip, and one snapshot on both databases without a
 * transaction. Kysely writes the SQL for each dialect; the query is written once.
 */
export function jsonNesting<DB>(db: Kysely<DB>) {
  const helpers = db.getExecutor().adapter instanceof PostgresAdapter ? postgres : sqlite;
  return { jsonArrayFrom: helpers.jsonArrayFrom, jsonObjectFrom: helpers.jsonObjectFrom };
}

/** A nested value as the driver gave it: SQLite answers JSON text, PostgreSQL parsed JSON. */
export function unnest<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}
