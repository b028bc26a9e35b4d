import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import type { Database } from '../../database.js';
import { isUniqueViolation } from '../../platform/db/database.js';
import { recordAudit } from '../audit/index.js';
import {
  findCurrentVersion,
  findCurrentVersions,
  findPark,
  findProduct,
  insertExtras,
  insertOrgs,
  insertPark,
  insertProduct,
  insertVersion,
  listExtras,
  listOrgs,
  listOrgTree,
  listParks,
  listParksAfter,
  listProducts,
  lockProduct,
  markOrgParent,
} from './parking.repository.js';
import type {
  ParkingExtraRow,
  ParkingOrgRow,
  ParkingParkRow,
  ParkingProductRow,
  ParkingProductVersionRow,
} from './parking.table.js';
import { newParkingId } from './parking-users.service.js';

type Db = Kysely<Database>;

const NO_PARK = '停车场不存在';

async function requirePark(db: Db, parkId: string): Promise<ParkingParkRow> {
  const park = await findPark(db, parkId);
  if (!park) throw new DomainError('not_found', NO_PARK);
  return park;
}

// --- What the user's page reads (calls 4 and 5)

/** Call 4: the park's first-level orgs, or with `orgCode` the second level under that first-level org. */
export async function parkOrganizations(
  db: Db,
  parkId: string,
  orgCode?: string,
): Promise<{ park: ParkingParkRow; orgs: ParkingOrgRow[] }> {
  const park = await requirePark(db, parkId);
  return { park, orgs: await listOrgs(db, parkId, orgCode) };
}

/** Call 5: the extra information a monthly order carries, in the order the files are sent. */
export async function parkExtras(db: Db, parkId: string): Promise<ParkingExtraRow[]> {
  await requirePark(db, parkId);
  return listExtras(db, parkId);
}

// --- The back office's configuration (admin or the parking role)

/**
 * What a park is configured with, for the back office to show: the park, both levels of its
 * org tree, its extra items and its products each with its current prices.
 */
export async function parkConfiguration(db: Db, parkId: string) {
  const park = await requirePark(db, parkId);
  // Five statements whatever the park's size: the tree and the prices are read whole, then grouped.
  const [tree, extras, products, versions] = await Promise.all([
    listOrgTree(db, parkId),
    listExtras(db, parkId),
    listProducts(db, [parkId]),
    findCurrentVersions(db, [parkId]),
  ]);
  const orgs = tree
    .filter((org) => org.level === 1)
    .map((org) => ({
      ...org,
      children: tree.filter((child) => child.level === 2 && child.parent_level_code === org.level_code),
    }));
  return {
    park,
    orgs,
    extras,
    products: products.map((product) => ({ ...product, version: versions.get(product.id) ?? null })),
  };
}

export interface NewPark {
  id: string;
  name: string;
}

