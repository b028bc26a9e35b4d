import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { DomainError, type FieldError } from '../../core/domain-error.js';
import { fenToYuanString } from '../../core/money.js';
import type { Database } from '../../database.js';
import { isUniqueViolation } from '../../platform/db/database.js';
import type { GroupCommit } from '../../platform/db/group-commit.js';
import { isTransientConflict, retrying } from '../../platform/db/transaction-retry.js';
import type { Pii } from '../../platform/pii.js';
import { type StoredUpload, UploadRefusedError, type UploadStorage } from '../../platform/storage/index.js';
import { recordAudit } from '../audit/index.js';
import {
  openPayment,
  type PaymentDeps,
  type PaymentHook,
  type PaymentRow,
  payWithRetries,
  type RefundRow,
  requestJsapiPay,
  requestRefund,
} from '../payments/index.js';
import { findUserIdByOpenId } from './parking.repository.js';
import type { ParkingCardRow, ParkingExtraRow, ParkingOrderRow } from './parking.table.js';
import { openExtraInfo, sealExtraInfo } from './parking-extra-info.js';
import { isParkingUnitType, type ParkingUnitType, termOf } from './parking-order-dates.js';
import * as repo from './parking-orders.repository.js';
import {
  nextCardState,
  type ParkingAuditState,
  type ParkingCardState,
  type ParkingOrderState,
} from './parking-state.js';

type Db = Kysely<Database>;

/** The payments purpose of a parking order; its subject is the order's id. */
export const PARKING_ORDER_PURPOSE = 'parking_order';
/** How long an order may wait for its payment (the pay call's `period`). */
export const PARKING_PAY_PERIOD_S = 300;
const PAY_PERIOD_MS = PARKING_PAY_PERIOD_S * 1000;
/** The file name the page gives an extra-info slot without a file. */
export const EMPTY_FILE_SLOT = 'rentForBeiLiGongTempPic';
/** The form field every file of an order is sent under, slot after slot (spec 5, call 6). */
const FILES_FIELD = 'files';

const USER_NOT_FOUND = '用户不存在';
const CARD_NOT_FOUND = '卡不存在';
const ORDER_NOT_FOUND = '订单不存在';
const OPEN_ORDER = '存在未完成的订单';

export interface ParkingOrderDeps {
  db: Db;
  /** Seals the order's extra infos; the uploads are sealed by `storage`. */
  pii: Pii;
  storage: UploadStorage;
  uploads: { maxBytes: number; maxFiles: number };
  payments: PaymentDeps;
  /** What went wrong where no caller hears of it: a reminder not sent, a stray file not deleted. */
  log: (line: string) => void;
  /** How an order commits: with the orders that arrive with it (platform/db/group-commit.ts), or alone. */
  commitTogether?: GroupCommit<Database> | undefined;
}

/** One part of the multipart renewal request, in the order it arrived. */
export type OrderPart =
  | { kind: 'field'; name: string; value: string }
  | { kind: 'file'; name: string; filename: string; stream: Readable };

interface ExtraItem {
  type: string;
  name: string;
  code: string;
  content: string;
}

type Slot = (StoredUpload & { filename: string }) | null | 'refused';

// ---- placing an order (call 6) ------------------------------------------------------------------

/**
 * The renewal / purchase order of call 6. Files stream to storage as they arrive (each checked by
 * content and size); whatever then fails — a file, a field, the transaction — every file stored
 * for this request is deleted before the error goes back, so nothing half-done stays.
 *
 * A file's flush to disk is waited for only before the order is written, not before the next
 * part is read: the request's files are flushed side by side instead of one after another, so
 * the disk's flush latency is paid once per order rather than once per file.
 */
