import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

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
const sqlite = new SQLite(file, { fileMustExist: true });
sqlite.pragma('synchronous = NORMAL');
const checkpoint = sqlite.prepare<[], { log: number }>('PRAGMA wal_checkpoint(PASSIVE)');

let delay = busyIntervalMs;
let lastLogPages = -1;
function pass() {
  const { log } = checkpoint.get()!;
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
