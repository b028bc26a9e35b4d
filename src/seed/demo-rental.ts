import { findOrCreateTenant, giveDeposit } from '../modules/tenants/index.js';
import type { SeedContext } from './seed-context.js';

export const DEMO_ENTRUST_ID = 3;
export const DEMO_TENANT_MOBILE = '13800000001';
/** 500 元 the platform already holds for the demo tenant (a paid booking), in fen. */
export const DEMO_TENANT_DEPOSIT = 50_000;

/** The spec's example entrust (id 3, 树海 …) as its facility object, verbatim. */
const SPEC_FACILITY = {
  p_r: 1,
  area: 34,
  cost: [
    { card: '123456', cost: 0, name: '水', initial: 100, is_settle: 0 },
    { card: '123456', cost: 0, name: '电', initial: 200, is_settle: 0 },
    { card: '123456', cost: 0, name: '气', initial: 90, is_settle: 0 },
  ],
  empty: 34,
  p_r_n: '123456',
  deduct: 50000,
  facility: [{ cd: '完好', id: 2, num: 1, name: '洗衣机' }],
  net_cost: [
    { cost: 0, name: '物管费', is_settle: 0 },
    { cost: 10000, name: '网费', is_settle: 1 },
  ],
  bank_name: '中国人民银行',
  lock_cost: 12000,
  long_rent: 0,
  short_rent: 40000,
  manage_type: 1,
  delivery_time: '1511798400',
};

/**
 * The rental demo: a store and its agent, three entrusted houses (the third is the spec's
 * example), payment modes, rooms, and a tenant with a deposit already held. Seeded only into
 * a database without entrusts.
 */
export async function seedRentalDemoIfEmpty(ctx: SeedContext): Promise<boolean> {
  const { db } = ctx;
  if (await db.selectFrom('entrusts').select('id').limit(1).executeTakeFirst()) return false;
  const now = ctx.clock.now();
  await db.transaction().execute(async (trx) => {
    const store = await trx
      .insertInto('rental_stores')
      .values({ title: '内光华门店', manager_name: '王大锤', manager_phone: '15181474781' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const agent = await trx
      .insertInto('rental_agents')
      .values({ store_id: Number(store.id), name: '测试账号袁', phone: '13725554033' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const modes = await trx
      .insertInto('pay_modes')
      .values([
        { name: '全付(押一)', is_all_pay: 0, rent_months: 0, bet_months: 1 },
        { name: '押一付一', is_all_pay: 1, rent_months: 1, bet_months: 1 },
        { name: '押一付三', is_all_pay: 1, rent_months: 3, bet_months: 1 },
      ])
      .returning('id')
      .execute();
    const [allPay, oneOne, oneThree] = modes.map((m) => Number(m.id)) as [number, number, number];
    const entrust = (
      h_address: string,
      community: string,
      pay_mode_id: number,
      monthly_rent: number,
      booking_fee: number,
    ) => ({
      h_address,
      community,
      h_floor: '9楼/9层',
      unit: '9栋9单元9号',
      is_settle: 0,
      water: '100',
      electric: '200',
      gas: '90',
      s_phone: '13725554033',
      facility: JSON.stringify(SPEC_FACILITY),
      other: '',
      agent_id: Number(agent.id),
      pay_mode_id,
      monthly_rent,
      booking_fee,
    });
    const entrusts = await trx
      .insertInto('entrusts')
      .values([
        entrust('光华大道一段88号', '光华中心', oneThree, 250_000, 50_000),
        entrust('蜀汉路12号(合租)', '蜀汉花园', oneOne, 120_000, 30_000),
        entrust('树海', '光华中心', allPay, 1, 1),
      ])
      .returning('id')
      .execute();
    await trx
      .insertInto('rooms')
      .values([
        { entrust_id: Number(entrusts[1]!.id), name: 'A室', monthly_rent: 90_000 },
        { entrust_id: Number(entrusts[1]!.id), name: 'B室', monthly_rent: 70_000 },
      ])
      .execute();
  });
  const tenantId = await findOrCreateTenant(ctx, DEMO_TENANT_MOBILE, now);
  // Held before any payment of the demo's: an opening balance, as migration 0012 gives existing ones.
  await db.transaction().execute((trx) =>
    giveDeposit(
      trx,
      tenantId,
      {
        key: `opening:tenant:${tenantId}`,
        amount: DEMO_TENANT_DEPOSIT,
        counterpart: 'opening',
        ledger: 'opening',
        subject: `tenant:${tenantId}`,
      },
      now,
    ),
  );
  return true;
}
