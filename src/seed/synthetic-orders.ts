import { type Kysely, sql } from 'kysely';
import type { Database, Db } from '../database.js';
import { rebuildDeskCounts } from '../modules/loan-orders/index.js';
import { withIndexesDeferred } from '../platform/db/bulk-load.js';
import type { Pii } from '../platform/pii.js';
import { startModuleWorker } from '../platform/worker-module.js';
import {
  type SyntheticAgent,
  type SyntheticBatch,
  SyntheticOrderGenerator,
} from './synthetic-order-generator.js';
import type { GeneratorReply, GeneratorRequest, GeneratorSetup } from './synthetic-orders.worker.js';

export interface SeedOptions {
  orders: number;
  seed?: number;
  /** The newest synthetic order is created before this moment (epoch ms). */
  until: number;
  onProgress?: (done: number) => void;
}

const DEFAULT_SEED = 20160226;
const SPAN_MS = 2 * 365 * 86_400_000;
// Rows per INSERT stay under both databases' bound-parameter limits (SQLite 32766, PostgreSQL 65535).
const BATCH = 400;
// Orders per transaction, and per batch the generator hands over.
const CHUNK = BATCH * 25;

/** Where the orders come from: made on this thread, or by a worker while this one inserts. */
interface OrderSource {
  agents(createdAt: number): Promise<SyntheticAgent[]>;
  batch(count: number, agentIds: number[]): Promise<SyntheticBatch>;
  close(): Promise<void>;
}

/**
 * Appends `orders` synthetic loan orders with their borrowers, in large batched transactions,
 * then recomputes the list counts. Deterministic for a seed; the timeline ends before `until` and
 * before any order already stored, so order numbers never collide.
 */
export async function seedSyntheticOrders(
  db: Kysely<Database>,
  pii: Pii,
  options: SeedOptions,
): Promise<void> {
  await insertSynthetic(db, options, (setup) => {
    const generator = new SyntheticOrderGenerator(pii, setup.seed, setup.start, setup.step);
    return {
      agents: async (createdAt) => generator.agents(createdAt),
      batch: async (count, agentIds) => generator.batch(count, agentIds),
      close: async () => {},
    };
  });
}

/**
 * The bulk form for `fangtong seed` and the benchmark. A worker thread makes and encrypts the
 * orders while this thread inserts them (about half the time each), secondary indexes are built
 * once after the load, and planner statistics refreshed — without them SQLite may walk the wrong
 * index for a combined filter. On SQLite the load skips syncs: synthetic data can be seeded again
 * if the machine dies mid-load.
 */
export async function loadSyntheticOrders(db: Db, masterKey: Buffer, options: SeedOptions): Promise<void> {
  const sqlite = db.dialect === 'sqlite';
  if (sqlite) {
    await sql`PRAGMA synchronous = OFF`.execute(db.kysely);
    await sql`PRAGMA cache_size = -1048576`.execute(db.kysely);
  }
  try {
    await withIndexesDeferred(db, BULK_TABLES, () =>
      insertSynthetic(db.kysely, options, (setup) => workerSource({ ...setup, masterKey })),
    );
    await sql`ANALYZE`.execute(db.kysely);
  } finally {
    if (sqlite) {
      await sql`PRAGMA synchronous = NORMAL`.execute(db.kysely);
      await sql`PRAGMA cache_size = -65536`.execute(db.kysely);
    }
  }
}

async function insertSynthetic(
  db: Kysely<Database>,
  options: SeedOptions,
  openSource: (setup: Omit<GeneratorSetup, 'masterKey'>) => OrderSource,
): Promise<void> {
  const oldest = await db
    .selectFrom('loan_orders')
    .select((eb) => eb.fn.min('created_at').as('t'))
    .executeTakeFirst();
  const end =
    Math.min(options.until, oldest?.t == null ? Number.POSITIVE_INFINITY : Number(oldest.t)) - 60_000;
  const start = end - SPAN_MS;
  const step = SPAN_MS / Math.max(options.orders, 1);
  const source = openSource({ seed: options.seed ?? DEFAULT_SEED, start, step });
  try {
    const agentIds = await insertAgents(db, await source.agents(start));
    let done = 0;
    let next = source.batch(Math.min(CHUNK, options.orders), agentIds);
    while (done < options.orders) {
      const chunk = await next;
      done += chunk.orders.length;
      // Ask for the next chunk before inserting this one, so the two overlap.
      if (done < options.orders) {
        next = source.batch(Math.min(CHUNK, options.orders - done), agentIds);
        // Should this chunk's insert fail, the next one is never awaited: its failure is not news.
        next.catch(() => {});
      }
      await insertChunk(db, chunk);
      options.onProgress?.(done);
    }
  } finally {
    await source.close();
  }
  await rebuildDeskCounts(db);
}

async function insertAgents(db: Kysely<Database>, agents: SyntheticAgent[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < agents.length; i += BATCH) {
    const inserted = await db
      .insertInto('agents')
      .values(agents.slice(i, i + BATCH))
      .returning('u_id')
      .execute();
    ids.push(...inserted.map((r) => Number(r.u_id)));
  }
  return ids;
}

async function insertChunk(db: Kysely<Database>, { orders, people, customers }: SyntheticBatch) {
  await db.transaction().execute(async (trx) => {
    for (let offset = 0; offset < orders.length; offset += BATCH) {
      const rows = orders.slice(offset, offset + BATCH);
      const ids = (await trx.insertInto('loan_orders').values(rows).returning('id').execute()).map((r) =>
        Number(r.id),
      );
      await trx
        .insertInto('loan_order_people')
        .values(ids.map((order_id, i) => ({ ...people[offset + i]!, order_id })))
        .execute();
      await trx
        .insertInto('loan_order_customers')
        .values(ids.map((order_id, i) => ({ ...customers[offset + i]!, order_id })))
        .execute();
    }
  });
}

/** The generator in a worker thread; its answers come back in the order they were asked for. */
function workerSource(setup: GeneratorSetup): OrderSource {
  const worker = startModuleWorker(import.meta.url, 'synthetic-orders.worker', setup);
  const pending: Array<{ resolve: (value: never) => void; reject: (error: Error) => void }> = [];
  const failAll = (error: Error) => {
    for (const waiter of pending.splice(0)) waiter.reject(error);
  };
  worker.on('message', (reply: GeneratorReply) => {
    const waiter = pending.shift();
    if (reply.ok) waiter?.resolve(reply.result as never);
    else waiter?.reject(new Error(reply.message));
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`order generator stopped (exit ${code})`)));
  const ask = <T>(request: GeneratorRequest) =>
    new Promise<T>((resolve, reject) => {
      pending.push({ resolve: resolve as (value: never) => void, reject });
      worker.postMessage(request);
    });
  return {
    agents: (createdAt) => ask({ kind: 'agents', createdAt }),
    batch: (count, agentIds) => ask({ kind: 'batch', count, agentIds }),
    close: async () => {
      await worker.terminate();
    },
  };
}

const BULK_TABLES = ['loan_orders', 'loan_order_people', 'loan_order_customers'];
