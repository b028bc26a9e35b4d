import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { luhnValid, maskCardNumber } from '../../core/bank-card.js';
import { DomainError, type FieldError } from '../../core/domain-error.js';
import { FieldReader, type RawInput } from '../../core/field-reader.js';
import { PAGING_FIELDS, pagePosition, readPaging } from '../../core/paging.js';
import { formatShanghaiCompact, formatShanghaiDateTime } from '../../core/time.js';
import type { Database } from '../../database.js';
import { isTransientConflict, retrying } from '../../platform/db/transaction-retry.js';
import type { PayoutProvider, PayoutResult } from '../../platform/payouts/index.js';
import type { Pii } from '../../platform/pii.js';
import { recordAudit } from '../audit/index.js';
import { balance, LedgerRefusal, transfer } from '../ledger/index.js';
import type { StaffMember } from '../staff/index.js';
import { findOrderById, findOrderByNo, listParties, lockOrderById } from './escrow.repository.js';
import type { EscrowOrderRow, EscrowPartyRow } from './escrow.table.js';
import {
  claimPendingPayout,
  decideReleaseIfRequested,
  feeTaken,
  findPayout,
  findRelease,
  insertPayout,
  insertRelease,
  listPayouts,
  listReleases,
  listReleasesAfter,
  listReleasesByState,
  listUnclaimedPendingPayouts,
  lockPayout,
  lockRelease,
  movePayout,
  notePayoutUnsettled,
} from './escrow-funds.repository.js';
import {
  ESCROW_ACCOUNTS,
  ESCROW_KEYS,
  fundStatus,
  heldAccount,
  openCounterpart,
  openHeldAccount,
  payableAccount,
  serviceFeeOf,
} from './escrow-funds.service.js';
import {
  type EscrowPayoutRow,
  type EscrowReleaseRow,
  RELEASE_KINDS,
  RELEASE_STATES,
  type ReleaseKind,
  type ReleaseState,
} from './escrow-funds.table.js';
import { enqueueEscrowNotification } from './escrow-notifications.service.js';
import type { EscrowRequest } from './escrow-request.validation.js';
import { ESCROW_STATE_LABELS, effectiveState } from './escrow-state.js';

type Db = Kysely<Database>;

export interface EscrowPayoutDeps {
  db: Db;
  pii: Pii;
  payouts: PayoutProvider;
}

export const RELEASE_KIND_LABELS: Readonly<Record<ReleaseKind, string>> = { release: '放款', refund: '退款' };

const ORDER_NOT_FOUND = '监管订单不存在';

/** Escrow money is moved only by staff holding the escrow role. */
export function requireEscrowRole(staff: { roles: readonly string[] }): void {
  if (!staff.roles.includes('escrow')) throw new DomainError('forbidden', '需要资金监管权限');
}

const time = (ms: number | null) => (ms === null ? null : formatShanghaiDateTime(Number(ms)));

export function releaseView(row: EscrowReleaseRow) {
  return {
    id: Number(row.id),
    kind: row.kind,
    kind_label: RELEASE_KIND_LABELS[row.kind],
    amount: Number(row.amount),
    fee: Number(row.fee),
    state: row.state,
    reason: row.reason,
    payee_name: row.payee_name,
    payee_card_no: row.payee_card_masked,
    payee_bank: row.payee_bank,
    requested_by: row.requested_by_name,
    decided_by: row.decided_by_name,
    decided_at: time(row.decided_at),
    decision_reason: row.decision_reason,
    created_at: time(row.created_at)!,
  };
}

export function payoutView(row: EscrowPayoutRow) {
  return {
    id: Number(row.id),
    payout_no: row.payout_no,
    release_id: Number(row.release_id),
    amount: Number(row.amount),
    state: row.state,
    attempts: Number(row.attempts),
    provider_id: row.provider_id,
    failure_code: row.failure_code,
    failure_message: row.failure_message,
    created_at: time(row.created_at)!,
    updated_at: time(row.updated_at)!,
  };
}

