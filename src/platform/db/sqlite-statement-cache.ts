import type SQLite from 'better-sqlite3';

/**
 * Kysely prepares every query afresh, and preparing is a third of a simple request's cost in
 * SQLite. Statements are reused by their SQL text instead (queries are parameterised, so the
 * texts are few). Safe because each connection runs one query at a time and leaves no iterator
 * open across queries: Kysely on the serving connection, the loop of a reader thread on its own.
 */
export function withStatementCache(sqlite: SQLite.Database, capacity = 1000) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SQLite.Statement {
      let statement = cache.get(sql);
      if (statement) {
        // Most recently used last, so the first key is the one to evict.
        cache.delete(sql);
      } else {
        statement = sqlite.prepare(sql);
        if (cache.size >= capacity) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}