export async function placeOrder(
  deps: ParkingOrderDeps,
  openId: string,
  parts: AsyncIterable<OrderPart>,
  now: number,
) {
  const fields: Record<string, string> = {};
  const slots: Slot[] = [];
  // Each refused file's message, by its slot: files settle in any order, the messages go in slot order.
  const fileErrors: Array<FieldError & { slot: number }> = [];
  const stored: string[] = [];
  const puts: Array<Promise<void>> = [];
  let files = 0;
  let misnamed = false;
  // A caller with no parking user is refused before any of their files is read.
  if (!(await findUserIdByOpenId(deps.db, openId))) throw new DomainError('not_found', USER_NOT_FOUND);
  // The first storage failure (not a refused file) ends the reading of parts at once: a part
  // storage stopped reading midway may never let the next one come.
  let storageFailed!: (error: unknown) => void;
  const storageFailure = new Promise<never>((_, reject) => {
    storageFailed = reject;
  });
  storageFailure.catch(() => {});
  const iterator = parts[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), storageFailure]);
      if (next.done) break;
      const part = next.value;
      if (part.kind === 'field') {
        fields[part.name] ??= part.value;
        continue;
      }
      // A file under another name has no slot: taking it would shift every document after it.
      if (part.name !== FILES_FIELD && part.name !== EMPTY_FILE_SLOT) {
        part.stream.resume();
        misnamed = true;
        continue;
      }
      const index = slots.length;
      if (part.filename === EMPTY_FILE_SLOT || part.name === EMPTY_FILE_SLOT) {
        part.stream.resume();
        slots.push(null);
        continue;
      }
      files += 1;
      slots.push('refused');
      if (files > deps.uploads.maxFiles) {
        part.stream.resume();
        if (files === deps.uploads.maxFiles + 1)
          fileErrors.push({
            slot: index,
            field: 'files',
            error: `上传文件不能超过${deps.uploads.maxFiles}个`,
          });
        continue;
      }
      // Not awaited here: the part's bytes are read now (the next part follows them), its flush
      // goes on while the next part is read.
      const put = deps.storage.put(part.stream, { maxBytes: deps.uploads.maxBytes }).then(
        (upload) => {
          stored.push(upload.key);
          slots[index] = { ...upload, filename: part.filename };
        },
        (error: unknown) => {
          // Storage may give up before it has read the part (a folder it cannot make, a failed
          // write): the rest is read and dropped, or the next part would never come.
          part.stream.resume();
          if (!(error instanceof UploadRefusedError)) {
            storageFailed(error);
            throw error;
          }
          fileErrors.push({
            slot: index,
            field: `files[${index}]`,
            error: `第${index + 1}个文件${error.message}`,
          });
        },
      );
      // Failures are read at the end; until then one must not count as unhandled.
      put.catch(() => {});
      puts.push(put);
    }
    await settleAll(puts);
    const errors = [
      ...(misnamed ? [{ field: FILES_FIELD, error: '上传文件须以字段名files提交' }] : []),
      ...fileErrors.sort((a, b) => a.slot - b.slot).map(({ field, error }) => ({ field, error })),
    ];
    return await createOrder(deps, openId, fields, slots, errors, now);
  } catch (error) {
    // The parts not read are left to the request's end; the reader is not waited for.
    iterator.return?.().catch(() => {});
    // A file still being flushed is waited for, so that it is deleted too.
    await Promise.allSettled(puts);
    await Promise.all(
      stored.map((key) =>
        // The caller hears of the order's failure, not of this: a file left would be sealed but
        // named by no order, and only this line says it is there.
        deps.storage.delete(key).catch((failure: unknown) => {
          deps.log(
            `parking upload ${key} of an order not placed was not deleted: ${failure instanceof Error ? failure.message : String(failure)}`,
          );
        }),
      ),
    );
    throw error;
  }
}

