import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import type { RawInput } from '../../core/field-reader.js';
import { maskIdCard } from '../../core/id-card.js';
import { formatShanghaiDateTime } from '../../core/time.js';
import type { Database } from '../../database.js';
import { isUniqueViolation } from '../../platform/db/database.js';
import type { GroupCommit } from '../../platform/db/group-commit.js';
import { isTransientConflict, retrying } from '../../platform/db/transaction-retry.js';
import type { Pii } from '../../platform/pii.js';
import { sealIdCard, sealMobile } from '../../platform/pii-fields.js';
import type { OneTimeSignature } from '../../platform/replay/signature-memory.js';
import { recordAudit } from '../audit/index.js';
import {
  deleteParties,
  findOrderByNo,
  insertOrder,
  insertParty,
  listOverdueOrderIds,
  listParties,
  lockOrderByCase,
  lockOrderById,
  lockOrderByNo,
  resetDecisions,
  updateOrder,
  updateParty,
} from './escrow.repository.js';
import type { EscrowOrderRow, EscrowPartyRow } from './escrow.table.js';
import { type EscrowIsv, isvMayActFor } from './escrow-isvs.service.js';
import { enqueueEscrowNotification } from './escrow-notifications.service.js';
import {
  CASE_FIELDS,
  type EscrowPartyInput,
  type EscrowRequest,
  fieldError,
  readEscrowRequest,
  readOperateType,
  TEMPLATE_IDS,
} from './escrow-request.validation.js';
import { ESCROW_STATE_LABELS, type EscrowPartyRole, effectiveState, refusalOf } from './escrow-state.js';
import {
  canonicalJson,
  type EscrowPublicTerms,
  newAcceptanceToken,
  newHouseOrderNo,
  publicTerms,
  sha256Hex,
  specShape,
  tokenHash,
} from './escrow-terms.js';

type Db = Kysely<Database>;

export interface EscrowOrderDeps {
  db: Db;
  pii: Pii;
  /** Where the H5 pages are served: a party's URL is `${publicBaseUrl}/escrow/accept/${token}`. */
  publicBaseUrl: string;
  /** How a CREATE commits: with the CREATEs that arrive with it (platform/db/group-commit.ts), or alone. */
  commitTogether?: GroupCommit<Database> | undefined;
}

/** What operate answers, as SecondHandOrderOperateResponse names it. */
export interface OperateAnswer {
  template_id: string;
  house_order_no: string;
  /** The first buyer's URL; every party's URL is in `get`. */
  buyer_url: string;
  /** The first landlord's URL. */
  landlord_url: string;
  store_id: number | null;
}

const HOUR_MS = 3_600_000;
const ISV_ACTOR = (isv: Pick<EscrowIsv, 'appKey'>) => `isv:${isv.appKey}`;

/** The signature of the TOP request asking for a change, spent in the change's own transaction. */
export type IsvSignature = OneTimeSignature<Database>;

/**
 * tmall.alihouse.trade.order.second.house.operate: CREATE or MODIFY an invitation. The request's
 * signature is spent first thing in the transaction that makes the change, so what the ISV asked
 * for and the spent signature commit together — one commit per call — and a replay racing the
 * original on another server waits for it, then finds the signature spent.
 */
export async function operateEscrow(
  deps: EscrowOrderDeps,
  isv: Pick<EscrowIsv, 'id' | 'appKey' | 'storeIds'>,
  request: RawInput,
  now: number,
  signature?: IsvSignature,
): Promise<OperateAnswer> {
  return readOperateType(request) === 'CREATE'
    ? createInvitation(deps, isv, request, now, signature)
    : modifyInvitation(deps, isv, request, now, signature);
}

/**
 * CREATE. Idempotent per (ISV, source, source_no), held by a unique constraint: a retry — or a
 * concurrent twin, which loses the insert and runs again — answers the invitation already made,
 * with the same URLs (each token is kept sealed beside its hash). A request for the same case
 * with other terms is refused and changes nothing; MODIFY is how terms change.
 */
