import { maskMobile } from '../core/mobile.js';
import type { SeedContext } from './seed-context.js';

/** The spec's park (pmParkId in its examples). */
export const DEMO_PARK_ID = '1463714771961';
export const DEMO_PARKING_PHONE = '15245263262';
export const DEMO_PARKING_PLATE = '京A12345';
/** The openId the demo user is bound to: `/parking/oauth/authorize?open_id=sandbox-demo-openid` is them. */
export const DEMO_PARKING_OPEN_ID = 'sandbox-demo-openid';
// The spec's own example ids, so its examples and the docs' curl lines work against the demo.
export const DEMO_PARKING_USER_ID = 'b5ae3fed8f35419ab3e6c9521e631354';
export const DEMO_PARKING_CARD_ID = '0027f8615ca143a4967b98ee7dad1026';
export const DEMO_PARKING_PRODUCT_ID = 'c933aabd0057483c8f0dc8da65c781b4';
export const DEMO_PARKING_VERSION_ID = '1245aabd0057483c8f0dc8da65c781b4';

const DAY = 86_400_000;

/** First-level orgs with their second level: 文学院(111)/中文系(111001) as the spec's example. */
const ORGS: ReadonlyArray<{ name: string; code: string; children: ReadonlyArray<[string, string]> }> = [
  {
    name: '文学院',
    code: '111',
    children: [
      ['中文系', '111001'],
      ['历史系', '111002'],
    ],
  },
  {
    name: '计算机学院',
    code: '112',
    children: [
      ['软件工程系', '112001'],
      ['网络工程系', '112002'],
    ],
  },
  { name: '机关部处', code: '113', children: [] },
];

/** The spec's extra items, in its order: code, name, type (1 picture), required. */
const EXTRAS: ReadonlyArray<[string, string, '0' | '1', number]> = [
  ['0', '驾驶证', '1', 1],
  ['1', '行驶证1', '1', 1],
  ['2', '在职证明', '1', 1],
  ['3', '工作证', '1', 0],
  ['4', '结婚证', '1', 0],
  ['5', '身份证', '1', 0],
  ['6', '行驶证2', '1', 0],
];

const hexId = (prefix: string, i: number) => `${prefix}${String(i).padStart(32 - prefix.length, '0')}`;

/**
 * The parking demo (family 5): park 1463714771961 北京理工大学停车场 with its org tree and extra
 * items, the monthly product 包月 (review before pay; 校内 150.00 / 校外 300.00 元), and 用户1
 * (15245263262, plate 京A12345 registered at the park office, channel 3) with a card valid for
 * 30 more days, bound to the openId sandbox-demo-openid. Seeded only when the park is missing.
 */
export async function seedParkingDemoIfEmpty(ctx: SeedContext): Promise<boolean> {
  const { db, pii } = ctx;
  const existing = await db
    .selectFrom('parking_parks')
    .select('id')
    .where('id', '=', DEMO_PARK_ID)
    .executeTakeFirst();
  if (existing) return false;
  const now = ctx.clock.now();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('parking_parks')
      .values({ id: DEMO_PARK_ID, name: '北京理工大学停车场', created_at: now })
      .execute();
    let n = 0;
    for (const [i, org] of ORGS.entries()) {
      n += 1;
      await trx
        .insertInto('parking_orgs')
        .values({
          id: hexId('0a', n),
          park_id: DEMO_PARK_ID,
          name: org.name,
          org_code: org.code,
          level_code: org.code,
          parent_level_code: null,
          level: 1,
          is_leaf: org.children.length ? 1 : 0,
          is_used: 0,
          seq: i,
        })
        .execute();
      for (const [j, [name, code]] of org.children.entries()) {
        n += 1;
        await trx
          .insertInto('parking_orgs')
          .values({
            id: hexId('0a', n),
            park_id: DEMO_PARK_ID,
            name,
            org_code: code,
            level_code: code,
            parent_level_code: org.code,
            level: 2,
            is_leaf: 0,
            is_used: 0,
            seq: j,
          })
          .execute();
      }
    }
    for (const [i, [code, name, type, required]] of EXTRAS.entries()) {
      await trx
        .insertInto('parking_extras')
        .values({ id: hexId('0e', i + 1), park_id: DEMO_PARK_ID, name, code, type, seq: i, required })
        .execute();
    }
    await trx
      .insertInto('parking_products')
      .values({
        id: DEMO_PARKING_PRODUCT_ID,
        park_id: DEMO_PARK_ID,
        name: '包月',
        unit_type: '4',
        unit_count: 1,
        rent_type: '1',
        card_type: '3',
        audit_before_pay: 1,
        active: 1,
        created_at: now - 60 * DAY,
      })
      .execute();
    await trx
      .insertInto('parking_product_versions')
      .values({
        id: DEMO_PARKING_VERSION_ID,
        product_id: DEMO_PARKING_PRODUCT_ID,
        inside_price_fen: 15_000,
        outside_price_fen: 30_000,
        created_at: now - 60 * DAY,
      })
      .execute();
    await trx
      .insertInto('parking_users')
      .values({
        id: DEMO_PARKING_USER_ID,
        park_id: DEMO_PARK_ID,
        name: '用户1',
        phone_enc: pii.encrypt(DEMO_PARKING_PHONE),
        phone_hash: pii.blindIndex(DEMO_PARKING_PHONE, 'mobile'),
        phone_masked: maskMobile(DEMO_PARKING_PHONE),
        code: '001',
        duplicate_code: '20071230',
        department: '111001',
        first_org_name: '文学院',
        first_org_code: '111',
        second_org_name: '中文系',
        second_org_code: '111001',
        address: '北京',
        created_at: now - 30 * DAY,
        updated_at: now - 30 * DAY,
      })
      .execute();
    await trx
      .insertInto('parking_plates')
      .values({
        park_id: DEMO_PARK_ID,
        user_id: DEMO_PARKING_USER_ID,
        car_num: DEMO_PARKING_PLATE,
        channel: '3',
        created_at: now - 30 * DAY,
      })
      .execute();
    await trx
      .insertInto('parking_cards')
      .values({
        id: DEMO_PARKING_CARD_ID,
        park_id: DEMO_PARK_ID,
        user_id: DEMO_PARKING_USER_ID,
        product_id: DEMO_PARKING_PRODUCT_ID,
        product_v_id: DEMO_PARKING_VERSION_ID,
        card_type: '3',
        state: 1,
        start_dt: now - 30 * DAY,
        end_dt: now + 30 * DAY,
        renew_end_dt: null,
        last_order_id: null,
        remark: '',
        created_at: now - 30 * DAY,
        updated_at: now - 30 * DAY,
        reminded_end_dt: null,
      })
      .execute();
    await trx
      .insertInto('parking_openids')
      .values({ open_id: DEMO_PARKING_OPEN_ID, user_id: DEMO_PARKING_USER_ID, bound_at: now - 30 * DAY })
      .execute();
  });
  return true;
}