/** Waits for every promise to settle, then throws the first failure, if any. */
async function settleAll(promises: readonly Promise<void>[]): Promise<void> {
  const failed = (await Promise.allSettled(promises)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

const REQUIRED_FIELDS: ReadonlyArray<[string, string]> = [
  ['omPrCardId', '卡ID'],
  ['pmSetrentId', '产品ID'],
  ['productVId', '产品版本ID'],
  ['priceType', '产品价格类型'],
  ['userInfoId', '购买用户ID'],
  ['duplicateCode', '职工编号'],
  ['userDepartment', '所属部门'],
  ['firstOrgName', '所属一级机构名称'],
  ['firstOrgCode', '所属一级机构编号'],
  ['secondOrgName', '所属二级机构名称'],
  ['secondOrgCode', '所属二级机构编号'],
];

async function createOrder(
  deps: ParkingOrderDeps,
  openId: string,
  raw: Record<string, string>,
  slots: Slot[],
  fileErrors: FieldError[],
  now: number,
) {
  const { db } = deps;
  const input = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.trim()]));
  // The spec's example calls the staff number userCode; its field table calls it duplicateCode.
  input.duplicateCode ||= input.userCode ?? '';
  const userId = await findUserIdByOpenId(db, openId);
  if (!userId || (input.userInfoId && input.userInfoId !== userId))
    throw new DomainError('not_found', USER_NOT_FOUND);
  const card = input.omPrCardId ? await repo.findCard(db, input.omPrCardId) : undefined;
  if (input.omPrCardId && (!card || card.user_id !== userId))
    throw new DomainError('not_found', CARD_NOT_FOUND);

  const errors: FieldError[] = [];
  for (const [field, label] of REQUIRED_FIELDS)
    if (!input[field]) errors.push({ field, error: `${label}不能为空` });
  const has = (field: string) => Boolean(input[field]);
  const product = has('pmSetrentId') ? await repo.findProduct(db, input.pmSetrentId!) : undefined;
  if (has('pmSetrentId') && (!product?.active || (card && product.park_id !== card.park_id)))
    errors.push({ field: 'pmSetrentId', error: '产品不存在或已下架' });
  const version = product ? await repo.findCurrentVersion(db, product.id) : undefined;
  if (product && has('productVId') && version?.id !== input.productVId)
    errors.push({ field: 'productVId', error: '产品版本已变更，请刷新后重新下单' });
  if (has('priceType') && input.priceType !== '01' && input.priceType !== '02')
    errors.push({ field: 'priceType', error: '产品价格类型只能是01(校内)或02(校外)' });
  let count = 1;
  if (input.count !== undefined && input.count !== '') {
    count = Number(input.count);
    if (!/^\d{1,2}$/.test(input.count) || count < 1 || count > 12)
      errors.push({ field: 'count', error: '购买个数必须是1到12的整数' });
  }
  if (has('duplicateCode') && !/^[A-Za-z0-9-]{1,32}$/.test(input.duplicateCode!))
    errors.push({ field: 'duplicateCode', error: '职工编号只能是32位以内的字母、数字或-' });
  if (has('userDepartment') && input.userDepartment!.length > 64)
    errors.push({ field: 'userDepartment', error: '所属部门不能超过64个字符' });
  if (card) errors.push(...(await checkOrgs(db, card.park_id, input)));
  const extras = card ? await repo.listParkExtras(db, card.park_id) : [];
  const extraCheck = checkExtras(extras, input.extraDataJson, slots);
  errors.push(...extraCheck.errors, ...fileErrors);
  if (product && !isParkingUnitType(product.unit_type))
    throw new Error(`product ${product.id} has an unknown unit_type ${product.unit_type}`);
  if (errors.length > 0 || !card || !product || !version) throw DomainError.validation(errors);
  refuseUnless(card);

  const renewal = card.state === 1;
  // A card whose first purchase timed out (-1) is bought again by a new first purchase: placing
  // the order reopens it (-1 → 0), as the state table allows, in the order's transaction.
  const reopened = nextCardState(card.state, 'first_reopened');
  const units = product.unit_count * count;
  const unitType = product.unit_type as Parameters<typeof termOf>[0]['unitType'];
  const term = termOf(
    { cardEnd: card.end_dt === null ? null : Number(card.end_dt), renewal, unitType, units },
    now,
  );
  const unitPrice = input.priceType === '01' ? version.inside_price_fen : version.outside_price_fen;
  const review = Number(product.audit_before_pay) === 1;
  const orderId = randomUUID().replaceAll('-', '');
  const order = {
    id: orderId,
    park_id: card.park_id,
    card_id: card.id,
    user_id: userId,
    product_id: product.id,
    product_v_id: version.id,
    product_name: product.name,
    price_type: input.priceType as '01' | '02',
    unit_type: product.unit_type,
    count,
    amount_fen: Number(unitPrice) * count,
    start_dt: term.start,
    end_dt: term.end,
    order_type: renewal ? 1 : 0,
    state: '01' as const,
    is_audit_before_pay: review ? 1 : 0,
    audit_state: (review ? '02' : '01') as ParkingAuditState,
    audit_reason: null,
    audited_by: null,
    audited_at: null,
    extra_info: sealExtraInfo(deps.pii, extraCheck.items),
    first_org_name: input.firstOrgName!,
    first_org_code: input.firstOrgCode!,
    second_org_name: input.secondOrgName!,
    second_org_code: input.secondOrgCode!,
    user_department: input.userDepartment!,
    duplicate_code: input.duplicateCode!,
    out_trade_no: null,
    pay_suc_dt: null,
    prev_end_dt: card.end_dt === null ? null : Number(card.end_dt),
    expires_at: now + PAY_PERIOD_MS,
    created_at: now,
    updated_at: now,
  };
  const fileRows = extraCheck.files.map((f) => ({
    order_id: orderId,
    slot: f.slot,
    code: f.item.code,
    name: f.item.name,
    type: f.item.type,
    storage_key: f.upload.key,
    content_type: f.upload.contentType,
    size: f.upload.size,
    created_at: now,
  }));
  const transact = deps.commitTogether ?? ((work) => db.transaction().execute(work));
  let placed: ParkingOrderRow;
  try {
    placed = await retrying(
      () =>
        transact(async (trx) => {
          const locked = await repo.lockCard(trx, card.id);
          if (!locked) throw new DomainError('not_found', CARD_NOT_FOUND);
          refuseUnless(locked);
          if (locked.state !== card.state || Number(locked.end_dt) !== Number(card.end_dt))
            throw new DomainError('conflict', '卡信息已变更，请刷新后重新下单');
          await repo.insertOrder(trx, order);
          await repo.insertOrderFiles(trx, fileRows);
          const moved = await repo.moveCard(trx, card.id, card.state, {
            ...(renewal ? { state: 2 as const, renew_end_dt: term.end } : {}),
            ...(reopened === undefined ? {} : { state: reopened }),
            last_order_id: orderId,
            updated_at: now,
          });
          if (!moved) throw new DomainError('conflict', '卡信息已变更，请刷新后重新下单');
          await recordAudit(trx, {
            actor: `parking:${openId}`,
            entity: 'parking_order',
            entity_id: orderId,
            action: renewal ? 'renewal_placed' : 'first_placed',
            from_state: null,
            to_state: '01',
            reason: review ? '待审核' : null,
            created_at: now,
          });
          if (renewal) await auditCard(trx, card.id, 1, 2, `parking:${openId}`, `续费订单${orderId}`, now);
          if (reopened !== undefined)
            await auditCard(
              trx,
              card.id,
              card.state,
              reopened,
              `parking:${openId}`,
              `重新购买订单${orderId}`,
              now,
            );
          // Read back in the order's own transaction: once it commits nothing is left to fail,
          // so a placed order's files are never deleted as if it had not been.
          return (await repo.findOrder(trx, orderId))!;
        }),
      isTransientConflict,
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('illegal_transition', OPEN_ORDER);
    throw error;
  }
  return orderView(deps.pii, placed, card);
}

