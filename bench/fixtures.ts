import { randomBytes } from 'node:crypto';
import type { Config } from '../src/config.js';
import { createStaff, login } from '../src/modules/staff/index.js';
import { openDatabase } from '../src/platform/db/database.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';
import type { Pii } from '../src/platform/pii.js';
import { loadSyntheticOrders } from '../src/seed/synthetic-orders.js';
import { databaseVersion } from './bench-database.js';

/** What the scenarios need from a seeded database. */
export interface Fixtures {
  /** Bearer token of a staff member with the 面签 role. */
  token: string;
  /** Borrowers' mobiles (plain) of orders on the 面签 desk. */
  mobiles: string[];
  /** Orders on the 面签 desk. */
  detailIds: string[];
  /** Orders open at the 面签 stage, which save_customer_info accepts. */
  saveIds: string[];
  seedSeconds: number;
  databaseVersion: string;
}

const MOBILES = 200;
const DETAIL_IDS = 1000;
const SAVE_IDS = 1000;

/**
 * Migrates and seeds the database through the module functions (the bulk seeding path of
 * `fangtong seed`), creates one 面签 account and logs it in, then samples real rows spread over
 * the whole table so the load does not hit one row or only the newest ones.
 */
export async function prepareFixtures(
  config: Config,
  pii: Pii,
  options: { orders: number; label: string },
): Promise<Fixtures> {
  const db = openDatabase(config.databaseUrl);
  try {
    await migrateToLatest(db.kysely, db.dialect);
    const seedSeconds = await seed(options.orders, options.label, (onProgress) =>
      loadSyntheticOrders(db, pii, { orders: options.orders, until: Date.now(), onProgress }),
    );

    const username = 'bench-mianqian';
    const password = randomBytes(12).toString('base64url');
    await createStaff(db.kysely, { username, password, roles: ['mianqian'] }, Date.now(), 'bench');
    const { token } = await login(db.kysely, { username, password }, Date.now(), config.sessionTtlMs);

    const onDesk = await db.kysely
      .selectFrom('loan_orders')
      .select(['id', 'son_order_id'])
      .where('desk', '=', 'mianqian')
      .orderBy('id')
      .execute();
    const openAtStage = await db.kysely
      .selectFrom('loan_orders')
      .select('son_order_id')
      .where('stage', '=', 'mianqian')
      .where('state', '=', 'open')
      .orderBy('id')
      .execute();
    const mobileOrders = spread(onDesk, MOBILES).map((o) => Number(o.id));
    const people =
      mobileOrders.length === 0
        ? []
        : await db.kysely
            .selectFrom('loan_order_people')
            .select('mobile_enc')
            .where('role', '=', 'customer')
            .where('order_id', 'in', mobileOrders)
            .execute();
    const fixtures: Fixtures = {
      token,
      mobiles: [...new Set(people.map((p) => pii.decrypt(p.mobile_enc)))],
      detailIds: spread(onDesk, DETAIL_IDS).map((o) => o.son_order_id),
      saveIds: spread(openAtStage, SAVE_IDS).map((o) => o.son_order_id),
      seedSeconds,
      databaseVersion: await databaseVersion(db),
    };
    for (const [what, list] of Object.entries({
      mobiles: fixtures.mobiles,
      detailIds: fixtures.detailIds,
      saveIds: fixtures.saveIds,
    })) {
      if (list.length === 0) throw new Error(`the seeded database has no rows for ${what}: seed more orders`);
    }
    return fixtures;
  } finally {
    await db.close();
  }
}

/** Runs the seeding with a progress line on stderr; answers its duration in seconds. */
async function seed(
  orders: number,
  label: string,
  load: (onProgress: (done: number) => void) => Promise<void>,
): Promise<number> {
  const started = performance.now();
  const elapsed = () => ((performance.now() - started) / 1000).toFixed(1);
  const tty = process.stderr.isTTY;
  let lastTenth = -1;
  await load((done) => {
    const line = `[${label}] seeding ${done.toLocaleString('en')}/${orders.toLocaleString('en')} orders (${Math.floor((done * 100) / orders)} %) ${elapsed()} s`;
    const tenth = Math.floor((done * 10) / orders);
    if (tty) process.stderr.write(`\r${line}`);
    else if (tenth !== lastTenth) process.stderr.write(`${line}\n`);
    lastTenth = tenth;
    if (done === orders) process.stderr.write(`${tty ? '\n' : ''}[${label}] rebuilding indexes, ANALYZE…\n`);
  });
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(`[${label}] seeded ${orders.toLocaleString('en')} orders in ${elapsed()} s\n`);
  return seconds;
}

/** Up to `count` items evenly spaced over the list, first to last. */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)]!);
}
