import { type Kysely, sql } from 'kysely';
import { formatShanghaiDateTime } from '../core/time.js';
import {
  CITIES,
  type City,
  DISTRICTS,
  HOUSE_TYPES,
  PRODUCTS,
  rebuildDeskCounts,
  STAGES,
  type Stage,
} from '../modules/loan-orders/index.js';
import { withDesk } from '../modules/loan-orders/loan-order-state.js';
import { withIndexesDeferred } from '../platform/db/bulk-load.js';
import type { Db } from '../platform/db/database.js';
import type { Database } from '../platform/db/schema.js';
import type { Pii } from '../platform/pii.js';
import { sealMobile, sealPerson } from '../platform/pii-fields.js';
import { SeededRandom } from './random.js';
import { syntheticIdCard, syntheticMobile, syntheticName } from './synthetic-people.js';

export interface SeedOptions {
  orders: number;
  seed?: number;
  /** The newest synthetic order is created before this moment (epoch ms). */
  until: number;
  onProgress?: (done: number) => void;
}

const SPAN_MS = 2 * 365 * 86_400_000;
const AGENTS = 2000;
// Rows per INSERT stay under both databases' bound-parameter limits (SQLite 32766, PostgreSQL 65535).
const BATCH = 400;
const STREETS = [
  '建国路',
  '朝阳北路',
  '中关村大街',
  '望京西路',
  '南京西路',
  '淮海中路',
  '世纪大道',
  '漕溪北路',
  '长安街',
  '金融街',
];

/** Weighted positions: most orders are in flight, some finished, some stopped. */
const POSITIONS: Array<[number, Stage | 'approved' | 'stopped']> = [
  [15, 'kefu'],
  [15, 'mianshen'],
  [20, 'mianqian'],
  [14, 'quanzheng'],
  [10, 'shencha'],
  [9, 'zhongshen'],
  [9, 'approved'],
  [8, 'stopped'],
];
const WEIGHT = POSITIONS.reduce((sum, [w]) => sum + w, 0);

function pickPosition(rng: SeededRandom) {
  let roll = rng.next() * WEIGHT;
  for (const [w, position] of POSITIONS) {
    roll -= w;
    if (roll < 0) return position;
  }
  return 'kefu' as const;
}

/**
 * Appends `orders` realistic loan orders (both cities, every stage, some 驳回) with their
 * borrower, in large batched transactions, then recomputes the list counts. Deterministic for
 * a seed. Order numbers stay unique: the timeline ends before `until` and before any order
 * already stored, and a minute never gets more than 999 orders.
 */
export async function seedSyntheticOrders(
  db: Kysely<Database>,
  pii: Pii,
  options: SeedOptions,
): Promise<void> {
  const rng = new SeededRandom(options.seed ?? 20160226);
  const oldest = await db
    .selectFrom('loan_orders')
    .select((eb) => eb.fn.min('created_at').as('t'))
    .executeTakeFirst();
  const end =
    Math.min(options.until, oldest?.t == null ? Number.POSITIVE_INFINITY : Number(oldest.t)) - 60_000;
  const start = end - SPAN_MS;
  const step = SPAN_MS / Math.max(options.orders, 1);

  const agentIds = await insertAgents(db, pii, rng, start);
  let minute = '';
  let sequence = 0;
  let done = 0;
  while (done < options.orders) {
    const size = Math.min(BATCH * 25, options.orders - done);
    await db.transaction().execute(async (trx) => {
      for (let offset = 0; offset < size; offset += BATCH) {
        const orders = [];
        const people = [];
        const customers = [];
        const count = Math.min(BATCH, size - offset);
        for (let i = 0; i < count; i++) {
          const index = done + offset + i;
          const createdAt = Math.floor(start + index * step + rng.next() * step * 0.5);
          const stamp = formatShanghaiDateTime(createdAt);
          const thisMinute =
            stamp.slice(2, 4) +
            stamp.slice(5, 7) +
            stamp.slice(8, 10) +
            stamp.slice(11, 13) +
            stamp.slice(14, 16);
          sequence = thisMinute === minute ? sequence + 1 : 1;
          minute = thisMinute;
          if (sequence > 999) throw new Error('more than 999 orders in one minute: seed fewer orders');
          const built = buildOrder(
            rng,
            pii,
            agentIds,
            `${minute}${String(sequence).padStart(3, '0')}`,
            createdAt,
          );
          orders.push(built.order);
          people.push(built.person);
          customers.push(built.customer);
        }
        const ids = await trx.insertInto('loan_orders').values(orders).returning('id').execute();
        await trx
          .insertInto('loan_order_people')
          .values(people.map((p, i) => ({ ...p, order_id: Number(ids[i]!.id) })))
          .execute();
        await trx
          .insertInto('loan_order_customers')
          .values(customers.map((c, i) => ({ ...c, order_id: Number(ids[i]!.id) })))
          .execute();
      }
    });
    done += size;
    options.onProgress?.(done);
  }
  await rebuildDeskCounts(db);
}

/**
 * The bulk form for `fangtong seed` and the benchmark: secondary indexes rebuilt once after the
 * load, then fresh planner statistics — without them SQLite may walk the wrong index for a
 * combined filter.
 */