async function createInvitation(
  deps: EscrowOrderDeps,
  isv: Pick<EscrowIsv, 'id' | 'appKey' | 'storeIds'>,
  request: RawInput,
  now: number,
  signature: IsvSignature | undefined,
): Promise<OperateAnswer> {
  const terms = readEscrowRequest(request, now);
  if (!isvMayActFor(isv, terms.store_id)) throw new DomainError('forbidden', '无权代理该门店发起邀约');
  const canonical = canonicalJson(specShape(terms));
  const createHash = deps.pii.blindIndex(canonical, 'escrow_create');
  const transact = deps.commitTogether ?? ((work) => deps.db.transaction().execute(work));
  const attempt = () =>
    transact(async (trx) => {
      await signature?.spend(trx);
      const existing = await lockOrderByCase(trx, isv.id, terms.source, terms.source_no);
      if (existing) {
        if (existing.create_hash !== createHash) {
          throw new DomainError('conflict', '该案件号已发起邀约且内容不同，修改邀约请使用MODIFY');
        }
        return answerOf(deps, existing, await listParties(trx, Number(existing.id)));
      }
      const houseOrderNo = newHouseOrderNo(now);
      const orderRow = {
        house_order_no: houseOrderNo,
        isv_id: isv.id,
        source: terms.source,
        source_no: terms.source_no,
        ...termColumns(deps, terms, canonical, now),
        create_hash: createHash,
        state: 'inviting' as const,
        version: 1,
        created_at: now,
        updated_at: now,
      };
      const orderId = await insertOrder(trx, orderRow);
      const partyRows: Array<ReturnType<typeof newPartyRow>> = [];
      for (const [role, parties] of roles(terms)) {
        for (const [seq, party] of parties.entries()) {
          const row = newPartyRow(deps, orderId, role, seq, party, now);
          await insertParty(trx, row);
          partyRows.push(row);
        }
      }
      await recordAudit(trx, {
        actor: ISV_ACTOR(isv),
        entity: 'escrow_order',
        entity_id: houseOrderNo,
        action: 'create',
        from_state: null,
        to_state: 'inviting',
        reason: `${terms.source}/${terms.source_no}`,
        created_at: now,
      });
      // Answered from the rows just written: reading the order (7 KB) and its parties back cost
      // two statements a CREATE.
      return answerOf(deps, orderRow, partyRows);
    });
  return retrying(attempt, (error) => isUniqueViolation(error) || isTransientConflict(error));
}

/**
 * MODIFY: the given fields replace the stored ones (a list replaces the whole list), and the
 * result must pass every CREATE rule. Only while inviting and before the deadline. Changed terms
 * reset every acceptance already given; a party whose ID number stays keeps its token (and URL),
 * a new one gets a new token, a removed one's token stops working. The order row is locked, so a
 * concurrent accept either lands first (and is reset, or signs and this is refused) or after
 * (and sees the new terms).
 */
async function modifyInvitation(
  deps: EscrowOrderDeps,
  isv: Pick<EscrowIsv, 'id' | 'appKey' | 'storeIds'>,
  request: RawInput,
  now: number,
  signature: IsvSignature | undefined,
): Promise<OperateAnswer> {
  const houseOrderNo = String(request.house_order_no).trim();
  const attempt = () =>
    deps.db.transaction().execute(async (trx) => {
      await signature?.spend(trx);
      const order = await lockOrderByNo(trx, houseOrderNo);
      if (!order || Number(order.isv_id) !== isv.id) throw new DomainError('not_found', '订单不存在');
      const state = effectiveState(order, now);
      const refusal = refusalOf(state);
      if (refusal) throw new DomainError('illegal_transition', refusal);

      const stored = JSON.parse(deps.pii.decrypt(order.request_enc)) as Record<string, unknown>;
      for (const field of CASE_FIELDS) {
        const given = request[field];
        if (given !== undefined && given !== null && given !== '' && String(given).trim() !== stored[field]) {
          throw fieldError(field, field === 'source' ? '来源不可修改' : '案件号不可修改');
        }
      }
      const { operate_type: _t, house_order_no: _n, ...changes } = request;
      const terms = readEscrowRequest({ ...stored, ...changes }, now);
      if (!isvMayActFor(isv, terms.store_id)) throw new DomainError('forbidden', '无权代理该门店发起邀约');
      if (now >= Number(order.created_at) + terms.sign_over_time_hour * HOUR_MS) {
        throw fieldError('sign_over_time_hour', '签约超时时间已过，不能缩短至此');
      }
      const canonical = canonicalJson(specShape(terms));
      const parties = await listParties(trx, Number(order.id));
      if (sha256Hex(canonical) === order.terms_hash) return answerOf(deps, order, parties);

      const columns = termColumns(deps, terms, canonical, Number(order.created_at));
      await updateOrder(trx, Number(order.id), { ...columns, version: order.version + 1, updated_at: now });
      const reset = parties.filter((p) => p.accepted_at !== null).length;
      await resetDecisions(trx, Number(order.id));
      await reconcileParties(deps, trx, Number(order.id), parties, terms, now);
      await recordAudit(trx, {
        actor: ISV_ACTOR(isv),
        entity: 'escrow_order',
        entity_id: order.house_order_no,
        action: 'modify',
        from_state: 'inviting',
        to_state: 'inviting',
        reason: reset ? `已重置${reset}个应约` : null,
        created_at: now,
      });
      const updated = await lockOrderById(trx, Number(order.id));
      return answerOf(deps, updated!, await listParties(trx, Number(order.id)));
    });
  return retrying(attempt, (error) => isUniqueViolation(error) || isTransientConflict(error));
}