export async function createPark(
  db: Db,
  input: NewPark,
  now: number,
  actor: string,
): Promise<ParkingParkRow> {
  const row = { id: input.id, name: input.name, created_at: now };
  try {
    await db.transaction().execute(async (trx) => {
      await insertPark(trx, row);
      await audit(trx, actor, 'parking_park', input.id, 'create', input.name, now);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('conflict', `停车场${input.id}已存在`);
    throw error;
  }
  return row;
}

export { listParks };

/** A row of the parks export: a park with one of its products and that product's current prices. */
export interface ParkProductRow {
  park: ParkingParkRow;
  /** Undefined for a park without products: it still has its row. */
  product: ParkingProductRow | undefined;
  version: ParkingProductVersionRow | undefined;
}

/**
 * Keyset pages of the parks export, by park id: each page's parks with their products and current
 * prices in three statements, a park with several products a row for each.
 */
export function parkProductExportPages(db: Db) {
  return async (after: ParkProductRow | undefined, limit: number): Promise<ParkProductRow[]> => {
    const parks = await listParksAfter(db, after?.park.id, limit);
    const ids = parks.map((park) => park.id);
    const [products, versions] = await Promise.all([listProducts(db, ids), findCurrentVersions(db, ids)]);
    const byPark = new Map<string, ParkingProductRow[]>();
    for (const product of products) {
      const own = byPark.get(product.park_id);
      if (own) own.push(product);
      else byPark.set(product.park_id, [product]);
    }
    return parks.flatMap((park): ParkProductRow[] => {
      const own = byPark.get(park.id);
      if (!own) return [{ park, product: undefined, version: undefined }];
      return own.map((product) => ({ park, product, version: versions.get(product.id) }));
    });
  };
}

/** A first-level org with its second-level children. */
export interface NewOrg {
  name: string;
  orgCode: string;
  children?: ReadonlyArray<{ name: string; orgCode: string }> | undefined;
}

/**
 * Adds first-level orgs with their children to a park. Level codes are the org codes (a first
 * level's children point at it by parent_level_code), unique within the park.
 */
export async function addOrgs(
  db: Db,
  parkId: string,
  orgs: readonly NewOrg[],
  now: number,
  actor: string,
): Promise<ParkingOrgRow[]> {
  await requirePark(db, parkId);
  const rows: ParkingOrgRow[] = [];
  orgs.forEach((org, i) => {
    rows.push({
      id: newParkingId(),
      park_id: parkId,
      name: org.name,
      org_code: org.orgCode,
      level_code: org.orgCode,
      parent_level_code: null,
      level: 1,
      is_leaf: org.children?.length ? 1 : 0,
      is_used: 0,
      seq: i,
    });
    (org.children ?? []).forEach((child, j) => {
      rows.push({
        id: newParkingId(),
        park_id: parkId,
        name: child.name,
        org_code: child.orgCode,
        level_code: child.orgCode,
        parent_level_code: org.orgCode,
        level: 2,
        is_leaf: 0,
        is_used: 0,
        seq: j,
      });
    });
  });
  try {
    await db.transaction().execute(async (trx) => {
      await insertOrgs(trx, rows);
      for (const org of orgs) if (org.children?.length) await markOrgParent(trx, parkId, org.orgCode);
      await audit(trx, actor, 'parking_park', parkId, 'add_orgs', rows.map((r) => r.org_code).join(','), now);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('conflict', '机构编码已存在');
    throw error;
  }
  return rows;
}

export interface NewExtra {
  name: string;
  code: string;
  type: '0' | '1';
  required: boolean;
}

/** Adds extra-info slots to a park, after those it has (their seq is their order in the upload). */
export async function addExtras(
  db: Db,
  parkId: string,
  extras: readonly NewExtra[],
  now: number,
  actor: string,
): Promise<ParkingExtraRow[]> {
  await requirePark(db, parkId);
  const start = (await listExtras(db, parkId)).length;
  const rows: ParkingExtraRow[] = extras.map((e, i) => ({
    id: newParkingId(),
    park_id: parkId,
    name: e.name,
    code: e.code,
    type: e.type,
    seq: start + i,
    required: e.required ? 1 : 0,
  }));
  try {
    await db.transaction().execute(async (trx) => {
      await insertExtras(trx, rows);
      await audit(trx, actor, 'parking_park', parkId, 'add_extras', rows.map((r) => r.code).join(','), now);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('conflict', '额外信息编号已存在');
    throw error;
  }
  return rows;
}

export interface NewProduct {
  parkId: string;
  name: string;
  unitType: string;
  unitCount: number;
  rentType: string;
  cardType: string;
  auditBeforePay: boolean;
  insidePriceFen: number;
  outsidePriceFen: number;
}

/** A product with its first priced version. */
export async function createProduct(
  db: Db,
  input: NewProduct,
  now: number,
  actor: string,
): Promise<{ product: ParkingProductRow; version: ParkingProductVersionRow }> {
  await requirePark(db, input.parkId);
  const product: ParkingProductRow = {
    id: newParkingId(),
    park_id: input.parkId,
    name: input.name,
    unit_type: input.unitType,
    unit_count: input.unitCount,
    rent_type: input.rentType,
    card_type: input.cardType,
    audit_before_pay: input.auditBeforePay ? 1 : 0,
    active: 1,
    created_at: now,
  };
  const version: ParkingProductVersionRow = {
    id: newParkingId(),
    product_id: product.id,
    inside_price_fen: input.insidePriceFen,
    outside_price_fen: input.outsidePriceFen,
    created_at: now,
  };
  await db.transaction().execute(async (trx) => {
    await insertProduct(trx, product);
    await insertVersion(trx, version);
    await audit(trx, actor, 'parking_product', product.id, 'create', `version ${version.id}`, now);
  });
  return { product, version };
}

/** New prices for a product: a new version, current from now on. */
export async function addProductVersion(
  db: Db,
  productId: string,
  prices: { insidePriceFen: number; outsidePriceFen: number },
  now: number,
  actor: string,
): Promise<ParkingProductVersionRow> {
  const product = await findProduct(db, productId);
  if (!product) throw new DomainError('not_found', '产品不存在');
  return db.transaction().execute(async (trx) => {
    // The newest version is the price: versions of one product are made one at a time (the
    // product row held) and each strictly after the last, so two in one millisecond cannot
    // leave "newest" to the order of random ids.
    await lockProduct(trx, productId);
    const latest = await findCurrentVersion(trx, productId);
    const version: ParkingProductVersionRow = {
      id: newParkingId(),
      product_id: productId,
      inside_price_fen: prices.insidePriceFen,
      outside_price_fen: prices.outsidePriceFen,
      created_at: latest ? Math.max(now, latest.created_at + 1) : now,
    };
    await insertVersion(trx, version);
    await audit(trx, actor, 'parking_product', productId, 'add_version', `version ${version.id}`, now);
    return version;
  });
}

async function audit(
  trx: Db,
  actor: string,
  entity: string,
  entityId: string,
  action: string,
  reason: string,
  now: number,
): Promise<void> {
  await recordAudit(trx, {
    actor,
    entity,
    entity_id: entityId,
    action,
    from_state: null,
    to_state: null,
    reason,
    created_at: now,
  });
}