/** The order as the escrow desk sees it: state, money from the ledger, requests and payouts. */
export async function escrowOrderView(
  deps: EscrowPayoutDeps,
  staff: StaffMember,
  houseOrderNo: string,
  now: number,
) {
  requireEscrowRole(staff);
  const order = await findOrderByNo(deps.db, houseOrderNo);
  if (!order) throw new DomainError('not_found', ORDER_NOT_FOUND);
  const state = effectiveState(order, now);
  return {
    house_order_no: order.house_order_no,
    template_id: order.template_id,
    state,
    state_label: ESCROW_STATE_LABELS[state],
    service_fee_amount: serviceFeeOf(order),
    parties: (await listParties(deps.db, Number(order.id)))
      .sort((a, b) => (a.role === b.role ? a.seq - b.seq : a.role === 'buyer' ? -1 : 1))
      .map(partyView),
    funds: await fundStatus(deps.db, order),
    releases: (await listReleases(deps.db, Number(order.id))).map(releaseView),
    payouts: (await listPayouts(deps.db, Number(order.id))).map(payoutView),
  };
}

/** A party as staff see them: masked as every back-office list masks, with their decision. */
function partyView(party: EscrowPartyRow) {
  return {
    role: party.role,
    role_label: party.role === 'buyer' ? '买方' : '房东',
    name: party.name,
    id_card_masked: party.id_card_masked,
    phone_masked: party.phone_masked,
    decision: party.accepted_at !== null ? 'accepted' : party.declined_at !== null ? 'declined' : 'pending',
    decided_at: time(party.accepted_at ?? party.declined_at),
    decline_reason: party.decline_reason,
  } as const;
}

export const RELEASE_QUEUE_FIELDS = { state: '状态', ...PAGING_FIELDS } as const;

/**
 * The checkers' queue: release and refund requests of one state (`requested` unless asked)
 * across every order, paged, each marked when the reader made it (they may not approve it).
 */
export async function releaseQueue(deps: Pick<EscrowPayoutDeps, 'db'>, staff: StaffMember, input: RawInput) {
  requireEscrowRole(staff);
  const r = new FieldReader(input, RELEASE_QUEUE_FIELDS);
  const state = r.text('state', { max: 16 }) ?? 'requested';
  if (!(RELEASE_STATES as readonly string[]).includes(state))
    r.fail('state', '状态只能是requested、approved或rejected');
  const paging = readPaging(r);
  r.done();
  const { total, rows } = await listReleasesByState(
    deps.db,
    state as ReleaseState,
    paging.offset,
    paging.pageSize,
  );
  return {
    ...pagePosition(paging, total),
    releases: rows.map(({ house_order_no, ...row }) => ({
      ...releaseView(row),
      house_order_no,
      mine: Number(row.requested_by) === staff.id,
    })),
  };
}

/** A row of the checkers' queue as the list shows it. */
export type ReleaseQueueRow = ReturnType<typeof releaseView> & { house_order_no: string; mine: boolean };

/**
 * The checkers' queue for the export: the escrow role and the state checked now, as the list
 * checks them, then keyset pages in the list's order.
 */
export function releaseQueueExportPages(
  deps: Pick<EscrowPayoutDeps, 'db'>,
  staff: StaffMember,
  input: RawInput,
) {
  requireEscrowRole(staff);
  const r = new FieldReader(input, RELEASE_QUEUE_FIELDS);
  const state = r.text('state', { max: 16 }) ?? 'requested';
  if (!(RELEASE_STATES as readonly string[]).includes(state))
    r.fail('state', '状态只能是requested、approved或rejected');
  r.done();
  return {
    state: state as ReleaseState,
    page: async (after: ReleaseQueueRow | undefined, limit: number): Promise<ReleaseQueueRow[]> =>
      (await listReleasesAfter(deps.db, state as ReleaseState, after?.id, limit)).map(
        ({ house_order_no, ...row }) => ({
          ...releaseView(row),
          house_order_no,
          mine: Number(row.requested_by) === staff.id,
        }),
      ),
  };
}

