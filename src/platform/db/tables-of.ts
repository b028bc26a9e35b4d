import type { Kysely } from 'kysely';

/**
 * A handle on any database that holds the tables `T`, seen as holding only those. Platform code
 * is typed over the tables it owns, not over the application's schema: the constraint on the
 * caller's side (`DB extends T`) is what makes the narrowing sound, since Kysely's handle type is
 * invariant in its schema and cannot be widened or narrowed by assignment.
 */
export function tablesOf<T>() {
  return <DB extends T>(db: Kysely<DB>): Kysely<T> => db as unknown as Kysely<T>;
}
