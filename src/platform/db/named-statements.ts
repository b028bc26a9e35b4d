import type pg from 'pg';

/**
 * PostgreSQL parses and plans an unnamed statement on every execution, and Kysely sends every
 * query unnamed. For the fixed-shape queries (`preparedQuery`) that planning is most of the cost:
 * a parking user's view, a dozen nested subqueries, took 1.7 ms to plan and 0.5 ms to run. Their
 * SQL texts are registered here once; the pool's connections send a registered text as a named
 * prepared statement, parsed and planned once per connection. Only registered texts are named,
 * so a connection holds as many prepared statements as the code has fixed shapes, never one per
 * ad-hoc query.
 */
const names = new Map<string, string>();

export function nameStatement(sql: string): void {
  if (!names.has(sql)) names.set(sql, `fangtong_${names.size + 1}`);
}

type Query = (...args: unknown[]) => unknown;
const named = new WeakSet<pg.PoolClient>();

/** The pool, its connections sending the registered texts by name. */
export function withNamedStatements(
  pool: Pick<pg.Pool, 'connect' | 'end'>,
): Pick<pg.Pool, 'connect' | 'end'> {
  return {
    async connect() {
      const client = await pool.connect();
      // A pooled connection comes back on every checkout: its query is wrapped once.
      if (!named.has(client)) {
        named.add(client);
        const query = client.query.bind(client) as Query;
        (client as unknown as { query: Query }).query = (text, values, ...rest) => {
          const name = typeof text === 'string' && Array.isArray(values) ? names.get(text) : undefined;
          return name ? query({ name, text, values }) : query(text, values, ...rest);
        };
      }
      return client;
    },
    end: () => pool.end(),
  } as Pick<pg.Pool, 'connect' | 'end'>;
}
