import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Database } from '../../../src/database.js';
import { createParkingOrdersModule } from '../../../src/modules/parking/parking-orders.module.js';
import type { OrderPart } from '../../../src/modules/parking/parking-orders.service.js';
import type { Pii } from '../../../src/platform/pii.js';
import { sealMobile } from '../../../src/platform/pii-fields.js';
import type { UploadStorage } from '../../../src/platform/storage/index.js';
import type { TestApp } from '../../helpers/test-app.js';

export const PARK_ID = '1463714771961';
export const hex = () => randomUUID().replaceAll('-', '');

export interface ParkingWorld {
  parkId: string;
  openId: string;
  userId: string;
  /** A valid card (state 1) ending `validEnd`. */
  cardId: string;
  /** A card never paid (state 0): a first purchase. */
  newCardId: string;
  productId: string;
  versionId: string;
  /** A product without review. */
  plainProductId: string;
  plainVersionId: string;
}

/**
 * The spec's park: 文学院/中文系 and 理学院/数学系, the extra items 驾驶证 (picture, required),
 * 行驶证1 (picture), 在职证明 (text), a monthly product with review (校内 0.01, 校外 4.00) and
 * one without, and a user bound to `openId` with a valid card and a new one.
 */
export async function seedParkingWorld(
  db: Kysely<Database>,
  pii: Pii,
  now: number,
  options: { openId?: string; phone?: string; parkId?: string; validEnd?: number } = {},
): Promise<ParkingWorld> {
  const parkId = options.parkId ?? PARK_ID;
  const exists = await db
    .selectFrom('parking_parks')
    .select('id')
    .where('id', '=', parkId)
    .executeTakeFirst();
  if (!exists) {
    await db
      .insertInto('parking_parks')
      .values({ id: parkId, name: '北理工停车场', created_at: now })
      .execute();
    const org = (name: string, code: string, level: number, parent: string | null, seq: number) => ({
      id: hex(),
      park_id: parkId,
      name,
      org_code: code,
      level_code: `L${code}`,
      parent_level_code: parent,
      level,
      is_leaf: level === 2 ? 0 : 1,
      is_used: 0,
      seq,
    });
    await db
      .insertInto('parking_orgs')
      .values([
        org('文学院', '111', 1, null, 1),
        org('理学院', '222', 1, null, 2),
        org('中文系', '111001', 2, 'L111', 1),
        org('数学系', '222001', 2, 'L222', 1),
      ])
      .execute();
    await db
      .insertInto('parking_extras')
      .values([
        { id: hex(), park_id: parkId, name: '驾驶证', code: '0', type: '1', seq: 1, required: 1 },
        { id: hex(), park_id: parkId, name: '行驶证1', code: '1', type: '1', seq: 2, required: 0 },
        { id: hex(), park_id: parkId, name: '在职证明', code: '2', type: '0', seq: 3, required: 0 },
      ])
      .execute();
  }
  const productId = hex();
  const versionId = hex();
  const plainProductId = hex();
  const plainVersionId = hex();
  await db
    .insertInto('parking_products')
    .values([
      {
        id: productId,
        park_id: parkId,
        name: '包月123',
        unit_type: '4',
        unit_count: 1,
        rent_type: '1',
        card_type: '3',
        audit_before_pay: 1,
        created_at: now - 2000,
      },
      {
        id: plainProductId,
        park_id: parkId,
        name: '包年',
        unit_type: '5',
        unit_count: 1,
        rent_type: '1',
        card_type: '3',
        audit_before_pay: 0,
        // After the product with review: lists sort by (created_at, id), and ids are random.
        created_at: now - 1999,
      },
    ])
    .execute();
  await db
    .insertInto('parking_product_versions')
    .values([
      {
        id: hex(),
        product_id: productId,
        inside_price_fen: 5,
        outside_price_fen: 500,
        created_at: now - 2000,
      },
      {
        id: versionId,
        product_id: productId,
        inside_price_fen: 1,
        outside_price_fen: 400,
        created_at: now - 1000,
      },
      {
        id: plainVersionId,
        product_id: plainProductId,
        inside_price_fen: 36000,
        outside_price_fen: 48000,
        created_at: now - 1000,
      },
    ])
    .execute();
  const userId = hex();
  const phone = options.phone ?? '15245263262';
  const sealed = sealMobile(pii, phone);
  await db
    .insertInto('parking_users')
    .values({
      id: userId,
      park_id: parkId,
      name: '用户1',
      phone_enc: sealed.mobile_enc,
      phone_hash: sealed.mobile_hash,
      phone_masked: sealed.mobile_masked,
      code: null,
      duplicate_code: '20071230',
      department: null,
      first_org_name: null,
      first_org_code: null,
      second_org_name: null,
      second_org_code: null,
      address: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const openId = options.openId ?? `sandbox-${hex().slice(0, 28)}`;
  await db
    .insertInto('parking_openids')
    .values({ open_id: openId, user_id: userId, bound_at: now })
    .execute();
  // The valid card first, the new one a millisecond later: cards list by (created_at, id).
  const card = (id: string, state: 0 | 1, product: string, version: string) => ({
    id,
    park_id: parkId,
    user_id: userId,
    product_id: product,
    product_v_id: version,
    card_type: '3',
    state,
    start_dt: state === 1 ? now - 20 * 86_400_000 : null,
    end_dt: state === 1 ? (options.validEnd ?? now + 10 * 86_400_000) : null,
    renew_end_dt: null,
    last_order_id: null,
    created_at: state === 1 ? now - 1 : now,
    updated_at: now,
    reminded_end_dt: null,
  });
  const cardId = hex();
  const newCardId = hex();
  await db
    .insertInto('parking_cards')
    .values([card(cardId, 1, productId, versionId), card(newCardId, 0, plainProductId, plainVersionId)])
    .execute();
  return { parkId, openId, userId, cardId, newCardId, productId, versionId, plainProductId, plainVersionId };
}

/** The ids of the open (01) orders of a card or of a user. */
export async function openOrderIds(
  db: Kysely<Database>,
  of: 'card_id' | 'user_id',
  id: string,
): Promise<Array<{ id: string }>> {
  return db.selectFrom('parking_orders').select('id').where(of, '=', id).where('state', '=', '01').execute();
}

/** The text fields of a valid renewal of `cardId` (校外, 文学院/中文系). */
/** A card's row as stored (its state and end, to check what a payment or refund did to it). */
export function cardRow(db: Kysely<Database>, id: string) {
  return db.selectFrom('parking_cards').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export function renewalFields(world: ParkingWorld, overrides: Record<string, string> = {}) {
  return {
    omPrCardId: world.cardId,
    pmSetrentId: world.productId,
    productVId: world.versionId,
    priceType: '02',
    userInfoId: world.userId,
    duplicateCode: '20071230',
    userDepartment: '111001',
    firstOrgName: '文学院',
    firstOrgCode: '111',
    secondOrgName: '中文系',
    secondOrgCode: '111001',
    extraDataJson: JSON.stringify([
      { type: '1', name: '驾驶证', code: '0', content: 'licence.png' },
      { type: '1', name: '行驶证1', code: '1', content: '' },
      { type: '0', name: '在职证明', code: '2', content: '在职' },
    ]),
    ...overrides,
  };
}

/** Multipart-like parts: the fields, then one file part per entry (null: the empty slot). */
export async function* orderParts(
  fields: Record<string, string>,
  files: ReadonlyArray<{ filename: string; bytes: Buffer } | null>,
): AsyncGenerator<OrderPart> {
  for (const [name, value] of Object.entries(fields)) yield { kind: 'field', name, value };
  for (const file of files) {
    yield file
      ? { kind: 'file', name: 'files', filename: file.filename, stream: Readable.from([file.bytes]) }
      : {
          kind: 'file',
          name: 'files',
          filename: 'rentForBeiLiGongTempPic',
          stream: Readable.from([Buffer.alloc(0)]),
        };
  }
}

/** A renewal of the world's valid card with the product that needs no review: one picture, one empty slot. */
export function plainRenewalParts(world: ParkingWorld, picture: Buffer): AsyncGenerator<OrderPart> {
  return orderParts(
    renewalFields(world, { pmSetrentId: world.plainProductId, productVId: world.plainVersionId }),
    [{ filename: 'a.png', bytes: picture }, null],
  );
}

/**
 * The app's parking orders over another storage (texts go nowhere, log lines into `logged`): a
 * test's hand on the files.
 */
export function parkingOrdersWith(t: TestApp, storage: UploadStorage, logged: string[] = []) {
  const runtime = t.app.runtime;
  return createParkingOrdersModule({
    db: runtime.db.kysely,
    pii: runtime.pii,
    sms: {
      signName: '房通',
      templates: {},
      provider: { name: 'log', send: async () => ({ ok: true, providerId: 'x', requestId: 'y' }) },
    },
    storage,
    uploads: { maxBytes: 5 * 1024 * 1024, maxFiles: 6 },
    payments: runtime.payments,
    log: (line) => logged.push(line),
  });
}