export interface ReleaseRequestInput {
  kind: unknown;
  amount: unknown;
  reason: unknown;
  /** Refunds: the buyer's card the money goes back to, and its bank. */
  payee_card_no?: unknown;
  payee_bank?: unknown;
}

/**
 * The maker's half: asks to move `amount` fen out of the order's held account, to the landlord's
 * payee card (release; the terms' card) or back to the buyer (refund; the card given). Nothing
 * moves until another escrow member approves.
 */
export async function requestRelease(
  deps: EscrowPayoutDeps,
  staff: StaffMember,
  houseOrderNo: string,
  input: ReleaseRequestInput,
  now: number,
) {
  requireEscrowRole(staff);
  const errors: FieldError[] = [];
  const kind = (RELEASE_KINDS as readonly unknown[]).includes(input.kind)
    ? (input.kind as ReleaseKind)
    : undefined;
  if (!kind) errors.push({ field: 'kind', error: '类型必须是 release（放款）或 refund（退款）' });
  const amount = input.amount;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0)
    errors.push({ field: 'amount', error: '金额必须是正整数（分）' });
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (reason === '' || [...reason].length > 200)
    errors.push({ field: 'reason', error: '原因不能为空且不超过200个字符' });
  let card: string | undefined;
  let bank: string | undefined;
  if (kind === 'refund') {
    card = typeof input.payee_card_no === 'string' ? input.payee_card_no.replace(/\s/g, '') : '';
    if (!/^\d{12,19}$/.test(card) || !luhnValid(card))
      errors.push({ field: 'payee_card_no', error: '收款银行卡号不是有效的银行卡号' });
    bank = typeof input.payee_bank === 'string' ? input.payee_bank.trim() : '';
    if (bank === '' || [...bank].length > 50)
      errors.push({ field: 'payee_bank', error: '收款银行不能为空且不超过50个字符' });
  }
  if (errors.length > 0 || !kind || typeof amount !== 'number') throw DomainError.validation(errors);
  const order = await findOrderByNo(deps.db, houseOrderNo);
  if (!order) throw new DomainError('not_found', ORDER_NOT_FOUND);
  if (effectiveState(order, now) !== 'signed')
    throw new DomainError('illegal_transition', '邀约尚未完成应约，不能放款或退款');
  const terms = JSON.parse(deps.pii.decrypt(order.request_enc)) as EscrowRequest;
  let payee: { name: string; card: string; bank: string };
  if (kind === 'release') {
    const {
      landlord_payee_name: name,
      landlord_payee_bankcard_no: number,
      landlord_payee_bank_name: bankName,
    } = terms;
    if (!name || !number || !bankName)
      throw new DomainError('illegal_transition', '邀约未提供房东收款账户（户名、卡号、开户行），不能放款');
    payee = { name, card: number, bank: bankName };
  } else {
    payee = { name: terms.buyer_infos[0]?.name ?? '', card: card!, bank: bank! };
  }
  const row = await deps.db.transaction().execute(async (trx) => {
    const inserted = await insertRelease(trx, {
      order_id: Number(order.id),
      kind,
      amount,
      fee: 0,
      reason,
      state: 'requested',
      payee_name: payee.name,
      payee_card_enc: deps.pii.encrypt(payee.card),
      payee_card_masked: maskCardNumber(payee.card),
      payee_bank: payee.bank,
      requested_by: staff.id,
      requested_by_name: staff.username,
      decided_by: null,
      decided_by_name: null,
      decided_at: null,
      decision_reason: null,
      created_at: now,
      updated_at: now,
    });
    await recordAudit(trx, {
      actor: `staff:${staff.id}`,
      entity: 'escrow_release',
      entity_id: String(inserted.id),
      action: `${kind}_requested`,
      from_state: null,
      to_state: 'requested',
      reason: `${order.house_order_no} ${amount} ${reason}`,
      created_at: now,
    });
    return inserted;
  });
  return releaseView(row);
}

