import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { plainSqliteError } from './sqlite-worker-error.js';

export interface CheckpointerSetup {
  file: string;
  /** Between passes while writes arrive; a resting database is looked at ever less often. */
  busyIntervalMs: number;
  idleIntervalMs: number;
}

// A second connection to the serving database whose only job is copying the write-ahead log
// into the database file (and waiting for its fsyncs), so that work leaves the serving thread.
// PASSIVE never waits for the serving connection's readers or writer; whatever it could not
// copy, the next pass does.
const { file, busyIntervalMs, idleIntervalMs } = workerData as CheckpointerSetup;

function openConnection() {
  try {
    const connection = new SQLite(file, { fileMustExist: true });
    connection.pragma('synchronous = NORMAL');
    // Reading the schema can meet a migration's lock; the checkpoint itself never waits (PASSIVE).
    connection.pragma('busy_timeout = 1000');
    return {
      sqlite: connection,
      checkpoint: connection.prepare<[], { log: number }>('PRAGMA wal_checkpoint(PASSIVE)'),
    };
  } catch (error) {
    throw plainSqliteError(error);
  }
}

const { sqlite, checkpoint } = openConnection();

let delay = busyIntervalMs;
let lastLogPages = -1;
// A failing pass ends the worker rather than retrying: the parent hears of it and the writer's
// own checkpoint, SQLite's default, takes over — slower commits, never a log left to grow.
function pass() {
  let log: number;
  try {
    log = checkpoint.get()!.log;
  } catch (error) {
    throw plainSqliteError(error);
  }
  delay = log === lastLogPages ? Math.min(delay * 2, idleIntervalMs) : busyIntervalMs;
  lastLogPages = log;
  timer = setTimeout(pass, delay);
}
let timer = setTimeout(pass, delay);

parentPort!.once('message', () => {
  clearTimeout(timer);
  sqlite.close();
  parentPort!.close();
});
