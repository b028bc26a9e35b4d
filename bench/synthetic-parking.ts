import { createHash, randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { maskMobile } from '../src/core/mobile.js';
import { parsePlate } from '../src/core/plate.js';
import type { Db } from '../src/database.js';
import type { ParkingOrderTable } from '../src/modules/parking/parking.table.js';
import { sealExtraInfo } from '../src/modules/parking/parking-extra-info.js';
import { PARKING_SMS_PURPOSE } from '../src/modules/parking/parking-users.service.js';
import { SMS_CODE_TTL_MS } from '../src/modules/sms/sms-codes.service.js';
import { systemClock } from '../src/platform/clock.js';
import { withIndexesDeferred } from '../src/platform/db/bulk-load.js';
import type { Pii } from '../src/platform/pii.js';
import {
  DEMO_PARK_ID,
  DEMO_PARKING_PRODUCT_ID,
  DEMO_PARKING_VERSION_ID,
  seedParkingDemoIfEmpty,
} from '../src/seed/demo-parking.js';

const DAY = 86_400_000;
/** Users per transaction; each statement's rows stay under both databases' bound-parameter limits. */
const CHUNK = 5_000;
const MAX_PARAMS = 16_000;
const TABLES = [
  'parking_users',
  'parking_plates',
  'parking_cards',
  'parking_openids',
  'parking_orders',
  'parking_sessions',
];

/** The demo's orgs with a second level: a user belongs to one, an order names both levels. */
export const SYNTHETIC_ORGS: ReadonlyArray<{ first: [string, string]; second: [string, string] }> = [
  { first: ['文学院', '111'], second: ['中文系', '111001'] },
  { first: ['文学院', '111'], second: ['历史系', '111002'] },
  { first: ['计算机学院', '112'], second: ['软件工程系', '112001'] },
  { first: ['计算机学院', '112'], second: ['网络工程系', '112002'] },
];

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕';
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '霞',
  '平',
  '刚',
  '桂英',
  '建华',
  '文博',
  '子涵',
  '浩然',
  '雨桐',
  '思远',
  '晓东',
  '海燕',
  '志强',
  '玉兰',
];
/** GA 36's issuing letters and serial characters: no I or O. */
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const SERIAL = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

const hex32 = (text: string) => createHash('md5').update(`fangtong-bench-parking:${text}`).digest('hex');

/** What the benchmark knows of synthetic parking user `i`: everything is derived from the number. */
export interface SyntheticParkingUser {
  index: number;
  id: string;
  openId: string;
  name: string;
  phone: string;
  /** 京A, then a letter and 4 serial characters: distinct per user, never the demo's 京A12345. */
  plate: string;
  duplicateCode: string;
  org: (typeof SYNTHETIC_ORGS)[number];
  /** Card 0 valid with a paid last order; 1 past its end (every other one with an old paid order); 2 new. */
  cardIds: [string, string, string];
  /** Card 2 of every tenth user has an order waiting for review (01 / 02): it cannot be ordered again. */
  openOrderOnCard2: boolean;
}

export function syntheticParkingUser(i: number): SyntheticParkingUser {
  let serial = '';
  for (let n = Math.floor(i / LETTERS.length), k = 0; k < 4; k++, n = Math.floor(n / SERIAL.length)) {
    serial = SERIAL[n % SERIAL.length]! + serial;
  }
  return {
    index: i,
    id: hex32(`user:${i}`),
    // A WeChat openId is 28 characters.
    openId: `oBnch${hex32(`openid:${i}`).slice(0, 23)}`,
    name: SURNAMES[i % SURNAMES.length]! + GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]!,
    phone: `158${String(i).padStart(8, '0')}`,
    plate: `京A${LETTERS[i % LETTERS.length]}${serial}`,
    duplicateCode: `2${String(i).padStart(7, '0')}`,
    org: SYNTHETIC_ORGS[i % SYNTHETIC_ORGS.length]!,
    cardIds: [hex32(`card:${i}:0`), hex32(`card:${i}:1`), hex32(`card:${i}:2`)],
    openOrderOnCard2: i % 10 === 0,
  };
}

/** The user a synthetic plate belongs to (the inverse of syntheticParkingUser's plate). */
export function syntheticParkingUserOfPlate(plate: string): number {
  const letter = LETTERS.indexOf(plate[2]!);
  let n = 0;
  for (const c of plate.slice(3)) n = n * SERIAL.length + SERIAL.indexOf(c);
  return n * LETTERS.length + letter;
}

type AnyKysely = Kysely<Record<string, Record<string, unknown>>>;

/** Inserts rows in statements of at most MAX_PARAMS bound values. */
async function insertAll(
  k: AnyKysely,
  table: string,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  if (!rows.length) return;
  const per = Math.max(1, Math.floor(MAX_PARAMS / Object.keys(rows[0]!).length));
  for (let at = 0; at < rows.length; at += per) {
    await k
      .insertInto(table)
      .values(rows.slice(at, at + per) as never)
      .execute();
  }
}

