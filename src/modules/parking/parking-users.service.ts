import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError, type FieldError } from '../../core/domain-error.js';
import { maskMobile } from '../../core/mobile.js';
import { parsePlate } from '../../core/plate.js';
import type { Database } from '../../database.js';
import { isUniqueViolation } from '../../platform/db/database.js';
import { isTransientConflict, retrying } from '../../platform/db/transaction-retry.js';
import type { Pii } from '../../platform/pii.js';
import type { SessionCache } from '../../platform/session-cache.js';
import { newSessionToken, sessionTokenHash } from '../../platform/session-token.js';
import type { SmsChannel } from '../../platform/sms/sms-channel.js';
import { recordAudit } from '../audit/index.js';
import { sendSmsCode, verifySmsCode } from '../sms/index.js';
import {
  bindOpenId,
  deletePlates,
  findCurrentVersion,
  findFirstActiveProduct,
  findPark,
  findPlateOwners,
  findSession,
  findUser,
  findUserByOpenId,
  findUserByPhoneHash,
  findUserViewById,
  findUserViewByOpenId,
  findUserViewBySession,
  insertCard,
  insertPlates,
  insertSession,
  insertUser,
  listCards,
  listPlates,
  lockUser,
  type ParkingUserViewRows,
  type ParkingViewOrder,
  type ParkingViewProduct,
  type ParkingViewVersion,
  updateUser,
} from './parking.repository.js';
import type { ParkingCardRow, ParkingPlateRow, ParkingUserRow } from './parking.table.js';
import { isCardExpired } from './parking-state.js';

type Db = Kysely<Database>;

export interface ParkingUserDeps {
  db: Db;
  pii: Pii;
  sms: SmsChannel;
  /** Plates a user may hold at most (PARKING_MAX_PLATES). */
  maxPlates: number;
  /** Lifetime of a WeChat caller's session. */
  sessionTtlMs: number;
  /** Sessions proved a moment ago (FANGTONG_SESSION_CACHE_SECONDS). */
  sessions: SessionCache<string>;
}

/**
 * The SMS purpose of family 5's codes: the phone a parking user proves (call 8 sends, calls 1
 * and 3 spend). Its template is the `parking` one of SMS_TEMPLATES.
 */
export const PARKING_SMS_PURPOSE = 'parking';

/** Plates added online by the user themselves; only these may be deleted online (the spec). */
export const ONLINE_PLATE_CHANNEL = '9';

/** A 32-hex id, as family 5's ids are spelled. */
export const newParkingId = (): string => randomUUID().replaceAll('-', '');

const NO_USER = '用户不存在';
const NO_CARD = '卡不存在';
const NO_PARK = '停车场不存在';

/** A card as the user sees it: its product and prices, its last order and whether one is open. */
export interface ParkingCardView {
  card: ParkingCardRow;
  product: ParkingViewProduct | undefined;
  version: ParkingViewVersion | undefined;
  lastOrder: ParkingViewOrder | undefined;
  hasOpenOrder: boolean;
  expired: boolean;
}

/** A parking user as they see themselves: the phone decrypted (it is their own), plates and cards. */
export interface ParkingUserView {
  user: ParkingUserRow;
  phone: string;
  plates: ParkingPlateRow[];
  cards: ParkingCardView[];
  /** Any order of theirs ever paid online (ifBuyBeiLiRentOnline). */
  boughtOnline: boolean;
  /** Any card of theirs with an order still open (ifHasConflictProcess). */
  hasConflict: boolean;
}

// --- Sessions: who the WeChat caller is

/** A fresh session for a WeChat openId: the token (cookie or bearer) and when it ends. */
export async function openParkingSession(
  deps: Pick<ParkingUserDeps, 'db' | 'sessionTtlMs'>,
  openId: string,
  now: number,
): Promise<{ token: string; expiresAt: number }> {
  const token = newSessionToken();
  const expiresAt = now + deps.sessionTtlMs;
  await insertSession(deps.db, {
    token_hash: sessionTokenHash(token),
    open_id: openId,
    expires_at: expiresAt,
    created_at: now,
  });
  return { token, expiresAt };
}