/**
 * How long the server that asks the provider about a payout holds it: past this, a payout still
 * pending counts as stuck (its server died between the commit and the provider's answer, or never
 * heard back) and the job escrow.resume-payouts asks the provider again with the same number.
 * Longer than any provider call (each HTTP request is bounded at 10 s).
 */
export const PAYOUT_CLAIM_MS = 2 * 60_000;
/** When a payout the provider has not finished (or could not say) is asked about again. */
const PAYOUT_RECHECK_MS = 5 * 60_000;
/** …and, once it is older than a day (a bank transfer can take days), how often. */
const PAYOUT_RECHECK_SLOW_MS = 60 * 60_000;
/** Payouts one run of the resume job takes on. */
const RESUME_BATCH = 50;

/**
 * The number the provider is asked with for an attempt: the payout number itself the first
 * time, then `<payout_no>R<attempt>`. An attempt ends failed only on the provider's final word
 * that its number will never pay (WeChat wants a new number after FAILED), so a retry under a
 * new number cannot pay twice; an attempt in doubt is only ever asked again under its own.
 */
export function providerPayoutNo(payoutNo: string, attempt: number): string {
  return attempt <= 1 ? payoutNo : `${payoutNo}R${attempt}`;
}

function newPayoutNo(now: number): string {
  return `EP${formatShanghaiCompact(now).slice(2)}${String(randomInt(0, 1e12)).padStart(12, '0')}`;
}

/** A ledger refusal to overdraw the held account, said for the desk. */
async function insufficientHeld(trx: Db, order: EscrowOrderRow, asked: number): Promise<DomainError> {
  const held = await balance(trx, heldAccount(order.house_order_no));
  return new DomainError('conflict', `监管账户余额不足：可用${held.available ?? 0}分，本次需要${asked}分`);
}

/**
 * The checker's half, in one transaction with the order's row locked: the request must still be
 * `requested` and its maker must be someone else (the conditional UPDATE, and a CHECK); then the
 * ledger moves the money out of the held account — the landlord's share to payable-landlord and,
 * on the order's first release, the service fee to platform:fees; a refund to refund-buyer —
 * keyed by the request, and refuses to overdraw (no money leaves that is not there). A pending
 * payout is recorded; after the commit the payout provider is asked to pay it.
 */
