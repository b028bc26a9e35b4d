import { formatShanghaiDateTime } from '../core/time.js';
import {
  CITIES,
  type City,
  DISTRICTS,
  HOUSE_TYPES,
  PRODUCTS,
  STAGES,
  type Stage,
  sealPerson,
} from '../modules/loan-orders/index.js';
import { withDesk } from '../modules/loan-orders/loan-order-state.js';
import type { Pii } from '../platform/pii.js';
import { sealMobile } from '../platform/pii-fields.js';
import { SeededRandom } from './random.js';
import { syntheticIdCard, syntheticMobile, syntheticName } from './synthetic-people.js';

const SYNTHETIC_AGENTS = 2000;

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

export type SyntheticAgent = ReturnType<SyntheticOrderGenerator['agents']>[number];
export type SyntheticBatch = ReturnType<SyntheticOrderGenerator['batch']>;

/**
 * Realistic loan orders (both cities, every stage, some 驳回) with their borrower and agent,
 * made without a database so a worker thread can make them while another inserts. The same
 * seed and timeline give the same orders. Order numbers stay unique: a minute never gets more
 * than 999 orders.
 */
export class SyntheticOrderGenerator {
  private readonly rng: SeededRandom;
  private index = 0;
  private minute = '';
  private sequence = 0;

  /** Order `i` is created at about `start + i * step`. */
  constructor(
    private readonly pii: Pii,
    seed: number,
    private readonly start: number,
    private readonly step: number,
  ) {
    this.rng = new SeededRandom(seed);
  }

  agents(createdAt: number) {
    return Array.from({ length: SYNTHETIC_AGENTS }, () => ({
      realname: syntheticName(this.rng),
      ...sealMobile(this.pii, syntheticMobile(this.rng)),
      created_at: createdAt,
    }));
  }

  /** The next `count` orders, each with its borrower and customer details (no ids yet). */
  batch(count: number, agentIds: readonly number[]) {
    const orders = [];
    const people = [];
    const customers = [];
    for (let i = 0; i < count; i++, this.index++) {
      const createdAt = Math.floor(this.start + this.index * this.step + this.rng.next() * this.step * 0.5);
      const stamp = formatShanghaiDateTime(createdAt);
      const thisMinute =
        stamp.slice(2, 4) +
        stamp.slice(5, 7) +
        stamp.slice(8, 10) +
        stamp.slice(11, 13) +
        stamp.slice(14, 16);
      this.sequence = thisMinute === this.minute ? this.sequence + 1 : 1;
      this.minute = thisMinute;
      if (this.sequence > 999) throw new Error('more than 999 orders in one minute: seed fewer orders');
      const built = buildOrder(
        this.rng,
        this.pii,
        agentIds,
        `${thisMinute}${String(this.sequence).padStart(3, '0')}`,
        createdAt,
      );
      orders.push(built.order);
      people.push(built.person);
      customers.push(built.customer);
    }
    return { orders, people, customers };
  }
}

function buildOrder(
  rng: SeededRandom,
  pii: Pii,
  agentIds: readonly number[],
  sonOrderId: string,
  createdAt: number,
) {
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