/** Who is calling: the openId of a session proved a moment ago, or a session token's hash still to prove. */
export type ParkingCaller = { readonly openId: string } | { readonly tokenHash: string };

/** What a caller without a live session is told. */
export const NOT_SIGNED_IN = '请先登录（微信授权）';

/**
 * The caller a session token names, without a read: the openId when the session cache holds it,
 * else the token's hash to prove; null for a token no session could have. A session the database
 * confirmed is remembered for a few seconds (the same cache as staff sessions): a page's calls
 * each carry it, and sessions are never ended early, so the cache only saves reads.
 */
export function identifyParkingCaller(
  sessions: SessionCache<string>,
  token: string,
  now: number,
): ParkingCaller | null {
  if (!token || token.length > 128) return null;
  const tokenHash = sessionTokenHash(token);
  const openId = sessions.get(tokenHash, now);
  return openId === undefined ? { tokenHash } : { openId };
}

/**
 * The caller's openId, their session proved (and remembered) if it had not been; null when the
 * session is not live.
 */
export async function proveParkingCaller(
  deps: Pick<ParkingUserDeps, 'db' | 'sessions'>,
  caller: ParkingCaller,
  now: number,
): Promise<string | null> {
  if ('openId' in caller) return caller.openId;
  const found = await findSession(deps.db, caller.tokenHash, now);
  if (!found) return null;
  deps.sessions.set(caller.tokenHash, found.open_id, now, found.expires_at);
  return found.open_id;
}

/** The caller's openId as proveParkingCaller finds it; a session that is not live is refused. */
async function callerOpenId(
  deps: Pick<ParkingUserDeps, 'db' | 'sessions'>,
  caller: ParkingCaller,
  now: number,
): Promise<string> {
  const openId = await proveParkingCaller(deps, caller, now);
  if (openId === null) throw new DomainError('unauthenticated', NOT_SIGNED_IN);
  return openId;
}

/**
 * The rows of the caller's view (their card `cardId` alone, when given), or none when their
 * openId is bound to no user. A session still to prove is proved by the view's own statement;
 * only when that finds nothing is the session read alone, to tell a session that is not live
 * (unauthenticated) from an openId bound to no one.
 */
async function callerViewRows(
  deps: Pick<ParkingUserDeps, 'db' | 'sessions'>,
  caller: ParkingCaller,
  now: number,
  cardId?: string,
): Promise<ParkingUserViewRows | undefined> {
  if ('openId' in caller) return findUserViewByOpenId(deps.db, caller.openId, cardId);
  const found = await findUserViewBySession(deps.db, caller.tokenHash, now, cardId);
  if (found) {
    deps.sessions.set(caller.tokenHash, found.openId, now, found.sessionExpiresAt);
    return found.rows;
  }
  await callerOpenId(deps, caller, now);
  return undefined;
}

/** The user bound to the caller's openId, or not_found 用户不存在. */
async function callerUser(db: Db, openId: string, userId?: string): Promise<ParkingUserRow> {
  const user = await findUserByOpenId(db, openId);
  if (!user || (userId !== undefined && user.id !== userId)) throw new DomainError('not_found', NO_USER);
  return user;
}

// --- Call 8: a code to the phone

export function sendParkingCode(
  deps: ParkingUserDeps,
  input: { phone: string; ip: string },
  now: number,
): Promise<void> {
  return sendSmsCode(deps, { phone: input.phone, purpose: PARKING_SMS_PURPOSE, ip: input.ip }, now);
}