export async function approveRelease(
  deps: EscrowPayoutDeps,
  staff: StaffMember,
  releaseId: number,
  now: number,
) {
  requireEscrowRole(staff);
  const found = await findRelease(deps.db, releaseId);
  if (!found) throw new DomainError('not_found', '放款或退款申请不存在');
  const attempt = () =>
    deps.db.transaction().execute(async (trx) => {
      const order = (await lockOrderById(trx, Number(found.order_id)))!;
      const release = (await lockRelease(trx, releaseId))!;
      // The maker is told the rule that always applies to them, whatever became of the request.
      if (Number(release.requested_by) === staff.id)
        throw new DomainError('forbidden', '申请人不能审批自己的申请，请由另一位资金监管人员审批');
      if (release.state !== 'requested')
        throw new DomainError('illegal_transition', '该申请已处理，不能重复审批');
      const no = order.house_order_no;
      const amount = Number(release.amount);
      const fee =
        release.kind === 'release' && !(await feeTaken(trx, Number(order.id))) ? serviceFeeOf(order) : 0;
      if (fee >= amount && fee > 0)
        throw new DomainError('conflict', `首笔放款须大于服务费${fee}分（服务费从中扣除）`);
      if (
        !(await decideReleaseIfRequested(trx, releaseId, {
          state: 'approved',
          decided_by: staff.id,
          decided_by_name: staff.username,
          decided_at: now,
          fee,
          decision_reason: null,
        }))
      )
        throw new DomainError('illegal_transition', '该申请已处理，不能重复审批');
      await openHeldAccount(trx, heldAccount(no), 'escrow_held', no, now);
      const payable = payableAccount(no, release.kind);
      await openHeldAccount(
        trx,
        payable,
        release.kind === 'release' ? 'escrow_payable' : 'escrow_refund',
        no,
        now,
      );
      try {
        await transfer(
          trx,
          {
            key: ESCROW_KEYS.release(releaseId),
            debit: heldAccount(no),
            credit: payable,
            amount: amount - fee,
            ledger: release.kind === 'release' ? 'escrow.release' : 'escrow.refund',
            subject: no,
            metadata: { release_id: releaseId },
          },
          now,
        );
        if (fee > 0) {
          await openCounterpart(trx, 'fees', now);
          await transfer(
            trx,
            {
              key: ESCROW_KEYS.fee(no),
              debit: heldAccount(no),
              credit: ESCROW_ACCOUNTS.fees.code,
              amount: fee,
              ledger: 'escrow.fee',
              subject: no,
              metadata: { release_id: releaseId },
            },
            now,
          );
        }
      } catch (error) {
        if (error instanceof LedgerRefusal && error.reason === 'insufficient_funds')
          throw await insufficientHeld(trx, order, amount);
        throw error;
      }
      const payout = await insertPayout(trx, {
        payout_no: newPayoutNo(now),
        release_id: releaseId,
        order_id: Number(order.id),
        amount: amount - fee,
        state: 'pending',
        attempts: 1,
        provider_id: null,
        failure_code: null,
        failure_message: null,
        created_at: now,
        updated_at: now,
        // This server asks the provider right after the commit; if it dies first, the claim
        // runs out and the resume job asks instead.
        claimed_until: now + PAYOUT_CLAIM_MS,
      });
      await enqueueEscrowNotification(trx, {
        order,
        event: release.kind === 'release' ? 'released' : 'refunded',
        state: order.state,
        data: {
          release_id: releaseId,
          amount,
          fee,
          payout_no: payout.payout_no,
          payee_card_no: release.payee_card_masked,
        },
        dedupeKey: `${release.kind}:${releaseId}`,
        now,
      });
      await recordAudit(trx, {
        actor: `staff:${staff.id}`,
        entity: 'escrow_release',
        entity_id: String(releaseId),
        action: `${release.kind}_approved`,
        from_state: 'requested',
        to_state: 'approved',
        reason: `${no} ${amount} fee ${fee} payout ${payout.payout_no}`,
        created_at: now,
      });
      return Number(payout.id);
    });
  const payoutId = await retrying(attempt, isTransientConflict);
  const payout = await executePayout(deps, payoutId, now);
  return { release: releaseView((await findRelease(deps.db, releaseId))!), payout };
}

/** The checker turns a request down; nothing moves. Not by its maker either. */
export async function rejectRelease(
  deps: EscrowPayoutDeps,
  staff: StaffMember,
  releaseId: number,
  input: { reason?: unknown },
  now: number,
) {
  requireEscrowRole(staff);
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (reason === '' || [...reason].length > 200)
    throw DomainError.validation([{ field: 'reason', error: '原因不能为空且不超过200个字符' }]);
  const found = await findRelease(deps.db, releaseId);
  if (!found) throw new DomainError('not_found', '放款或退款申请不存在');
  return deps.db.transaction().execute(async (trx) => {
    await lockOrderById(trx, Number(found.order_id));
    const release = (await lockRelease(trx, releaseId))!;
    if (Number(release.requested_by) === staff.id)
      throw new DomainError('forbidden', '申请人不能审批自己的申请，请由另一位资金监管人员审批');
    if (release.state !== 'requested')
      throw new DomainError('illegal_transition', '该申请已处理，不能重复审批');
    if (
      !(await decideReleaseIfRequested(trx, releaseId, {
        state: 'rejected',
        decided_by: staff.id,
        decided_by_name: staff.username,
        decided_at: now,
        fee: 0,
        decision_reason: reason,
      }))
    )
      throw new DomainError('illegal_transition', '该申请已处理，不能重复审批');
    await recordAudit(trx, {
      actor: `staff:${staff.id}`,
      entity: 'escrow_release',
      entity_id: String(releaseId),
      action: `${release.kind}_rejected`,
      from_state: 'requested',
      to_state: 'rejected',
      reason,
      created_at: now,
    });
    return releaseView((await findRelease(trx, releaseId))!);
  });
}

