import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import type pg from 'pg';
import { ConfigError, dialectOf } from '../../config.js';
import { withNamedStatements } from './named-statements.js';
import { SqliteReaders } from './sqlite-readers.js';
import { SqliteDialectWithRowLocks } from './sqlite-row-locks.js';
import { withStatementCache } from './sqlite-statement-cache.js';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.js';

export type Dialect = 'sqlite' | 'postgres';

/** An open database of schema `DB` (the application names its own; the platform knows none). */
export interface Db<DB> {
  readonly kysely: Kysely<DB>;
  readonly dialect: Dialect;
  close(): Promise<void>;
}

// int8 (COUNT(*), bigint columns) arrives as a string from pg; every int8 we store (epoch ms,
// fen) is far below 2^53, so a number is exact and keeps both dialects returning the same type.
//
// Each driver is loaded when its database is opened: a server only ever needs one of them, and
// loading pg took a tenth of a second of a SQLite server's start-up.
const require = createRequire(import.meta.url);
let postgresDriver: typeof pg | undefined;
function loadPg(): typeof pg {
  if (!postgresDriver) {
    postgresDriver = require('pg') as typeof pg;
    postgresDriver.types.setTypeParser(postgresDriver.types.builtins.INT8, (value) =>
      Number.parseInt(value, 10),
    );
  }
  return postgresDriver;
}

export interface OpenOptions {
  /** PostgreSQL connections in the pool. */
  poolSize?: number;
  /** SQLite's durability: `normal` (the default) survives a process crash, `full` a power loss. */
  synchronous?: 'normal' | 'full';
  /** Trouble away from any request: a dropped idle connection, a failed background checkpoint. */
  onBackgroundError?: (error: Error) => void;
  /** SQLite: copy the write-ahead log into the database file from a worker thread (a server). */
  backgroundCheckpoints?: boolean;
  /**
   * SQLite, for a server: its transactions take the write lock at BEGIN, and `readerThreads`
   * worker threads answer the SELECTs run outside a transaction (sqlite-driver.ts).
   */
  serving?: { readerThreads: number };
}

// 64 MiB of page cache for each connection.
const CACHE_KIB = 65_536;

// SQLite's own default: the writer checkpoints once the log holds this many pages.
const WRITER_CHECKPOINT_PAGES = 1000;
// With a worker checkpointing, the writer's checkpoint is only the backstop that lets a log that
// never stops growing start over (the worker never catches up with a writer that never pauses).
const BACKSTOP_CHECKPOINT_PAGES = 10_000;

export function openDatabase<DB>(url: string, opts: OpenOptions = {}): Db<DB> {
  const dialect = dialectOf(url);
  if (dialect === 'sqlite') {
    const file = url.slice('sqlite:'.length);
    const sqlite = openSqliteFile(file);
    // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the
    // last transactions. FULL (production) syncs the log at every commit.
    sqlite.pragma(`synchronous = ${opts.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // 64 MiB of page cache instead of the 2 MiB default: the list indexes of a million orders
    // stay hot, and bulk loads stop thrashing.
    sqlite.pragma(`cache_size = -${CACHE_KIB}`);
    // Refreshes planner statistics that are missing or stale, as SQLite advises at connect time.
    sqlite.pragma('optimize = 0x10002');
    const readerThreads = file === ':memory:' ? 0 : (opts.serving?.readerThreads ?? 0);
    const readers = readerThreads
      ? new SqliteReaders(file, readerThreads, CACHE_KIB, (error) => opts.onBackgroundError?.(error))
      : undefined;
    const kysely = new Kysely<DB>({
      dialect: new SqliteDialectWithRowLocks(
        { database: withStatementCache(sqlite) },
        opts.serving && { immediateTransactions: true, readers },
        () => sqlite.inTransaction,
      ),
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
  // A host that drops packets would otherwise hold a connect for the operating system's ~2 min.
  const pool = new (loadPg().Pool)({
    connectionString: url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
  });
  // An idle connection the server closes (restart, failover) must not take the process down;
  // the pool drops it and the next query opens a new one.
  pool.on('error', (error) => opts.onBackgroundError?.(error));
  const kysely = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: sayWhyUnreachable(withNamedStatements(pool), url) }),
  });
  return { kysely, dialect, close: () => kysely.destroy() };
}

/**
 * Opens the file and switches it to WAL, the first statement that reads it. A folder that does
 * not exist is refused rather than created: only FANGTONG_DATA_DIR is made on the operator's
 * behalf (by the command, before it opens the default database).
 */
function openSqliteFile(file: string): SQLite.Database {
  const where = path.resolve(file);
  if (file !== ':memory:') {
    const stat = fs.statSync(where, { throwIfNoEntry: false });
    if (stat?.isDirectory())
      throw new ConfigError(`DATABASE_URL: ${where} is a folder, not a SQLite database file`);
    if (!stat && !fs.statSync(path.dirname(where), { throwIfNoEntry: false })?.isDirectory()) {
      throw new ConfigError(
        `DATABASE_URL: the folder ${path.dirname(where)} of ${path.basename(where)} does not exist`,
      );
    }
  }
  let sqlite: SQLite.Database | undefined;
  try {
    const Driver = require('better-sqlite3') as typeof SQLite;
    sqlite = new Driver(file);
    sqlite.pragma('journal_mode = WAL');
    return sqlite;
  } catch (error) {
    sqlite?.close();
    throw new ConfigError(
      `DATABASE_URL: cannot open the SQLite database ${where}: ${(error as Error).message}`,
    );
  }
}

// What a failed first connection means to whoever has to fix it; the driver's own words otherwise.
const CONNECT_FAILURES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused (is PostgreSQL running there?)',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset by the server',
};

/**
 * Until one connection has succeeded, a failure to connect is a start-up problem (wrong host,
 * server down, bad password, no such database) and is said as one line naming the server.
 * Afterwards it is an outage and keeps the driver's own error.
 */
function sayWhyUnreachable(pool: Pick<pg.Pool, 'connect' | 'end'>, url: string): PostgresPool {
  let reached = false;
  return {
    async connect() {
      try {
        const client = await pool.connect();
        reached = true;
        return client;
      } catch (error) {
        if (reached) throw error;
        const { code, message } = error as NodeJS.ErrnoException;
        const why = (code && CONNECT_FAILURES[code]) || message || String(error);
        throw new ConfigError(
          `DATABASE_URL: cannot connect to PostgreSQL at ${postgresTarget(url)}: ${why}`,
          {
            cause: error,
          },
        );
      }
    },
    end: () => pool.end(),
  };
}

/** host:port/database of a PostgreSQL URL, without the user's password. */
function postgresTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'the address in DATABASE_URL (it is not a valid URL)';
  }
}

/** Unique-constraint violations look different in each driver; callers only need the yes/no. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