/** Keeps each party whose ID number is still in its role (and its token); adds and removes the rest. */
async function reconcileParties(
  deps: EscrowOrderDeps,
  trx: Db,
  orderId: number,
  existing: readonly EscrowPartyRow[],
  terms: EscrowRequest,
  now: number,
): Promise<void> {
  const unused = new Map(existing.map((p) => [Number(p.id), p]));
  for (const [role, parties] of roles(terms)) {
    for (const [seq, party] of parties.entries()) {
      const hash = sealIdCard(deps.pii, party.card_no).id_card_hash;
      const same = [...unused.values()].find((p) => p.role === role && p.id_card_hash === hash);
      if (!same) {
        await insertParty(trx, newPartyRow(deps, orderId, role, seq, party, now));
        continue;
      }
      unused.delete(Number(same.id));
      const {
        order_id: _o,
        token_hash: _h,
        token_enc: _e,
        created_at: _c,
        ...fields
      } = newPartyRow(deps, orderId, role, seq, party, now);
      await updateParty(trx, Number(same.id), fields);
    }
  }
  await deleteParties(trx, [...unused.keys()]);
}

/** tmall.alihouse.trade.order.second.house.get (our extension): the ISV's invitation as it stands. */
export async function getEscrowOrder(
  deps: EscrowOrderDeps,
  isv: Pick<EscrowIsv, 'id'>,
  request: RawInput,
  now: number,
) {
  const houseOrderNo = typeof request.house_order_no === 'string' ? request.house_order_no.trim() : '';
  if (!houseOrderNo) throw fieldError('house_order_no', '订单号不能为空');
  const order = await findOrderByNo(deps.db, houseOrderNo);
  if (!order || Number(order.isv_id) !== isv.id) throw new DomainError('not_found', '订单不存在');
  const parties = await listParties(deps.db, Number(order.id));
  const state = effectiveState(order, now);
  return {
    house_order_no: order.house_order_no,
    template_id: order.template_id,
    service_type: order.service_type,
    store_id: order.store_id === null ? null : Number(order.store_id),
    source: order.source,
    source_no: order.source_no,
    state,
    state_label: ESCROW_STATE_LABELS[state],
    sign_over_time_hour: order.sign_over_time_hour,
    created_at: Number(order.created_at),
    deadline_at: Number(order.deadline_at),
    terms_hash: order.terms_hash,
    terms: JSON.parse(order.terms_json) as EscrowPublicTerms,
    parties: parties.map((p) => ({
      role: p.role,
      seq: p.seq,
      name: p.name,
      cert_type: p.cert_type,
      card_no: p.id_card_masked,
      phone: p.phone_masked,
      out_id: p.out_id,
      url: acceptanceUrl(deps, deps.pii.decrypt(p.token_enc)),
      accepted_at: p.accepted_at === null ? null : Number(p.accepted_at),
      declined_at: p.declined_at === null ? null : Number(p.declined_at),
      decline_reason: p.decline_reason,
    })),
  };
}