/**
 * Asks the provider to pay a pending payout (outside any transaction: a bank is never called
 * with rows locked) — the caller holds its claim — then records a final answer under the order's
 * lock, once: paid moves the money from the payable account to `payouts` (keyed by the payout
 * number, so once); failed leaves it in the payable account for a retry. An answer that is not
 * final (still at the bank, a timeout, a system error) leaves the payout pending, to be asked
 * again with the same number when its claim runs out. A payout no longer pending, or by now in
 * another attempt, is left as it is.
 */
export async function executePayout(deps: EscrowPayoutDeps, payoutId: number, now: number) {
  const payout = (await findPayout(deps.db, payoutId))!;
  if (payout.state !== 'pending') return payoutView(payout);
  const attempt = Number(payout.attempts);
  const release = (await findRelease(deps.db, Number(payout.release_id)))!;
  const order = (await findOrderById(deps.db, Number(payout.order_id)))!;
  let result: PayoutResult;
  try {
    result = await deps.payouts.transfer({
      payoutNo: providerPayoutNo(payout.payout_no, attempt),
      amount: Number(payout.amount),
      cardNo: deps.pii.decrypt(release.payee_card_enc),
      name: release.payee_name,
      bank: release.payee_bank,
      description: `${RELEASE_KIND_LABELS[release.kind]} ${order.house_order_no}`,
    });
  } catch (error) {
    // No answer is not a "no": the provider may have paid. Ask again, same number.
    result = { status: 'pending', code: 'NO_ANSWER', message: (error as Error).message };
  }
  if (result.status === 'pending') {
    const old = now - Number(payout.created_at) > 86_400_000;
    await notePayoutUnsettled(deps.db, payoutId, attempt, {
      failure_code: result.code.slice(0, 64),
      failure_message: result.message.slice(0, 200),
      claimed_until: now + (old ? PAYOUT_RECHECK_SLOW_MS : PAYOUT_RECHECK_MS),
      updated_at: now,
    });
    return payoutView((await findPayout(deps.db, payoutId))!);
  }
  const settled = result;
  const record = () =>
    deps.db.transaction().execute(async (trx) => {
      await lockOrderById(trx, Number(order.id));
      const locked = (await lockPayout(trx, payoutId))!;
      // Recorded already (another server heard the same answer first), or retried since.
      if (locked.state !== 'pending' || Number(locked.attempts) !== attempt) return locked;
      if (settled.status === 'paid') {
        await openCounterpart(trx, 'payouts', now);
        await transfer(
          trx,
          {
            key: ESCROW_KEYS.payout(locked.payout_no),
            debit: payableAccount(order.house_order_no, release.kind),
            credit: ESCROW_ACCOUNTS.payouts.code,
            amount: Number(locked.amount),
            ledger: 'escrow.payout',
            subject: order.house_order_no,
            metadata: {
              payout_no: locked.payout_no,
              provider_no: providerPayoutNo(locked.payout_no, attempt),
              provider_id: settled.providerId,
            },
          },
          now,
        );
      }
      const patch =
        settled.status === 'paid'
          ? {
              state: 'paid' as const,
              provider_id: settled.providerId,
              failure_code: null,
              failure_message: null,
            }
          : {
              state: 'failed' as const,
              failure_code: settled.code.slice(0, 64),
              failure_message: settled.message.slice(0, 200),
            };
      await movePayout(trx, payoutId, 'pending', { ...patch, claimed_until: 0, updated_at: now });
      await enqueueEscrowNotification(trx, {
        order,
        event: settled.status === 'paid' ? 'payout_paid' : 'payout_failed',
        state: order.state,
        data: {
          payout_no: locked.payout_no,
          kind: release.kind,
          release_id: Number(release.id),
          amount: Number(locked.amount),
          payee_card_no: release.payee_card_masked,
          ...(settled.status === 'paid'
            ? {}
            : { failure_code: patch.failure_code, failure_message: patch.failure_message }),
        },
        // A failed payout may be retried: each attempt's outcome is its own change.
        dedupeKey: `payout:${locked.payout_no}:${locked.attempts}`,
        now,
      });
      await recordAudit(trx, {
        actor: 'payouts',
        entity: 'escrow_payout',
        entity_id: locked.payout_no,
        action: settled.status,
        from_state: 'pending',
        to_state: patch.state,
        reason:
          settled.status === 'paid'
            ? `${providerPayoutNo(locked.payout_no, attempt)} ${settled.providerId}`
            : `${providerPayoutNo(locked.payout_no, attempt)} ${settled.code} ${settled.message}`,
        created_at: now,
      });
      return (await findPayout(trx, payoutId))!;
    });
  return payoutView(await retrying(record, isTransientConflict));
}