/** A card renewing (2) has an open order; one at 1 renews, 0 is bought, -1 bought again. */
function refuseUnless(card: ParkingCardRow): void {
  if (card.state === 2) throw new DomainError('illegal_transition', OPEN_ORDER);
}

async function checkOrgs(db: Db, parkId: string, input: Record<string, string>): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const orgs = (await repo.listParkOrgs(db, parkId)).filter((o) => Number(o.is_used) === 0);
  const first = orgs.find((o) => Number(o.level) === 1 && o.org_code === input.firstOrgCode);
  if (input.firstOrgCode && !first) errors.push({ field: 'firstOrgCode', error: '所属一级机构不存在' });
  else if (first && input.firstOrgName && first.name !== input.firstOrgName)
    errors.push({ field: 'firstOrgName', error: '所属一级机构名称与编号不符' });
  if (!first || !input.secondOrgCode) return errors;
  const second = orgs.find(
    (o) =>
      Number(o.level) === 2 && o.parent_level_code === first.level_code && o.org_code === input.secondOrgCode,
  );
  if (!second) errors.push({ field: 'secondOrgCode', error: '所属二级机构不存在或不属于该一级机构' });
  else if (input.secondOrgName && second.name !== input.secondOrgName)
    errors.push({ field: 'secondOrgName', error: '所属二级机构名称与编号不符' });
  return errors;
}

