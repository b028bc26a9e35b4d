import { rebuildDeskCounts, sealPerson } from '../modules/loan-orders/index.js';
import { withDesk } from '../modules/loan-orders/loan-order-state.js';
import { createStaff, STAFF_ROLES } from '../modules/staff/index.js';
import { sealMobile } from '../platform/pii-fields.js';
import { seedEscrowDemoIfEmpty } from './demo-escrow.js';
import { seedRentalDemoIfEmpty } from './demo-rental.js';
import type { SeedContext } from './seed-context.js';
import { seedSyntheticOrders } from './synthetic-orders.js';

export const DEMO_ORDER_ID = '1602261137470';
export const DEMO_PASSWORD = 'demo123';
const DEMO_ORDERS = 240;

/** Beijing wall-clock time as epoch ms. */
const beijing = (text: string) => Date.parse(`${text.replace(' ', 'T')}+08:00`);

/**
 * Fills an empty database with the demo dataset: one account per role (`demo-<role>`, password
 * demo123), the spec's example order 1602261137470 at 面签 with every section filled, and a few
 * hundred more orders over both cities and all stages. A database with any data is left alone.
 */
export async function seedDemoIfEmpty(ctx: SeedContext & { publicBaseUrl: string }): Promise<boolean> {
  await seedRentalDemoIfEmpty(ctx);
  await seedEscrowDemoIfEmpty(ctx);
  const { db, pii } = ctx;
  const existing = await db.selectFrom('staff').select('id').limit(1).executeTakeFirst();
  const anyOrder = await db.selectFrom('loan_orders').select('id').limit(1).executeTakeFirst();
  if (existing || anyOrder) return false;
  const now = ctx.clock.now();
  for (const role of STAFF_ROLES) {
    await createStaff(
      db,
      { username: `demo-${role}`, password: DEMO_PASSWORD, roles: [role] },
      now,
      'system:demo',
    );
  }
  // The synthetic orders first, so they fill the recent past and the spec's order comes last.
  await seedSyntheticOrders(db, pii, { orders: DEMO_ORDERS, seed: 7, until: now });
  await insertDemoOrder(ctx);
  await rebuildDeskCounts(db);
  return true;
}

async function insertDemoOrder({ db, pii }: SeedContext): Promise<void> {
  const created = beijing('2016-02-26 11:37:20');
  await db.transaction().execute(async (trx) => {
    const agent = await trx
      .insertInto('agents')
      .values({
        realname: '迟兴旺',
        ...sealMobile(pii, '13911112222'),
        created_at: created,
      })
      .returning('u_id')
      .executeTakeFirstOrThrow();
    const where = withDesk({ stage: 'mianqian', state: 'open', bohui_stage: null });
    const order = await trx
      .insertInto('loan_orders')
      .values({
        son_order_id: DEMO_ORDER_ID,
        order_type: 0,
        city: '北京市',
        ...where,
        agent_id: Number(agent.u_id),
        customer_name: '张三',
        appointment_time: beijing('2016-02-27 10:00:00'),
        face_trial_time: beijing('2016-02-27 15:02:51'),
        mianqian_opt_time: null,
        loan_money: 300_000_000,
        loan_limit: 6,
        production_no: 2,
        yueding_lilv: 12_500,
        service_fee: null,
        house_cert_no: '京房权证朝字第0123456号',
        house_city: '朝阳区',
        house_address: '建国路88号院3号楼1单元1201室',
        house_type: 1,
        guihuayongtu: 1,
        house_size: 12_850,
        built_in: 2005,
        mortgage_type: 2,
        before_one_arrived: 800_000_000,
        before_two_arrived: null,
        pg_money_shilian: 1_200_000_000,
        pg_money_renda: 1_180_000_000,
        created_at: created,
        updated_at: created,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const orderId = Number(order.id);
    const person = (
      role: 'customer' | 'spouse' | 'coborrower',
      name: string,
      mobile: string,
      idCard: string,
      unit: string,
    ) => ({
      order_id: orderId,
      role,
      name,
      ...sealPerson(pii, mobile, idCard),
      domicile: '北京市朝阳区',
      unit,
      is_execute: 2,
      unit_is_execute: 2,
    });
    await trx
      .insertInto('loan_order_people')
      .values([
        person('customer', '张三', '13800138000', '11010519491231002X', '北京某科技有限公司 总经理'),
        person('spouse', '李梅', '13900139000', '110105195203150021', '北京某医院 医生'),
        person('coborrower', '张小明', '13700137000', '110105197806120031', '北京某设计院 工程师'),
      ])
      .execute();
    await trx
      .insertInto('loan_order_customers')
      .values({
        order_id: orderId,
        marital_tatus: 1,
        marry_date: '1975-05-01',
        lihun_date: null,
        month_income: 5_000_000,
        address: '北京市朝阳区建国路88号院3号楼1单元1201室',
        second_address: '北京市海淀区中关村大街27号',
        emergency_contact: '王五',
        emergency_mobile_enc: pii.encrypt('13600136000'),
        emergency_relationship: '朋友',
        property2_owner: '李梅',
        common_proportion: '50%',
        gongjie_status: 1,
        updated_at: created,
      })
      .execute();
    await trx
      .insertInto('loan_order_suggestions')
      .values([
        {
          order_id: orderId,
          suggest_type: 0,
          content: '客户资料齐全，已预约面审',
          staff_id: null,
          created_at: beijing('2016-02-26 14:00:00'),
        },
        {
          order_id: orderId,
          suggest_type: 1,
          content: '面审通过，房产情况属实',
          staff_id: null,
          created_at: beijing('2016-02-27 15:02:51'),
        },
      ])
      .execute();
    await trx
      .insertInto('loan_order_pictures')
      .values(
        [11, 11, 12, 13, 21, 23].map((hpc_id, i) => ({
          order_id: orderId,
          hpc_id,
          file_name: `demo/${DEMO_ORDER_ID}/${i + 1}.jpg`,
          created_at: created,
        })),
      )
      .execute();
  });
}
