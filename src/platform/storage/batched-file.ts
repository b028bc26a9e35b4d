import fs from 'node:fs';

/**
 * A new file written in as few calls to the thread pool as it can be. Each call there costs the
 * serving thread more than the syscall itself: the pool thread it wakes takes a core, and where
 * cores are few that is often the serving thread's. So bytes are held until `batchBytes` of them
 * wait (or the file ends) and go down in one writev; the file is opened when its first bytes come,
 * and `end` flushes it to disk and closes it. A file up to `batchBytes` long costs four calls:
 * open, writev, fsync, close.
 */
export class BatchedFile {
  private handle: Promise<fs.promises.FileHandle> | undefined;
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** The write under way, if any: one at a time, so that the bytes land in order. */
  private writing: Promise<void> = Promise.resolve();
  /** Why the open or a write failed, thrown by the next call rather than after the whole file. */
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly path: string,
    private readonly batchBytes: number,
  ) {}

  /** Takes the next bytes; waits only when a full batch must wait for the write before it. */
  async write(chunk: Buffer): Promise<void> {
    if (this.failure) throw this.failure.error;
    // Opened with the first bytes, while the rest of the file is still arriving.
    this.handle ??= this.watched(fs.promises.open(this.path, 'wx', 0o600));
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (this.heldBytes >= this.batchBytes) await this.flush();
  }

  /** Writes what is held, flushes the file to disk and closes it. */
  async end(): Promise<void> {
    await this.flush();
    await this.writing;
    const handle = await this.handle;
    if (!handle) throw new Error(`${this.path}: ended before any byte was written`);
    try {
      await handle.sync();
    } finally {
      // Closed whatever the sync said; discard may still remove it (closing again is no error).
      await handle.close();
    }
  }

  /** Closes and removes the file, whatever of it was written; nothing of it stays. */
  async discard(): Promise<void> {
    const opened = this.handle;
    if (!opened) return;
    await this.writing.catch(() => {});
    const handle = await opened.catch(() => undefined);
    if (!handle) return;
    await handle.close().catch(() => {});
    await fs.promises.rm(this.path, { force: true });
  }

  /** Sends what is held after the write before it (which it waits for, as back-pressure). */
  private async flush(): Promise<void> {
    const before = this.writing;
    if (this.heldBytes > 0) {
      const chunks = this.held;
      this.held = [];
      this.heldBytes = 0;
      // Chained at once, not after an await: writes asked for back to back still land in order.
      const handle = this.handle!;
      this.writing = this.watched(before.then(async () => writeAll(await handle, chunks)));
    }
    await before;
  }

  /** `work`, whose failure the next call throws (and which meanwhile counts as handled). */
  private watched<T>(work: Promise<T>): Promise<T> {
    work.catch((error: unknown) => {
      this.failure ??= { error };
    });
    return work;
  }
}

/** writev until every byte is down: a regular file may take fewer bytes than asked (a full disk says why next). */
async function writeAll(handle: fs.promises.FileHandle, chunks: Buffer[]): Promise<void> {
  let rest = chunks;
  while (rest.length > 0) {
    let { bytesWritten } = await handle.writev(rest);
    if (bytesWritten === 0) throw new Error('the file took no bytes');
    const left: Buffer[] = [];
    for (const chunk of rest) {
      if (bytesWritten >= chunk.length) bytesWritten -= chunk.length;
      else {
        left.push(chunk.subarray(bytesWritten));
        bytesWritten = 0;
      }
    }
    rest = left;
  }
}
