import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { SqliteDialectWithRowLocks } from './sqlite-row-locks.js';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: Dialect;
  close(): Promise<void>;
}

// int8 (COUNT(*), bigint columns) arrives as a string from pg; every int8 we store (epoch ms,
// fen) is far below 2^53, so a number is exact and keeps both dialects returning the same type.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

export function dialectOf(url: string): Dialect {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgres';
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got ${url.split(':')[0]}:)`);
}

export interface OpenOptions {
  /** PostgreSQL connections in the pool. */
  poolSize?: number;
  /** Trouble away from any request: a dropped idle connection, a failed background checkpoint. */
  onBackgroundError?: (error: Error) => void;
  /** SQLite: copy the write-ahead log into the database file from a worker thread (a server). */
  backgroundCheckpoints?: boolean;
}

// SQLite's own default: the writer checkpoints once the log holds this many pages.
const WRITER_CHECKPOINT_PAGES = 1000;
// With a worker checkpointing, the writer's checkpoint is only the backstop that lets a log that
// never stops growing start over (the worker never catches up with a writer that never pauses).
const BACKSTOP_CHECKPOINT_PAGES = 10_000;

export function openDatabase(url: string, opts: OpenOptions = {}): Db {
  const dialect = dialectOf(url);
  if (dialect === 'sqlite') {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the
    // last transactions, which is the usual trade for an embedded default.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // 64 MiB of page cache instead of the 2 MiB default: the list indexes of a million orders
    // stay hot, and bulk loads stop thrashing.
    sqlite.pragma('cache_size = -65536');
    // Refreshes planner statistics that are missing or stale, as SQLite advises at connect time.
    sqlite.pragma('optimize = 0x10002');
    const kysely = new Kysely<Database>({
      dialect: new SqliteDialectWithRowLocks({ database: withStatementCache(sqlite) }),
    });
    let checkpointer: WalCheckpointer | undefined;
    if (opts.backgroundCheckpoints && file !== ':memory:') {
      checkpointer = startWalCheckpointer(file, (error) => {
        // Without the worker the writer takes the whole job back, as often as SQLite would.
        if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
        opts.onBackgroundError?.(error);
      });
      sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
    }
    return {
      kysely,
      dialect,
      async close() {
        // The worker's connection goes first, so the last one to close can fold the log away.
        try {
          await checkpointer?.stop();
        } finally {
          await kysely.destroy();
        }
      },
    };
  }
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10 });
  // An idle connection the server closes (restart, failover) must not take the process down;
  // the pool drops it and the next query opens a new one.
  pool.on('error', (error) => opts.onBackgroundError?.(error));
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { kysely, dialect, close: () => kysely.destroy() };
}

/** Unique-constraint violations look different in each driver; callers only need the yes/no. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/**
 * Kysely prepares every query afresh, and preparing is a third of a simple request's cost in
 * SQLite. Statements are reused by their SQL text instead (queries are parameterised, so the
 * texts are few). Safe because Kysely runs one query at a time on the connection and never
 * leaves an iterator open across queries.
 */
function withStatementCache(sqlite: SQLite.Database, capacity = 1000) {
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
