import { type Compilable, type CompiledQuery, createQueryId, type Kysely } from 'kysely';
import { nameStatement } from './named-statements.js';

// A value no caller can pass: it marks where an argument goes while the query compiles.
const SLOT = '\u0000fangtong-slot:';

export interface PreparedQuery<DB, A extends readonly unknown[], R> {
  all(db: Kysely<DB>, ...args: A): Promise<R[]>;
  first(db: Kysely<DB>, ...args: A): Promise<R | undefined>;
  /** For a write: how many rows it changed. */
  run(db: Kysely<DB>, ...args: A): Promise<number>;
}

/**
 * A query whose shape is fixed and whose values vary, built and compiled by Kysely once per
 * dialect (so each gets its own SQL) and then run with fresh values, on the database or in any
 * transaction of it.
 * Building and compiling a query costs about what SQLite needs to answer a key lookup (an
 * upsert of a dozen columns: 17 µs), and a fresh SQL string must be hashed again to find its
 * prepared statement.
 *
 * `build` receives stand-ins for the arguments and must use each one as a plain value.
 */
function preparedQuery<DB, A extends readonly unknown[], R>(
  arity: A['length'],
  build: (db: Kysely<DB>, ...args: A) => Compilable<R>,
): PreparedQuery<DB, A, R> {
  const positions = Array.from({ length: arity }, (_, i) => i);
  const compiled = compileOnce<DB, R>(positions, (db, standIn) =>
    build(db, ...(positions.map(standIn) as never)),
  );
  return runner(compiled, (args: A) => args as { readonly [position: number]: unknown });
}

/**
 * The same for a statement that takes a whole row: `columns` names every field of `P` (the
 * compiler checks none is missing, so none can be dropped silently), and `build` receives a row
 * of stand-ins.
 */
function preparedRowStatement<DB, P extends object>(
  columns: Record<keyof P & string, true>,
  build: (db: Kysely<DB>, row: P) => Compilable<unknown>,
): Pick<PreparedQuery<DB, [row: P], unknown>, 'run'> {
  const keys = Object.keys(columns);
  const compiled = compileOnce<DB, unknown>(keys, (db, standIn) =>
    build(db, Object.fromEntries(keys.map((key) => [key, standIn(key)])) as P),
  );
  const { run } = runner(compiled, ([row]: [P]) => {
    // A missing value would be bound as NULL and, in an upsert, erase what the row held.
    for (const key of keys) {
      if ((row as Record<string, unknown>)[key] === undefined)
        throw new Error(`prepared row: ${key} is undefined`);
    }
    return row as Record<string, unknown>;
  });
  return { run };
}

interface Compiled<R> {
  query: CompiledQuery<R>;
  /** For each compiled parameter: the argument it takes, or undefined for a constant of the query. */
  slots: Array<string | number | undefined>;
}

function compileOnce<DB, R>(
  keys: ReadonlyArray<string | number>,
  build: (db: Kysely<DB>, standIn: (key: string | number) => unknown) => Compilable<R>,
): (db: Kysely<DB>) => Compiled<R> {
  // Keyed by the dialect adapter, which a database handle shares with all its transactions.
  const byAdapter = new WeakMap<object, Compiled<R>>();
  return (db) => {
    const executor = db.getExecutor();
    // Plugins (withSchema, withPlugin) change the SQL but not the adapter, so such a handle
    // would silently run whatever SQL another handle compiled first.
    if (executor.plugins.length > 0)
      throw new Error('prepared query: handles with Kysely plugins are not supported');
    const adapter = executor.adapter;
    let entry = byAdapter.get(adapter);
    if (!entry) {
      const marks = new Map(keys.map((key) => [`${SLOT}${key}`, key]));
      const query = build(db, (key) => `${SLOT}${key}`).compile();
      const slots = query.parameters.map((p) => (typeof p === 'string' ? marks.get(p) : undefined));
      for (const key of keys) {
        if (!slots.includes(key)) throw new Error(`prepared query: argument ${key} is not used as a value`);
      }
      entry = { query, slots };
      byAdapter.set(adapter, entry);
      // PostgreSQL plans it once per connection instead of on every run (named-statements.ts).
      nameStatement(query.sql);
    }
    return entry;
  };
}

function runner<DB, A extends readonly unknown[], R>(
  compiled: (db: Kysely<DB>) => Compiled<R>,
  source: (args: A) => { readonly [key: string | number]: unknown },
): PreparedQuery<DB, A, R> {
  async function execute(db: Kysely<DB>, args: A) {
    const { query, slots } = compiled(db);
    const values = source(args);
    const parameters = slots.map((slot, i) => (slot === undefined ? query.parameters[i] : values[slot]));
    return db.executeQuery<R>({ ...query, queryId: createQueryId(), parameters });
  }
  return {
    all: async (db, ...args) => (await execute(db, args)).rows,
    first: async (db, ...args) => (await execute(db, args)).rows[0],
    run: async (db, ...args) => Number((await execute(db, args)).numAffectedRows ?? 0),
  };
}

/**
 * `preparedQuery` and `preparedRowStatement` for the schema `DB`, so a repository's `build`
 * receives a handle typed over the application's tables without naming them each time.
 */
export function preparedQueriesOver<DB>() {
  return {
    preparedQuery: <A extends readonly unknown[], R>(
      arity: A['length'],
      build: (db: Kysely<DB>, ...args: A) => Compilable<R>,
    ) => preparedQuery<DB, A, R>(arity, build),
    preparedRowStatement: <P extends object>(
      columns: Record<keyof P & string, true>,
      build: (db: Kysely<DB>, row: P) => Compilable<unknown>,
    ) => preparedRowStatement<DB, P>(columns, build),
  };
}