/**
 * extraDataJson against the park's extra-info slots. Files pair with items in order: one file
 * part per item, or one per picture item (text items take none); an item without a file has an
 * empty part named rentForBeiLiGongTempPic. A required text item needs content, a required
 * picture item a file.
 */
function checkExtras(extras: ParkingExtraRow[], json: string | undefined, slots: Slot[]) {
  const errors: FieldError[] = [];
  const items: Array<ExtraItem & { slot?: number }> = [];
  const files: Array<{ slot: number; item: ExtraItem; upload: StoredUpload }> = [];
  let parsed: unknown = [];
  if (json) {
    try {
      parsed = JSON.parse(json);
    } catch {
      parsed = undefined;
    }
  }
  const valid =
    Array.isArray(parsed) &&
    parsed.every(
      (x) =>
        x !== null &&
        typeof x === 'object' &&
        ['type', 'name', 'code'].every((k) => typeof (x as Record<string, unknown>)[k] === 'string') &&
        ['string', 'undefined'].includes(typeof (x as Record<string, unknown>).content),
    );
  if (!valid) {
    errors.push({ field: 'extraDataJson', error: '额外信息格式不正确，应为[{type,name,code,content}]' });
    return { errors, items, files };
  }
  const list = (parsed as ExtraItem[]).map((x) => ({ ...x, content: x.content ?? '' }));
  const seen = new Set<string>();
  for (const item of list) {
    const extra = extras.find((e) => e.code === item.code);
    if (!extra) errors.push({ field: 'extraDataJson', error: `额外信息编号${item.code}不存在` });
    else if (extra.type !== item.type || extra.name !== item.name)
      errors.push({ field: 'extraDataJson', error: `额外信息${item.code}的名称或类型与车场配置不符` });
    if (seen.has(item.code)) errors.push({ field: 'extraDataJson', error: `额外信息编号${item.code}重复` });
    if (item.type === '0' && item.content.length > 200)
      errors.push({ field: 'extraDataJson', error: `${item.name}不能超过200个字符` });
    seen.add(item.code);
  }
  const pictures = list.filter((x) => x.type === '1');
  const paired =
    slots.length === list.length ? list : slots.length === pictures.length ? pictures : undefined;
  if (!paired && slots.length > 0) errors.push({ field: 'files', error: '上传文件数量与额外信息不符' });
  const fileOf = new Map<ExtraItem, { slot: number; upload: Slot }>();
  for (const [slot, item] of (paired ?? []).entries()) fileOf.set(item, { slot, upload: slots[slot]! });
  for (const item of list) {
    const file = fileOf.get(item);
    const upload = file?.upload;
    if (item.type === '0' && upload && upload !== 'refused')
      errors.push({ field: `files[${file.slot}]`, error: `${item.name}是文本信息，不能上传文件` });
    if (item.type === '1' && upload && upload !== 'refused') {
      files.push({ slot: file.slot, item, upload });
      items.push({ type: item.type, name: item.name, code: item.code, content: '', slot: file.slot });
    } else
      items.push({
        type: item.type,
        name: item.name,
        code: item.code,
        content: item.type === '1' ? '' : item.content,
      });
  }
  for (const extra of extras) {
    if (!Number(extra.required)) continue;
    const item = list.find((x) => x.code === extra.code);
    const upload = item && fileOf.get(item)?.upload;
    if (extra.type === '0' && !item?.content)
      errors.push({ field: 'extraDataJson', error: `${extra.name}不能为空` });
    if (extra.type === '1' && !upload) errors.push({ field: 'files', error: `请上传${extra.name}` });
  }
  return { errors, items, files };
}

async function auditCard(
  trx: Db,
  cardId: string,
  from: ParkingCardState,
  to: ParkingCardState,
  actor: string,
  reason: string | null,
  now: number,
): Promise<void> {
  await recordAudit(trx, {
    actor,
    entity: 'parking_card',
    entity_id: cardId,
    action: 'state',
    from_state: String(from),
    to_state: String(to),
    reason,
    created_at: now,
  });
}

// ---- what an order looks like on the wire ------------------------------------------------------

const ms = (value: number | null) => (value === null ? '' : String(value));