async function proveCode(deps: ParkingUserDeps, phone: string, code: string, field: string, now: number) {
  if (!(await verifySmsCode(deps, { phone, purpose: PARKING_SMS_PURPOSE, code }, now))) {
    throw DomainError.validation([{ field, error: '验证码错误或已失效' }]);
  }
}

// --- Call 1: find (or make) the user by plate, name and proved phone; bind the caller to them

export interface FindByCarNumInput {
  carNum: string;
  name: string;
  parkId: string;
  phone: string;
  /** Needed unless the caller is already bound to this phone's user and nothing would change. */
  phoneCode?: string | undefined;
  duplicateCode?: string | undefined;
  /** isOverDuplicate 0: the given duplicateCode replaces the stored one; 1: a stored one is kept. */
  overwriteDuplicate: boolean;
}

/**
 * The phone is proved by its SMS code first. Then the phone's user of the park is found (its
 * name must be the one given) or made, the plate is theirs or becomes theirs (one held by
 * someone else is refused), the duplicateCode is kept or overwritten, a user without a card gets
 * a new one (state 0) for the park's product, and the caller's openId is bound to the user.
 */
export async function findUserByCarNum(
  deps: ParkingUserDeps,
  caller: ParkingCaller,
  input: FindByCarNumInput,
  now: number,
): Promise<ParkingUserView> {
  const plate = parsePlate(input.carNum);
  if (!plate) throw DomainError.validation([{ field: 'carNum', error: '车牌号格式不正确' }]);
  if (input.phoneCode === undefined) {
    // A returning caller (the page opened again) already proved this phone: one read, no SMS.
    const mine = await callerViewRows(deps, caller, now);
    const view = mine && toUserView(deps, mine, now);
    if (view && findsUnchanged(view, input, plate.plate)) return view;
    throw DomainError.validation([{ field: 'phoneCode', error: '验证码不能为空' }]);
  }
  const openId = await callerOpenId(deps, caller, now);
  const phoneHash = deps.pii.blindIndex(input.phone, 'mobile');
  if (!(await findPark(deps.db, input.parkId))) throw new DomainError('not_found', NO_PARK);
  await proveCode(deps, input.phone, input.phoneCode, 'phoneCode', now);
  const actor = `wechat:${openId}`;
  let userId: string;
  try {
    userId = await deps.db.transaction().execute(async (trx) => {
      let user = await findUserByPhoneHash(trx, input.parkId, phoneHash);
      const owner = (await findPlateOwners(trx, input.parkId, [plate.plate])).get(plate.plate);
      if (owner !== undefined && owner !== user?.id) {
        throw new DomainError('conflict', `车牌号${plate.plate}已被其他用户绑定`);
      }
      if (user && user.name !== input.name) {
        throw DomainError.validation([{ field: 'name', error: '用户名与该手机号登记的用户不一致' }]);
      }
      if (!user) {
        const id = newParkingId();
        await insertUser(trx, {
          id,
          park_id: input.parkId,
          name: input.name,
          phone_enc: deps.pii.encrypt(input.phone),
          phone_hash: phoneHash,
          phone_masked: maskMobile(input.phone),
          code: null,
          duplicate_code: input.duplicateCode ?? null,
          department: null,
          first_org_name: null,
          first_org_code: null,
          second_org_name: null,
          second_org_code: null,
          address: null,
          created_at: now,
          updated_at: now,
        });
        await recordAudit(trx, {
          actor,
          entity: 'parking_user',
          entity_id: id,
          action: 'create',
          from_state: null,
          to_state: null,
          reason: `plate ${plate.plate}`,
          created_at: now,
        });
        user = (await findUser(trx, id))!;
      } else if (
        input.duplicateCode !== undefined &&
        (input.overwriteDuplicate || user.duplicate_code === null)
      ) {
        await updateUser(trx, user.id, { duplicate_code: input.duplicateCode, updated_at: now });
      }
      if (owner === undefined) await addPlatesLocked(deps, trx, user, [plate.plate], now, actor, 'carNum');
      if (!(await listCards(trx, user.id)).length) await openFirstCard(trx, user, now, actor);
      await bindOpenId(trx, openId, user.id, now);
      await recordAudit(trx, {
        actor,
        entity: 'parking_user',
        entity_id: user.id,
        action: 'bind_openid',
        from_state: null,
        to_state: null,
        reason: null,
        created_at: now,
      });
      return user.id;
    });
  } catch (error) {
    // Two first finds at once for one phone or plate: the other one made the user or took the plate.
    if (isPlateViolation(error)) throw new DomainError('conflict', `车牌号${plate.plate}已被其他用户绑定`);
    if (isUniqueViolation(error)) throw new DomainError('conflict', '用户信息已变更，请重试');
    throw error;
  }
  return userView(deps, userId, now);
}

