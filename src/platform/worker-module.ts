import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts the worker module `name` that sits beside the module at `besideUrl` (pass
 * `import.meta.url`), whether the app runs compiled (`.js`) or from source (`.ts`).
 * Run from source, Node 20 does not carry tsx's loader into workers, so the worker registers it
 * before loading its module.
 */
export function startModuleWorker(besideUrl: string, name: string, workerData: unknown): Worker {
  const here = fileURLToPath(besideUrl);
  const file = path.join(path.dirname(here), `${name}${path.extname(here)}`);
  if (!file.endsWith('.ts')) return new Worker(file, { workerData });
  const load = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); })`;
  return new Worker(load, { eval: true, workerData });
}

/**
 * Asks a worker started unref'd to finish (it closes what it holds on the message `stop`) and
 * waits until it has. A failure while stopping has gone to its `error` listener already; closing
 * goes on regardless.
 */
export async function stopModuleWorker(worker: Worker): Promise<void> {
  if (worker.threadId === -1) return;
  const exited = once(worker, 'exit');
  // Waiting for it is now the caller's business, so it must hold the process open.
  worker.ref();
  worker.postMessage('stop');
  await exited.catch(() => {});
}