/** The spec's order object (omPrOrderRentOutVo): every value a string as its example shows. */
export function orderView(pii: Pii, order: ParkingOrderRow, card: Pick<ParkingCardRow, 'card_type'>) {
  const items = openExtraInfo<ExtraItem & { slot?: number }>(pii, order.extra_info);
  return {
    omPrOrderId: order.id,
    omPrCardId: order.card_id,
    productName: order.product_name,
    productId: order.product_id,
    productVId: order.product_v_id,
    userInfoId: order.user_id,
    count: String(order.count),
    startDt: ms(Number(order.start_dt)),
    endDt: ms(Number(order.end_dt)),
    amount: fenToYuanString(Number(order.amount_fen)),
    state: order.state,
    createDt: ms(Number(order.created_at)),
    isAuditBeforePay: String(order.is_audit_before_pay),
    auditStateBeforePay: order.audit_state,
    extraInfo: items.map(({ slot, ...item }) => ({
      ...item,
      content:
        slot === undefined ? item.content : `/parking/api/order/file?omPrOrderId=${order.id}&slot=${slot}`,
    })),
    cardType: card.card_type,
    // 是否为多场联动订单: this park sells no linked orders ("1", no, in the spec's 0 yes / 1 no).
    isLink: '1',
    paySucDt: ms(order.pay_suc_dt === null ? null : Number(order.pay_suc_dt)),
    orderType: String(order.order_type),
  };
}

export type ParkingOrderView = ReturnType<typeof orderView>;

// ---- paying (call 7) ---------------------------------------------------------------------------

/**
 * WeChat JSAPI pay for the caller's own order: only an unpaid order that is not waiting for (or
 * refused by) review and still within its pay period. A retried pay answers the open payment.
 */
export async function payOrder(
  deps: ParkingOrderDeps,
  callerOpenId: string,
  input: { omPrOrderId?: string | undefined; openId?: string | undefined },
  now: number,
) {
  const errors: FieldError[] = [];
  if (!input.omPrOrderId) errors.push({ field: 'omPrOrderId', error: '订单ID不能为空' });
  if (!input.openId) errors.push({ field: 'openId', error: '微信公众号ID不能为空' });
  else if (input.openId !== callerOpenId)
    errors.push({ field: 'openId', error: '微信公众号ID与当前登录用户不符' });
  if (errors.length > 0) throw DomainError.validation(errors);
  const userId = await findUserIdByOpenId(deps.db, callerOpenId);
  const order = await repo.findOrder(deps.db, input.omPrOrderId!);
  if (!userId || !order || order.user_id !== userId) throw new DomainError('not_found', ORDER_NOT_FOUND);
  refuseToPay(order, now);
  const payment = await payWithRetries(deps.payments, () =>
    deps.db.transaction().execute(async (trx) => {
      const locked = await repo.lockOrder(trx, order.id);
      if (!locked) throw new DomainError('not_found', ORDER_NOT_FOUND);
      refuseToPay(locked, now);
      const opened = await openPayment(trx, {
        purpose: PARKING_ORDER_PURPOSE,
        subjectId: order.id,
        payer: `wechat:${callerOpenId}`,
        amount: Number(locked.amount_fen),
        channel: 'wechat_jsapi',
        now,
      });
      if (locked.out_trade_no !== opened.out_trade_no) {
        if (!(await repo.moveOrder(trx, locked, { out_trade_no: opened.out_trade_no, updated_at: now })))
          throw new DomainError('conflict', '订单状态已变更，请重试');
      }
      return opened;
    }),
  );
  const secuParam = await requestJsapiPay(deps.payments, payment, {
    description: `包月车位-${order.product_name}`.slice(0, 120),
    openId: callerOpenId,
  });
  return {
    secuParam,
    prPayId: payment.out_trade_no,
    period: PARKING_PAY_PERIOD_S,
    payState: 'CREATE' as const,
  };
}

function refuseToPay(order: ParkingOrderRow, now: number): void {
  if (order.state === '81') throw new DomainError('illegal_transition', '订单已超时关闭，请重新下单');
  if (order.state !== '01') throw new DomainError('illegal_transition', '订单已支付');
  if (Number(order.is_audit_before_pay) === 1 && order.audit_state !== '03')
    throw new DomainError(
      'illegal_transition',
      order.audit_state === '04' ? '订单审核未通过，不能支付' : '订单审核中，审核通过后才能支付',
    );
  if (Number(order.expires_at) <= now) throw new DomainError('illegal_transition', '订单已超时，请重新下单');
}