/**
 * The caller's bound user is the one this find names (park, proved phone, name, a plate of
 * theirs, a card) and the find would write nothing: no new plate, no duplicateCode to store.
 */
function findsUnchanged(mine: ParkingUserView, input: FindByCarNumInput, plate: string): boolean {
  const { user } = mine;
  const keepsDuplicate =
    input.duplicateCode === undefined ||
    input.duplicateCode === user.duplicate_code ||
    (!input.overwriteDuplicate && user.duplicate_code !== null);
  return (
    user.park_id === input.parkId &&
    mine.phone === input.phone &&
    user.name === input.name &&
    keepsDuplicate &&
    mine.cards.length > 0 &&
    mine.plates.some((p) => p.car_num === plate)
  );
}

/** A plate's (park, car_num) constraint refused the insert: someone else took it first. */
function isPlateViolation(error: unknown): boolean {
  if (!isUniqueViolation(error)) return false;
  const { constraint, message } = error as { constraint?: unknown; message?: unknown };
  return constraint === 'parking_plates_car_num' || String(message).includes('parking_plates.car_num');
}

/** A user's first card: state 0, for the park's first active product at its current prices. */
async function openFirstCard(trx: Db, user: ParkingUserRow, now: number, actor: string): Promise<void> {
  const product = await findFirstActiveProduct(trx, user.park_id);
  const version = product && (await findCurrentVersion(trx, product.id));
  if (!product || !version) return;
  const id = newParkingId();
  await insertCard(trx, {
    id,
    park_id: user.park_id,
    user_id: user.id,
    product_id: product.id,
    product_v_id: version.id,
    card_type: product.card_type,
    state: 0,
    start_dt: null,
    end_dt: null,
    renew_end_dt: null,
    last_order_id: null,
    created_at: now,
    updated_at: now,
    reminded_end_dt: null,
  });
  await recordAudit(trx, {
    actor,
    entity: 'parking_card',
    entity_id: id,
    action: 'create',
    from_state: null,
    to_state: '0',
    reason: `product ${product.id}`,
    created_at: now,
  });
}

// --- Call 2: the user and one card

/** The caller's user with the one card `cardId` (another's card answers 卡不存在). */
export async function findUserByCardId(
  deps: ParkingUserDeps,
  caller: ParkingCaller,
  cardId: string,
  now: number,
): Promise<ParkingUserView> {
  // One statement: the caller's user with that card of theirs alone (none when it is not theirs).
  const rows = await callerViewRows(deps, caller, now, cardId);
  if (!rows) throw new DomainError('not_found', NO_USER);
  if (!rows.cards.length) throw new DomainError('not_found', NO_CARD);
  return toUserView(deps, rows, now);
}

/** The user's view; with `onlyCardId`, the cardList holds that card alone. */
export async function userView(
  deps: Pick<ParkingUserDeps, 'db' | 'pii'>,
  userId: string,
  now: number,
  onlyCardId?: string,
): Promise<ParkingUserView> {
  const rows = await findUserViewById(deps.db, userId);
  if (!rows) throw new DomainError('not_found', NO_USER);
  return toUserView(deps, rows, now, onlyCardId);
}