/**
 * The job escrow.resume-payouts: every payout still pending whose claim has run out — its
 * server died between the approval's commit and the provider's answer, or the provider had not
 * finished — is claimed by a conditional UPDATE (of several servers running this at once, one
 * wins each payout) and the provider is asked again with the same number; a final answer is
 * recorded once. Answers how many payouts it asked about.
 */
export async function resumeStuckPayouts(deps: EscrowPayoutDeps, now: number): Promise<number> {
  const stuck = await listUnclaimedPendingPayouts(deps.db, now, RESUME_BATCH);
  let asked = 0;
  let firstError: unknown;
  for (const row of stuck) {
    const id = Number(row.id);
    if (!(await claimPendingPayout(deps.db, id, Number(row.attempts), now, now + PAYOUT_CLAIM_MS))) continue;
    asked += 1;
    try {
      await executePayout(deps, id, now);
    } catch (error) {
      // Its claim runs out and a later run tries again; the others still go.
      firstError ??= error;
    }
  }
  if (firstError !== undefined) throw firstError;
  return asked;
}

/**
 * A failed payout is tried again: its next attempt, asked under that attempt's provider number
 * (the last one is final at the provider, so the money can leave at most once).
 */
export async function retryPayout(deps: EscrowPayoutDeps, staff: StaffMember, payoutId: number, now: number) {
  requireEscrowRole(staff);
  const found = await findPayout(deps.db, payoutId);
  if (!found) throw new DomainError('not_found', '付款记录不存在');
  await deps.db.transaction().execute(async (trx) => {
    await lockOrderById(trx, Number(found.order_id));
    const payout = (await lockPayout(trx, payoutId))!;
    if (payout.state !== 'failed') throw new DomainError('illegal_transition', '只有失败的付款可以重试');
    await movePayout(trx, payoutId, 'failed', {
      state: 'pending',
      attempts: Number(payout.attempts) + 1,
      updated_at: now,
      claimed_until: now + PAYOUT_CLAIM_MS,
    });
    await recordAudit(trx, {
      actor: `staff:${staff.id}`,
      entity: 'escrow_payout',
      entity_id: payout.payout_no,
      action: 'retry',
      from_state: 'failed',
      to_state: 'pending',
      reason: providerPayoutNo(payout.payout_no, Number(payout.attempts) + 1),
      created_at: now,
    });
  });
  return executePayout(deps, payoutId, now);
}
