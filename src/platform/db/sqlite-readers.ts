import type { Worker } from 'node:worker_threads';
import { startModuleWorker, stopModuleWorker } from '../worker-module.js';
import type { ReaderSetup, ReadReply, ReadRequest } from './sqlite-read.worker.js';

interface Reader {
  worker: Worker;
  /** Reads sent and not yet answered. */
  pending: Map<number, { resolve(rows: unknown[]): void; reject(error: Error): void }>;
}

/** A reader thread failed before it answered: the read was not run, and may be run elsewhere. */
export class ReaderUnavailable extends Error {
  constructor(readonly reason: Error) {
    super(`SQLite reader unavailable: ${reason.message}`);
  }
}

/**
 * SQLite connections on worker threads answering the SELECTs run outside any transaction, so a
 * read's time in SQLite leaves the serving thread, which only sends it and takes its rows (a
 * parking read: 296 → 224 µs of CPU a request, 1.8× the requests a second; docs/benchmarks.md).
 * In WAL mode each reads the last committed state, as a PostgreSQL connection outside a
 * transaction does; a read no longer waits behind another request's open transaction.
 *
 * A reader that fails (it could not open the file, it died) hands back the reads it held as
 * ReaderUnavailable, and no reader takes more: from then on every read goes to the serving
 * connection (`usable`).
 */
export class SqliteReaders {
  readonly #readers: Reader[] = [];
  #sent = 0;
  #failed = false;
  #stopping = false;

  constructor(file: string, count: number, cacheKib: number, onError: (error: Error) => void) {
    const setup: ReaderSetup = { file, cacheKib };
    for (let i = 0; i < count; i++) {
      const reader: Reader = {
        worker: startModuleWorker(import.meta.url, 'sqlite-read.worker', setup),
        pending: new Map(),
      };
      reader.worker.on('message', (reply: ReadReply) => this.#answer(reader, reply));
      let failed = false;
      const fail = (error: Error) => {
        if (this.#stopping || failed) return;
        failed = true;
        this.#failed = true;
        for (const { reject } of reader.pending.values()) reject(new ReaderUnavailable(error));
        reader.pending.clear();
        onError(error);
      };
      reader.worker.on('error', fail);
      reader.worker.on('exit', (code) => fail(new Error(`SQLite reader thread exited (code ${code})`)));
      // Idle, it must not keep a finished process (a CLI command) alive; busy, it must.
      reader.worker.unref();
      this.#readers.push(reader);
    }
  }

  /** Whether reads may go to the readers: none has failed, and they are not being stopped. */
  get usable(): boolean {
    return !this.#failed && !this.#stopping;
  }

  /** The rows of a SELECT, from the reader with the fewest reads waiting. */
  all(sql: string, parameters: readonly unknown[]): Promise<unknown[]> {
    if (!this.usable)
      return Promise.reject(new ReaderUnavailable(new Error('the readers are stopped or failed')));
    this.#sent += 1;
    const id = this.#sent;
    let reader = this.#readers[id % this.#readers.length]!;
    for (const other of this.#readers) if (other.pending.size < reader.pending.size) reader = other;
    return new Promise((resolve, reject) => {
      if (reader.pending.size === 0) reader.worker.ref();
      reader.pending.set(id, { resolve, reject });
      const request: ReadRequest = { id, sql, parameters };
      reader.worker.postMessage(request);
    });
  }

  #answer(reader: Reader, reply: ReadReply): void {
    const pending = reader.pending.get(reply.id);
    if (!pending) return;
    reader.pending.delete(reply.id);
    if (reader.pending.size === 0) reader.worker.unref();
    if ('error' in reply) {
      pending.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
      return;
    }
    // Structured cloning delivers a BLOB's Buffer as a plain Uint8Array; the worker says when
    // there is one, so the common reply is not walked.
    if (reply.blobs) for (const row of reply.rows) asBuffers(row as Record<string, unknown>);
    pending.resolve(reply.rows);
  }

  /** Ends the threads once their reads are answered. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await Promise.all(this.#readers.map(({ worker }) => stopModuleWorker(worker)));
  }
}

function asBuffers(row: Record<string, unknown>): void {
  for (const [column, value] of Object.entries(row)) {
    if (value instanceof Uint8Array && !Buffer.isBuffer(value))
      row[column] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
}