// ---- settling: the payments hook ---------------------------------------------------------------

/**
 * What a settled parking payment does, inside the payments module's settling transaction: an
 * unpaid order becomes paid (01 → 03) and its card runs on (0 → 1 first purchase, 2 → 1 renewal)
 * from the later of the payment time and the card's end. Money for an order that is no longer
 * waiting for it (timed out, or paid by another payment) is refunded in full: the refund is
 * recorded here and sent to WeChat by the payments reconciliation.
 */
export const PARKING_PAYMENT_HOOKS: Readonly<Record<string, PaymentHook>> = {
  [PARKING_ORDER_PURPOSE]: {
    async lockSubject(trx, subjectId) {
      await repo.lockOrder(trx, subjectId);
    },
    onPaid: (trx, payment, now) => settlePaidOrder(trx, payment, now),
    onPaidLate: (trx, payment, now) => refundLatePayment(trx, payment, now),
    onRefundSettled: (trx, payment, refund, now) => settleOrderRefund(trx, payment, refund, now),
  },
};

async function settlePaidOrder(trx: Db, payment: PaymentRow, now: number): Promise<void> {
  const order = await repo.lockOrder(trx, payment.subject_id);
  if (order?.state !== '01') {
    await refundLatePayment(trx, payment, now);
    return;
  }
  const card = await repo.lockCard(trx, order.card_id);
  if (!card) throw new Error(`parking order ${order.id} has no card`);
  const renewal = Number(order.order_type) === 1;
  const from: ParkingCardState = renewal ? 2 : 0;
  const paidAt = Number(payment.paid_at ?? now);
  const term = termOf(
    {
      cardEnd: card.end_dt === null ? null : Number(card.end_dt),
      renewal,
      unitType: unitTypeOf(order),
      units: (await unitCount(trx, order)) * Number(order.count),
    },
    paidAt,
  );
  const prevEnd = card.end_dt === null ? null : Number(card.end_dt);
  if (
    card.state !== from ||
    !(await repo.moveOrder(trx, order, {
      state: '03',
      pay_suc_dt: paidAt,
      start_dt: term.start,
      end_dt: term.end,
      prev_end_dt: prevEnd,
      out_trade_no: payment.out_trade_no,
      updated_at: now,
    }))
  ) {
    await refundLatePayment(trx, payment, now);
    return;
  }
  await repo.moveCard(trx, card.id, from, {
    state: 1,
    start_dt: renewal && card.start_dt !== null ? Number(card.start_dt) : term.start,
    end_dt: term.end,
    renew_end_dt: term.end,
    product_id: order.product_id,
    product_v_id: order.product_v_id,
    last_order_id: order.id,
    updated_at: now,
  });
  await auditOrder(trx, order.id, '01', '03', 'paid', `payments:${payment.out_trade_no}`, null, now);
  await auditCard(trx, card.id, from, 1, `payments:${payment.out_trade_no}`, `订单${order.id}已支付`, now);
}

/** Placement takes only products of a known unit (checked there), and an order keeps its product's. */
function unitTypeOf(order: ParkingOrderRow): ParkingUnitType {
  if (!isParkingUnitType(order.unit_type))
    throw new Error(`parking order ${order.id}: unit ${order.unit_type}`);
  return order.unit_type;
}

/** Where the card's open renewal leads when paid now, the card ending at `cardEnd`. */
async function openRenewalEnd(trx: Db, cardId: string, cardEnd: number, now: number): Promise<number | null> {
  const open = await repo.findOpenOrderOfCard(trx, cardId);
  if (!open) return null;
  const units = (await unitCount(trx, open)) * Number(open.count);
  return termOf({ cardEnd, renewal: true, unitType: unitTypeOf(open), units }, now).end;
}

/**
 * Where the card would end had its refunded orders never been paid: from its end before the first
 * order ever paid, each order still paid added again as it was paid — a renewal from the later of
 * its payment and the end so far, a purchase from its payment. Taking a refunded term off the
 * current end instead is wrong where a later order did not run on from it (the card had lapsed
 * between, so that order started at its own payment) and where a month's last days were clamped
 * (31 Jan + 1 month = 29 Feb, less a month = 29 Jan). Null when nothing still paid gives an end.
 */
