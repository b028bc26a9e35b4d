import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { withStatementCache } from './sqlite-statement-cache.js';
import { describedSqliteError, plainSqliteError } from './sqlite-worker-error.js';

export interface ReaderSetup {
  file: string;
  /** SQLite's page cache of this connection, in KiB (as `cache_size = -N`). */
  cacheKib: number;
}

/** A read the serving thread hands over: a SELECT and its parameters. */
export interface ReadRequest {
  id: number;
  sql: string;
  parameters: readonly unknown[];
}

export type ReadReply =
  /** `blobs`: some value is a BLOB (a Buffer, which arrives as a Uint8Array). */
  { id: number; rows: unknown[]; blobs: boolean } | { id: number; error: { message: string; code?: string } };

// A connection of its own to the serving database, for SELECTs run outside any transaction: in
// WAL mode it reads the last committed state while the serving connection writes.
const { file, cacheKib } = workerData as ReaderSetup;

function openConnection(): SQLite.Database {
  try {
    const connection = new SQLite(file, { fileMustExist: true, readonly: true });
    connection.pragma('busy_timeout = 5000');
    connection.pragma(`cache_size = -${cacheKib}`);
    return connection;
  } catch (error) {
    throw plainSqliteError(error);
  }
}

const sqlite = withStatementCache(openConnection());

// Structured cloning turns a Buffer into a Uint8Array; better-sqlite3 binds only Buffers as BLOBs.
const bindable = (value: unknown) =>
  value instanceof Uint8Array && !Buffer.isBuffer(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    : value;

parentPort!.on('message', (message: ReadRequest | 'stop') => {
  if (message === 'stop') {
    sqlite.close();
    parentPort!.close();
    return;
  }
  let reply: ReadReply;
  try {
    const rows = sqlite.prepare(message.sql).all(message.parameters.map(bindable)) as Array<
      Record<string, unknown>
    >;
    reply = { id: message.id, rows, blobs: rows.some((row) => Object.values(row).some(Buffer.isBuffer)) };
  } catch (error) {
    reply = { id: message.id, error: describedSqliteError(error) };
  }
  parentPort!.postMessage(reply);
});