export async function loadSyntheticOrders(db: Db, pii: Pii, options: SeedOptions): Promise<void> {
  await withIndexesDeferred(db, BULK_TABLES, () => seedSyntheticOrders(db.kysely, pii, options));
  await sql`ANALYZE`.execute(db.kysely);
}

const BULK_TABLES = ['loan_orders', 'loan_order_people', 'loan_order_customers'];

async function insertAgents(
  db: Kysely<Database>,
  pii: Pii,
  rng: SeededRandom,
  createdAt: number,
): Promise<number[]> {
  const rows = Array.from({ length: AGENTS }, () => {
    const mobile = syntheticMobile(rng);
    return {
      realname: syntheticName(rng),
      ...sealMobile(pii, mobile),
      created_at: createdAt,
    };
  });
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += BATCH) {
    const inserted = await db
      .insertInto('agents')
      .values(rows.slice(i, i + BATCH))
      .returning('u_id')
      .execute();
    ids.push(...inserted.map((r) => Number(r.u_id)));
  }
  return ids;
}

function buildOrder(rng: SeededRandom, pii: Pii, agentIds: number[], sonOrderId: string, createdAt: number) {
  const city: City = rng.chance(0.55) ? CITIES[0] : CITIES[1];
  const products = PRODUCTS.filter((p) => p.city === city);
  const product = rng.pick(products);
  const position = pickPosition(rng);
  const stage: Stage =
    position === 'approved' ? 'zhongshen' : position === 'stopped' ? rng.pick(STAGES) : position;
  const state = position === 'approved' ? 'approved' : position === 'stopped' ? 'stopped' : 'open';
  const laterStages = STAGES.slice(STAGES.indexOf(stage) + 1);
  const bohuiStage =
    state === 'open' && laterStages.length && rng.chance(0.12) ? rng.pick(laterStages) : null;
  const where = withDesk({ stage, state, bohui_stage: bohuiStage });
  const reached = (s: Stage) => STAGES.indexOf(stage) > STAGES.indexOf(s) || state === 'approved';
  const isAgency = rng.chance(0.8);
  const name = syntheticName(rng);
  const mobile = syntheticMobile(rng);
  const idCard = syntheticIdCard(rng, 1960, 2000);
  const houseTypes = Object.keys(HOUSE_TYPES[city]).map(Number);
  const mortgageType = rng.int(0, 5);
  const appointment = createdAt + rng.int(1, 72) * 3_600_000;
  const loanWan = rng.int(50, 2000);
  return {
    order: {
      son_order_id: sonOrderId,
      order_type: isAgency ? 0 : 1,
      city,
      stage: where.stage,
      state: where.state,
      desk: where.desk,
      is_bohui: where.is_bohui,
      bohui_stage: where.bohui_stage,
      agent_id: isAgency ? rng.pick(agentIds) : null,
      customer_name: name,
      appointment_time: appointment,
      face_trial_time: reached('mianshen') ? appointment + 86_400_000 : null,
      mianqian_opt_time: reached('mianqian') ? appointment + 2 * 86_400_000 : null,
      loan_money: loanWan * 1_000_000,
      loan_limit: rng.pick([1, 2, 3, 4, 5, 6, 12]),
      production_no: product.id,
      yueding_lilv: product.type === 0 ? rng.int(80, 200) * 100 : null,
      service_fee: product.type === 1 ? rng.int(100, 500) * 100 : null,
      house_cert_no: `${city === '北京市' ? '京' : '沪'}房权证${rng.digits(8)}号`,
      house_city: rng.pick(DISTRICTS[city]),
      house_address: `${rng.pick(STREETS)}${rng.int(1, 300)}号${rng.int(1, 30)}号楼${rng.int(101, 2805)}室`,
      house_type: rng.pick(houseTypes),
      guihuayongtu: rng.pick(houseTypes),
      house_size: rng.int(3000, 30000),
      built_in: rng.int(1985, 2020),
      mortgage_type: mortgageType,
      before_one_arrived: mortgageType >= 2 ? rng.int(20, 500) * 1_000_000 : null,
      before_two_arrived: mortgageType >= 4 ? rng.int(10, 200) * 1_000_000 : null,
      pg_money_shilian: (loanWan * 2 + rng.int(0, 500)) * 1_000_000,
      pg_money_renda: (loanWan * 2 + rng.int(0, 500)) * 1_000_000,
      created_at: createdAt,
      updated_at: createdAt,
    },
    person: {
      role: 'customer' as const,
      name,
      ...sealPerson(pii, mobile, idCard),
      domicile: city,
      unit: rng.pick(['个体经营', '某科技有限公司 经理', '某贸易公司 职员', '自由职业']),
      is_execute: 2,
      unit_is_execute: 2,
    },
    customer: {
      marital_tatus: 0,
      marry_date: null,
      lihun_date: null,
      month_income: rng.int(50, 800) * 10_000,
      address: `${city}${rng.pick(DISTRICTS[city])}${rng.pick(STREETS)}${rng.int(1, 300)}号`,
      second_address: null,
      emergency_contact: syntheticName(rng),
      emergency_mobile_enc: null,
      emergency_relationship: rng.pick(['朋友', '同事', '父母', '兄弟姐妹']),
      property2_owner: null,
      common_proportion: null,
      gongjie_status: 0,
      updated_at: createdAt,
    },
  };
}