/**
 * `count` parking users of the demo park (the demo seeded first, through its own seeder: park
 * 1463714771961, its org tree and extras, product 包月 with review before pay), each with one plate
 * (channel 3, registered at the park office), three cards of the demo product, and bound to their
 * own WeChat openId, as returning users are. Card 0 is valid with a paid last order; card 1 ended
 * days ago (every other one with an old paid order); card 2 is new, and every tenth user's card 2
 * has an order waiting for review. Each phone is sealed as the module seals it — AES-GCM
 * `phone_enc`, the keyed `phone_hash` call 1 looks the user up by, `phone_masked` — one seal per
 * user (cheaper than the load's SQL, so no template is copied); names, plates, phones and ids are
 * distinct per user and derived from its number (`syntheticParkingUser`). Seeded orders carry no
 * documents (no `parking_order_files`, `extra_info` `[]`) and their payments are not in the
 * payments module or the ledger: they are load for the user reads, not money. Every user gets a
 * live session too (mintParkingSessions), whose tokens are the answer, by user number. Set-based
 * INSERTs, 5,000 users a transaction, secondary indexes built once at the end, SQLite's sync off
 * meanwhile, then ANALYZE of the tables loaded.
 */
export async function loadSyntheticParking(
  db: Db,
  pii: Pii,
  count: number,
  onProgress: (done: number) => void,
): Promise<string[]> {
  const k = db.kysely;
  // Sealed as a placed order's are; one token serves every synthetic order (none has any item).
  const emptyExtraInfo = sealExtraInfo(pii, []);
  await seedParkingDemoIfEmpty({ db: k, pii, clock: systemClock });
  const probe = syntheticParkingUser(count - 1);
  if (count > 0 && parsePlate(probe.plate)?.plate !== probe.plate)
    throw new Error(`bad plate ${probe.plate}`);
  const now = Date.now();
  const sqlite = db.dialect === 'sqlite';
  if (sqlite) {
    await sql`PRAGMA synchronous = OFF`.execute(k);
    await sql`PRAGMA cache_size = -1048576`.execute(k);
  }
  try {
    const tokens = await withIndexesDeferred(db, TABLES, async () => {
      for (let done = 0; done < count; ) {
        const size = Math.min(CHUNK, count - done);
        const users: Record<string, unknown>[] = [];
        const plates: Record<string, unknown>[] = [];
        const cards: Record<string, unknown>[] = [];
        const openIds: Record<string, unknown>[] = [];
        const orders: Record<string, unknown>[] = [];
        for (let i = done; i < done + size; i++) {
          const u = syntheticParkingUser(i);
          const joined = now - (400 + (i % 700)) * DAY;
          users.push({
            id: u.id,
            park_id: DEMO_PARK_ID,
            name: u.name,
            phone_enc: pii.encrypt(u.phone),
            phone_hash: pii.blindIndex(u.phone, 'mobile'),
            phone_masked: maskMobile(u.phone),
            code: `P${String(i).padStart(6, '0')}`,
            duplicate_code: u.duplicateCode,
            department: u.org.second[1],
            first_org_name: u.org.first[0],
            first_org_code: u.org.first[1],
            second_org_name: u.org.second[0],
            second_org_code: u.org.second[1],
            address: '北京',
            created_at: joined,
            updated_at: joined,
          });
          plates.push({
            park_id: DEMO_PARK_ID,
            user_id: u.id,
            car_num: u.plate,
            channel: '3',
            created_at: joined,
          });
          openIds.push({ open_id: u.openId, user_id: u.id, bound_at: joined + DAY });

          const validEnd = now + (1 + (i % 60)) * DAY;
          const pastEnd = now - (1 + (i % 90)) * DAY;
          const order = (
            n: number,
            cardId: string,
            fields: Pick<
              ParkingOrderTable,
              'state' | 'audit_state' | 'start_dt' | 'end_dt' | 'order_type'
            > & {
              at: number;
            },
          ): string => {
            const id = hex32(`order:${i}:${n}`);
            const paid = fields.state === '03';
            const priceType = i % 3 === 0 ? '02' : '01';
            orders.push({
              id,
              park_id: DEMO_PARK_ID,
              card_id: cardId,
              user_id: u.id,
              product_id: DEMO_PARKING_PRODUCT_ID,
              product_v_id: DEMO_PARKING_VERSION_ID,
              product_name: '包月',
              price_type: priceType,
              unit_type: '4',
              count: 1,
              amount_fen: priceType === '02' ? 30_000 : 15_000,
              start_dt: fields.start_dt,
              end_dt: fields.end_dt,
              order_type: fields.order_type,
              state: fields.state,
              is_audit_before_pay: 1,
              audit_state: fields.audit_state,
              audit_reason: null,
              audited_by: paid ? 'demo-parking' : null,
              audited_at: paid ? fields.at + 3_600_000 : null,
              extra_info: emptyExtraInfo,
              first_org_name: u.org.first[0],
              first_org_code: u.org.first[1],
              second_org_name: u.org.second[0],
              second_org_code: u.org.second[1],
              user_department: u.org.second[1],
              duplicate_code: u.duplicateCode,
              out_trade_no: null,
              pay_suc_dt: paid ? fields.at + 7_200_000 : null,
              prev_end_dt: null,
              expires_at: fields.at + 300_000,
              created_at: fields.at,
              updated_at: paid ? fields.at + 7_200_000 : fields.at,
              version: paid ? 2 : 0,
            });
            return id;
          };
          const card = (n: number, fields: Record<string, unknown>) =>
            cards.push({
              id: u.cardIds[n],
              park_id: DEMO_PARK_ID,
              user_id: u.id,
              product_id: DEMO_PARKING_PRODUCT_ID,
              product_v_id: DEMO_PARKING_VERSION_ID,
              card_type: '3',
              renew_end_dt: null,
              remark: '',
              created_at: joined + n * 1000,
              version: 0,
              reminded_end_dt: null,
              ...fields,
            });
          card(0, {
            state: 1,
            start_dt: joined,
            end_dt: validEnd,
            last_order_id: order(0, u.cardIds[0], {
              state: '03',
              audit_state: '03',
              start_dt: validEnd - 30 * DAY,
              end_dt: validEnd,
              order_type: 1,
              at: validEnd - 31 * DAY,
            }),
            updated_at: validEnd - 31 * DAY,
          });
          card(1, {
            state: 1,
            start_dt: joined,
            end_dt: pastEnd,
            last_order_id:
              i % 2 === 0
                ? order(1, u.cardIds[1], {
                    state: '03',
                    audit_state: '03',
                    start_dt: pastEnd - 30 * DAY,
                    end_dt: pastEnd,
                    order_type: 0,
                    at: pastEnd - 31 * DAY,
                  })
                : null,
            updated_at: pastEnd - 31 * DAY,
          });
          card(2, {
            state: 0,
            start_dt: null,
            end_dt: null,
            last_order_id: u.openOrderOnCard2
              ? order(2, u.cardIds[2], {
                  state: '01',
                  audit_state: '02',
                  start_dt: now - DAY,
                  end_dt: now + 29 * DAY,
                  order_type: 0,
                  at: now - DAY,
                })
              : null,
            updated_at: u.openOrderOnCard2 ? now - DAY : joined,
          });
        }
        await (k as unknown as AnyKysely).transaction().execute(async (t) => {
          await insertAll(t, 'parking_users', users);
          await insertAll(t, 'parking_plates', plates);
          await insertAll(t, 'parking_cards', cards);
          await insertAll(t, 'parking_openids', openIds);
          await insertAll(t, 'parking_orders', orders);
        });
        done += size;
        onProgress(done);
      }
      return mintParkingSessions(db, count, now);
    });
    for (const table of TABLES) await sql`ANALYZE ${sql.table(table)}`.execute(k);
    return tokens;
  } finally {
    if (sqlite) {
      await sql`PRAGMA synchronous = NORMAL`.execute(k);
      await sql`PRAGMA cache_size = -65536`.execute(k);
    }
  }
}