/** Job escrow.close-overdue: every inviting invitation past its deadline becomes timed_out. */
export async function closeOverdueInvitations(deps: { db: Db }, now: number): Promise<number> {
  let closed = 0;
  for (;;) {
    const ids = await listOverdueOrderIds(deps.db, now, 100);
    for (const id of ids) {
      const done = await retrying(
        () =>
          deps.db.transaction().execute(async (trx) => {
            const order = await lockOrderById(trx, id);
            if (order?.state !== 'inviting' || Number(order.deadline_at) > now) return false;
            await updateOrder(trx, id, { state: 'timed_out', version: order.version + 1, updated_at: now });
            await enqueueEscrowNotification(trx, {
              order,
              event: 'timed_out',
              state: 'timed_out',
              data: { deadline_at: formatShanghaiDateTime(Number(order.deadline_at)) },
              dedupeKey: `timed_out:${id}`,
              now,
            });
            await recordAudit(trx, {
              actor: 'system',
              entity: 'escrow_order',
              entity_id: order.house_order_no,
              action: 'time_out',
              from_state: 'inviting',
              to_state: 'timed_out',
              reason: `签约超时${order.sign_over_time_hour}小时`,
              created_at: now,
            });
            return true;
          }),
        isTransientConflict,
      );
      if (done) closed += 1;
    }
    if (ids.length < 100) return closed;
  }
}

export function acceptanceUrl(deps: Pick<EscrowOrderDeps, 'publicBaseUrl'>, token: string): string {
  return `${deps.publicBaseUrl.replace(/\/+$/, '')}/escrow/accept/${token}`;
}

function roles(terms: EscrowRequest): Array<[EscrowPartyRole, readonly EscrowPartyInput[]]> {
  return [
    ['buyer', terms.buyer_infos],
    ['landlord', terms.landlord_infos],
  ];
}

/** The order's columns that follow from its terms. */
function termColumns(deps: EscrowOrderDeps, terms: EscrowRequest, canonical: string, createdAt: number) {
  return {
    template_id: TEMPLATE_IDS[terms.service_type],
    service_type: terms.service_type,
    store_id: terms.store_id,
    request_enc: deps.pii.encrypt(canonical),
    terms_json: JSON.stringify(publicTerms(terms)),
    terms_hash: sha256Hex(canonical),
    sign_over_time_hour: terms.sign_over_time_hour,
    deadline_at: createdAt + terms.sign_over_time_hour * HOUR_MS,
  };
}

function newPartyRow(
  deps: EscrowOrderDeps,
  orderId: number,
  role: EscrowPartyRole,
  seq: number,
  party: EscrowPartyInput,
  now: number,
) {
  const token = newAcceptanceToken();
  const phone = sealMobile(deps.pii, party.phone);
  return {
    order_id: orderId,
    role,
    seq,
    name: party.name,
    cert_type: party.cert_type,
    ...sealIdCard(deps.pii, party.card_no),
    id_card_masked: maskIdCard(party.card_no),
    phone_enc: phone.mobile_enc,
    phone_hash: phone.mobile_hash,
    phone_masked: phone.mobile_masked,
    out_id: party.out_id,
    token_hash: tokenHash(token),
    token_enc: deps.pii.encrypt(token),
    created_at: now,
  };
}

function answerOf(
  deps: EscrowOrderDeps,
  order: Pick<EscrowOrderRow, 'template_id' | 'house_order_no' | 'store_id'>,
  parties: ReadonlyArray<Pick<EscrowPartyRow, 'role' | 'seq' | 'token_enc'>>,
): OperateAnswer {
  const first = (role: EscrowPartyRole) => {
    const party = parties.filter((p) => p.role === role).sort((a, b) => a.seq - b.seq)[0];
    return party ? acceptanceUrl(deps, deps.pii.decrypt(party.token_enc)) : '';
  };
  return {
    template_id: order.template_id,
    house_order_no: order.house_order_no,
    buyer_url: first('buyer'),
    landlord_url: first('landlord'),
    store_id: order.store_id === null ? null : Number(order.store_id),
  };
}
