import { type Compilable, type CompiledQuery, createQueryId, type Kysely } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

// A value no caller can pass: it marks where the i-th argument goes while the query compiles.
const SLOT = '\u0000fangtong-slot:';

export interface PreparedQuery<A extends readonly unknown[], R> {
  all(db: Db, ...args: A): Promise<R[]>;
  first(db: Db, ...args: A): Promise<R | undefined>;
}

/**
 * A hot read whose shape is fixed and whose values vary, built and compiled by Kysely once per
 * dialect (so each gets its own SQL) and then run with fresh values, on the database or in any
 * transaction of it.
 * Building and compiling a query costs about what SQLite needs to answer a key lookup, and
 * the detail page runs six of them.
 *
 * `build` receives stand-ins for the arguments and must use each one as a plain value.
 */
export function preparedQuery<A extends readonly unknown[], R>(
  arity: A['length'],
  build: (db: Db, ...args: A) => Compilable<R>,
): PreparedQuery<A, R> {
  // Keyed by the dialect adapter, which a database handle shares with all its transactions.
  const compiled = new WeakMap<object, { query: CompiledQuery<R>; slots: number[] }>();

  function compile(db: Db) {
    const standIns = Array.from({ length: arity }, (_, i) => `${SLOT}${i}`) as unknown as A;
    const query = build(db, ...standIns).compile();
    // For each compiled parameter: the argument it takes, or -1 for a constant of the query.
    const slots = query.parameters.map((p) =>
      typeof p === 'string' && p.startsWith(SLOT) ? Number(p.slice(SLOT.length)) : -1,
    );
    for (let i = 0; i < arity; i++) {
      if (!slots.includes(i)) throw new Error(`prepared query: argument ${i} is not used as a value`);
    }
    return { query, slots };
  }

  async function all(db: Db, ...args: A): Promise<R[]> {
    const adapter = db.getExecutor().adapter;
    let entry = compiled.get(adapter);
    if (!entry) {
      entry = compile(db);
      compiled.set(adapter, entry);
    }
    const { query, slots } = entry;
    const parameters = slots.map((slot, i) => (slot < 0 ? query.parameters[i] : args[slot]));
    const result = await db.executeQuery<R>({ ...query, queryId: createQueryId(), parameters });
    return result.rows;
  }

  return {
    all,
    first: async (db, ...args) => (await all(db, ...args))[0],
  };
}
