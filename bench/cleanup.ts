type Cleanup = () => Promise<void>;

const pending = new Set<Cleanup>();

/**
 * Registers a cleanup (drop a database, close a server) that also runs if the benchmark is
 * interrupted. Answers a function that runs it now, at most once.
 */
export function withCleanup(cleanup: Cleanup): Cleanup {
  let ran = false;
  const run = async () => {
    if (ran) return;
    ran = true;
    pending.delete(run);
    await cleanup();
  };
  pending.add(run);
  return run;
}

/** On Ctrl-C or SIGTERM: run the pending cleanups, newest first, then exit. */
export function cleanUpOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: cleaning up…\n`);
      void (async () => {
        for (const run of [...pending].reverse()) {
          await run().catch((error: unknown) => process.stderr.write(`cleanup failed: ${String(error)}\n`));
        }
        process.exit(130);
      })();
    });
  }
}