/** The view of the rows read in one statement; with `onlyCardId`, the cards are that one alone. */
function toUserView(
  deps: Pick<ParkingUserDeps, 'pii'>,
  rows: ParkingUserViewRows,
  now: number,
  onlyCardId?: string,
): ParkingUserView {
  const cards = onlyCardId === undefined ? rows.cards : rows.cards.filter((c) => c.card.id === onlyCardId);
  return {
    user: rows.user,
    phone: deps.pii.decrypt(rows.user.phone_enc),
    plates: rows.plates,
    boughtOnline: rows.boughtOnline,
    hasConflict: rows.hasConflict,
    cards: cards.map((c) => ({ ...c, expired: isCardExpired(c.card, now) })),
  };
}

// --- Call 3: name and phone

export interface UpdateParkingUserInput {
  userId: string;
  name?: string | undefined;
  phone?: string | undefined;
  /** Needed when the phone changes: a fresh code sent to the new phone. */
  phoneCode?: string | undefined;
}

/** Changes the caller's own name and phone; a new phone must be proved by a code sent to it. */
export async function updateParkingUser(
  deps: ParkingUserDeps,
  openId: string,
  input: UpdateParkingUserInput,
  now: number,
): Promise<void> {
  const user = await callerUser(deps.db, openId, input.userId);
  const set: { name?: string; phone_enc?: string; phone_hash?: string; phone_masked?: string } = {};
  if (input.name !== undefined && input.name !== user.name) set.name = input.name;
  if (input.phone !== undefined) {
    const phoneHash = deps.pii.blindIndex(input.phone, 'mobile');
    if (phoneHash !== user.phone_hash) {
      if (!input.phoneCode) {
        throw DomainError.validation([{ field: 'phoneCode', error: '更换手机号需先获取并填写验证码' }]);
      }
      await proveCode(deps, input.phone, input.phoneCode, 'phoneCode', now);
      const other = await findUserByPhoneHash(deps.db, user.park_id, phoneHash);
      if (other) throw new DomainError('conflict', '该手机号已被其他用户使用');
      set.phone_enc = deps.pii.encrypt(input.phone);
      set.phone_hash = phoneHash;
      set.phone_masked = maskMobile(input.phone);
    }
  }
  if (!Object.keys(set).length) return;
  try {
    await deps.db.transaction().execute(async (trx) => {
      await updateUser(trx, user.id, { ...set, updated_at: now });
      await recordAudit(trx, {
        actor: `wechat:${openId}`,
        entity: 'parking_user',
        entity_id: user.id,
        action: 'update',
        from_state: null,
        to_state: null,
        reason: [set.name !== undefined ? 'name' : '', set.phone_hash ? 'phone' : '']
          .filter(Boolean)
          .join(','),
        created_at: now,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('conflict', '该手机号已被其他用户使用');
    throw error;
  }
}

// --- Calls 9 and 10: plates

/** Splits a comma-separated plate list (either comma), normalised, each GA 36; names every bad one. */
export function parsePlateList(text: string, field: string): string[] {
  const items = text
    .split(/[,，]/)
    .map((s) => s.trim())
    .filter(Boolean);
  const bad: string[] = [];
  const plates: string[] = [];
  for (const item of items) {
    const parsed = parsePlate(item);
    if (!parsed) bad.push(item);
    else if (!plates.includes(parsed.plate)) plates.push(parsed.plate);
  }
  if (bad.length) throw DomainError.validation([{ field, error: `车牌号格式不正确：${bad.join('，')}` }]);
  if (!plates.length) throw DomainError.validation([{ field, error: '车牌号不能为空' }]);
  return plates;
}

/** Adds plates to the caller's own user (channel 9); a plate held by anyone else is refused, naming it. */
export async function addParkingPlates(
  deps: ParkingUserDeps,
  openId: string,
  input: { userId: string; carNums: readonly string[] },
  now: number,
): Promise<void> {
  const user = await callerUser(deps.db, openId, input.userId);
  try {
    // Two users adding the same plates in another order can deadlock on the plates' unique index
    // (PostgreSQL breaks it by failing one): the one that failed starts over and is told who holds them.
    await retrying(
      () =>
        deps.db.transaction().execute(async (trx) => {
          const owners = await findPlateOwners(trx, user.park_id, input.carNums);
          const mine = input.carNums.filter((p) => owners.get(p) === user.id);
          if (mine.length) throw new DomainError('conflict', `车牌号${mine.join('，')}已绑定，无需重复添加`);
          const taken = input.carNums.filter((p) => owners.has(p));
          if (taken.length) throw new DomainError('conflict', `车牌号${taken.join('，')}已被其他用户绑定`);
          await addPlatesLocked(deps, trx, user, input.carNums, now, `wechat:${openId}`, 'addCarNums');
        }),
      isTransientConflict,
    );
  } catch (error) {
    if (isUniqueViolation(error))
      throw new DomainError('conflict', `车牌号${input.carNums.join('，')}已被其他用户绑定`);
    throw error;
  }
}

/**
 * Inserts plates for `user` within `trx`, the user's row locked first so two adds cannot both
 * pass the limit; the (park, plate) unique constraint keeps a plate to one user.
 */
async function addPlatesLocked(
  deps: Pick<ParkingUserDeps, 'maxPlates'>,
  trx: Db,
  user: ParkingUserRow,
  carNums: readonly string[],
  now: number,
  actor: string,
  field: string,
): Promise<void> {
  await lockUser(trx, user.id, now);
  const held = (await listPlates(trx, user.id)).length;
  if (held + carNums.length > deps.maxPlates) {
    throw DomainError.validation([
      { field, error: `每位用户最多绑定${deps.maxPlates}个车牌，已绑定${held}个` },
    ]);
  }
  await insertPlates(
    trx,
    carNums.map((car_num) => ({
      park_id: user.park_id,
      user_id: user.id,
      car_num,
      channel: ONLINE_PLATE_CHANNEL,
      created_at: now,
    })),
  );
  await recordAudit(trx, {
    actor,
    entity: 'parking_user',
    entity_id: user.id,
    action: 'add_plates',
    from_state: null,
    to_state: null,
    reason: carNums.join(','),
    created_at: now,
  });
}

/** Deletes plates of the caller's own user: only those added online (channel 9); names every other. */
export async function deleteParkingPlates(
  deps: ParkingUserDeps,
  openId: string,
  input: { userId: string; carNums: readonly string[] },
  now: number,
): Promise<void> {
  const user = await callerUser(deps.db, openId, input.userId);
  await deps.db.transaction().execute(async (trx) => {
    await lockUser(trx, user.id, now);
    const plates = new Map((await listPlates(trx, user.id)).map((p) => [p.car_num, p]));
    const problems: string[] = [];
    const missing = input.carNums.filter((p) => !plates.has(p));
    if (missing.length) problems.push(`车牌号${missing.join('，')}不存在`);
    const offline = input.carNums.filter((p) => {
      const plate = plates.get(p);
      return plate !== undefined && plate.channel !== ONLINE_PLATE_CHANNEL;
    });
    if (offline.length) problems.push(`车牌号${offline.join('，')}非线上添加，不能删除`);
    if (problems.length) {
      throw DomainError.validation([
        { field: 'delCarNums', error: problems.join('；') } satisfies FieldError,
      ]);
    }
    await deletePlates(trx, user.id, input.carNums);
    await recordAudit(trx, {
      actor: `wechat:${openId}`,
      entity: 'parking_user',
      entity_id: user.id,
      action: 'delete_plates',
      from_state: null,
      to_state: null,
      reason: input.carNums.join(','),
      created_at: now,
    });
  });
}