async function endWithoutRefunds(trx: Db, cardId: string): Promise<number | null> {
  const paid = await repo.listPaidOrdersOfCard(trx, cardId);
  const first = paid[0];
  let end = first === undefined || first.prev_end_dt === null ? null : Number(first.prev_end_dt);
  // A card's orders are mostly of one product: its unit count is read once, not once an order.
  const unitCounts = new Map<string, number>();
  for (const order of paid) {
    if (order.state !== '03' && order.state !== '21') continue;
    let units = unitCounts.get(order.product_id);
    if (units === undefined) {
      units = await unitCount(trx, order);
      unitCounts.set(order.product_id, units);
    }
    end = termOf(
      {
        cardEnd: end,
        renewal: Number(order.order_type) === 1,
        unitType: unitTypeOf(order),
        units: units * Number(order.count),
      },
      Number(order.pay_suc_dt),
    ).end;
  }
  return end;
}

async function unitCount(trx: Db, order: ParkingOrderRow): Promise<number> {
  const product = await repo.findProduct(trx, order.product_id);
  return Number(product?.unit_count ?? 1);
}

async function refundLatePayment(trx: Db, payment: PaymentRow, now: number): Promise<void> {
  const refund = await requestRefund(trx, {
    paymentId: Number(payment.id),
    amount: Number(payment.amount),
    reason: `parking_late:${payment.subject_id}`,
    now,
  });
  await recordAudit(trx, {
    actor: `payments:${payment.out_trade_no}`,
    entity: 'parking_order',
    entity_id: payment.subject_id,
    action: 'late_payment_refunded',
    from_state: null,
    to_state: null,
    reason: refund ? `退款${refund.out_refund_no}` : '无可退金额',
    created_at: now,
  });
}

async function auditOrder(
  trx: Db,
  orderId: string,
  from: ParkingOrderState | null,
  to: ParkingOrderState,
  action: string,
  actor: string,
  reason: string | null,
  now: number,
): Promise<void> {
  await recordAudit(trx, {
    actor,
    entity: 'parking_order',
    entity_id: orderId,
    action,
    from_state: from,
    to_state: to,
    reason,
    created_at: now,
  });
}

// ---- refunds -----------------------------------------------------------------------------------

const REFUND_REASON = 'parking_refund:';

/** A refund of an order settled at WeChat: 21 → 22 and the card's time taken back, or 21 → 03. */
async function settleOrderRefund(
  trx: Db,
  payment: PaymentRow,
  refund: RefundRow,
  now: number,
): Promise<void> {
  if (!refund.reason.startsWith(REFUND_REASON)) return; // a late payment's refund: the order is not involved
  const order = await repo.lockOrder(trx, payment.subject_id);
  if (order?.state !== '21') return;
  const actor = `payments:${refund.out_refund_no}`;
  if (refund.status === 'failed') {
    if (await repo.moveOrder(trx, order, { state: '03', updated_at: now }))
      await auditOrder(trx, order.id, '21', '03', 'refund_failed', actor, refund.failure_reason, now);
    return;
  }
  if (!(await repo.moveOrder(trx, order, { state: '22', updated_at: now }))) return;
  await auditOrder(trx, order.id, '21', '22', 'refunded', actor, null, now);
  const card = await repo.lockCard(trx, order.card_id);
  if (!card || card.end_dt === null) return;
  const cardEnd = Number(card.end_dt);
  // A card none of whose orders still counts (a first purchase refunded) ends at the refund.
  const rolledBack = (await endWithoutRefunds(trx, card.id)) ?? Math.min(now, cardEnd);
  await repo.moveCard(trx, card.id, card.state, {
    end_dt: rolledBack,
    renew_end_dt: card.state === 2 ? await openRenewalEnd(trx, card.id, rolledBack, now) : rolledBack,
    updated_at: now,
  });
  await recordAudit(trx, {
    actor,
    entity: 'parking_card',
    entity_id: card.id,
    action: 'end_rolled_back',
    from_state: String(cardEnd),
    to_state: String(rolledBack),
    reason: `订单${order.id}已退款`,
    created_at: now,
  });
}