/**
 * A live session (PARKING_SESSION_TTL's 7 days) for each of `count` synthetic users' openIds,
 * stored as the module's openParkingSession stores one (the sha256 of a random 32-byte token):
 * what a returning user's WeChat login left. Answers the tokens, by user number.
 */
export async function mintParkingSessions(db: Db, count: number, now: number): Promise<string[]> {
  const tokens: string[] = [];
  const rows: Record<string, unknown>[] = [];
  // One draw from the CSPRNG for all of them: a system call per token was most of the minting.
  const random = randomBytes(32 * count);
  for (let i = 0; i < count; i++) {
    const token = random.subarray(32 * i, 32 * (i + 1)).toString('base64url');
    tokens.push(token);
    rows.push({
      token_hash: createHash('sha256').update(token).digest('hex'),
      open_id: syntheticParkingUser(i).openId,
      expires_at: now + 7 * DAY,
      created_at: now,
    });
  }
  await insertAll(db.kysely as unknown as AnyKysely, 'parking_sessions', rows);
  return tokens;
}

/** The 6-digit code issued to synthetic user `i` by issueParkingCodes. */
export const syntheticParkingCode = (i: number): string =>
  String((i * 7919 + 104_729) % 1_000_000).padStart(6, '0');

/**
 * A fresh parking code for each of `count` synthetic users, stored as call 8 stores one (the keyed
 * hash of the code bound to phone and purpose, 5 minutes to live) but written straight to
 * `sms_codes`, past call 8's per-phone limits and the SMS provider: what a returning user has in
 * hand when the page asks them to prove their phone again.
 */
export async function issueParkingCodes(db: Db, pii: Pii, count: number, now: number): Promise<void> {
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const { phone } = syntheticParkingUser(i);
    rows.push({
      phone_hash: pii.blindIndex(phone, 'mobile'),
      purpose: PARKING_SMS_PURPOSE,
      code_hash: pii.blindIndex(syntheticParkingCode(i), `sms:${PARKING_SMS_PURPOSE}:${phone}`),
      ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      attempts: 0,
      expires_at: now + SMS_CODE_TTL_MS,
      used_at: null,
      created_at: now,
    });
  }
  await (db.kysely as unknown as AnyKysely).transaction().execute((trx) => insertAll(trx, 'sms_codes', rows));
}
