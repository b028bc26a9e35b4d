import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import type { Database } from '../../database.js';
import {
  balancesOfKind,
  findTransfer,
  hold,
  type OpenAccountInput,
  openAccount,
  post,
  transfer,
  voidHold,
} from '../ledger/index.js';
import {
  decrementDepositHeld,
  incrementDepositHeld,
  listDepositsHeld,
  lockDepositHeld,
} from './tenant.repository.js';

type Db = Kysely<Database>;

/**
 * The deposit the platform holds for a tenant is money in the double-entry ledger: the account
 * `tenant:<id>:deposit`, which can never pay out more than came in. Every movement is a ledger
 * transfer with an idempotency key naming what caused it, posted in the caller's transaction.
 *
 * `tenants.deposit_held` stays as the account's projection, changed in the same transaction as
 * the transfer and only when the transfer is new: it is what the tenant's row lock, its CHECK
 * (never below zero) and the pay paths' reads already stand on, so the concurrency rules of
 * reliability.md hold unchanged, and `checkDeposits` proves the two agree.
 */
export const TENANT_DEPOSIT_KIND = 'tenant_deposit';

export function depositAccount(tenantId: number): string {
  return `tenant:${tenantId}:deposit`;
}

/** The accounts deposit money comes from or goes to. */
export const DEPOSIT_COUNTERPARTS = {
  /** Money WeChat collected for us (a booking fee paid, a payment paid after we gave up on it). */
  wechat: { code: 'wechat:clearing', kind: 'clearing' },
  /** What deposits have paid towards leases (installments, booking fees set aside). */
  leases: { code: 'leases:from-deposit', kind: 'deposit_applied' },
  /** Deposits held before the ledger existed (migration 0012) and demo data. */
  opening: { code: 'ledger:opening', kind: 'opening' },
  /** Deposits refunded through WeChat: held while the refund is processing, posted when it succeeds. */
  refunds: { code: 'wechat:refunds', kind: 'clearing' },
} as const satisfies Record<string, { code: string; kind: string }>;

export type DepositCounterpart = keyof typeof DEPOSIT_COUNTERPARTS;

export interface DepositMove {
  /** Idempotency key tied to the cause: `deposit.take:<payment id>`, `credit:<out_trade_no>` … */
  key: string;
  /** Fen; nothing moves for 0. */
  amount: number;
  /** Where the money comes from (giveDeposit) or goes to (takeDeposit). */
  counterpart: DepositCounterpart;
  /** What it moves for (deposit.take, deposit.give, booking, credit, opening). */
  ledger: string;
  subject?: string | null;
  metadata?: Record<string, unknown> | null;
}

/**
 * The tenant's held deposit, the tenant's row locked until the transaction ends: what a pay may
 * still take. Every deposit movement takes this lock first, so decisions about one tenant's
 * deposit queue one after the other.
 */
export function lockDeposit(db: Db, tenantId: number): Promise<number> {
  return lockDepositHeld(db, tenantId);
}

function openDepositAccount(db: Db, tenantId: number, now: number) {
  return openAccount(
    db,
    {
      code: depositAccount(tenantId),
      kind: TENANT_DEPOSIT_KIND,
      owner: String(tenantId),
      debitsMustNotExceedCredits: true,
    },
    now,
  );
}

function openCounterpart(db: Db, counterpart: DepositCounterpart, now: number) {
  const { code, kind }: OpenAccountInput = DEPOSIT_COUNTERPARTS[counterpart];
  return openAccount(db, { code, kind }, now);
}

async function moveDeposit(
  db: Db,
  tenantId: number,
  direction: 'in' | 'out',
  move: DepositMove,
  now: number,
): Promise<void> {
  if (move.amount <= 0) return;
  await lockDepositHeld(db, tenantId);
  const deposit = depositAccount(tenantId);
  const other = DEPOSIT_COUNTERPARTS[move.counterpart].code;
  const input = {
    key: move.key,
    debit: direction === 'in' ? other : deposit,
    credit: direction === 'in' ? deposit : other,
    amount: move.amount,
    ledger: move.ledger,
    subject: move.subject ?? null,
    metadata: move.metadata ?? null,
  };
  if (await findTransfer(db, move.key)) {
    // Posted before (a replay): the ledger checks the terms are the same; nothing moves again.
    await transfer(db, input, now);
    return;
  }
  await openDepositAccount(db, tenantId, now);
  await openCounterpart(db, move.counterpart, now);
  await transfer(db, input, now);
  if (direction === 'in') {
    await incrementDepositHeld(db, tenantId, move.amount);
  } else if (!(await decrementDepositHeld(db, tenantId, move.amount))) {
    // Cannot happen while the ledger agrees (it refused the overdraft first); kept as a guard.
    throw new DomainError('conflict', '押金余额已变化，请重试');
  }
}

/**
 * Takes `move.amount` fen from the tenant's held deposit to `move.counterpart`, inside the
 * caller's transaction; the ledger refuses an overdraft (LedgerRefusal insufficient_funds, nothing
 * written), so a caller first reads what is held with `lockDeposit`.
 */
export function takeDeposit(db: Db, tenantId: number, move: DepositMove, now: number): Promise<void> {
  return moveDeposit(db, tenantId, 'out', move, now);
}

/** Puts `move.amount` fen into the tenant's held deposit from `move.counterpart`. */
export function giveDeposit(db: Db, tenantId: number, move: DepositMove, now: number): Promise<void> {
  return moveDeposit(db, tenantId, 'in', move, now);
}

/**
 * Reserves `move.amount` fen of the held deposit for `move.counterpart` as a ledger hold (pending
 * until resolveDepositHold posts or voids it), inside the caller's transaction: the deposit can
 * no longer pay it out, so `deposit_held` drops by it now, like a take. Keyed like every move; a
 * replay reserves nothing again.
 */
export async function holdDeposit(db: Db, tenantId: number, move: DepositMove, now: number): Promise<void> {
  if (move.amount <= 0) return;
  await lockDepositHeld(db, tenantId);
  const input = {
    key: move.key,
    debit: depositAccount(tenantId),
    credit: DEPOSIT_COUNTERPARTS[move.counterpart].code,
    amount: move.amount,
    ledger: move.ledger,
    subject: move.subject ?? null,
    metadata: move.metadata ?? null,
  };
  if (await findTransfer(db, move.key)) {
    await hold(db, input, now);
    return;
  }
  await openDepositAccount(db, tenantId, now);
  await openCounterpart(db, move.counterpart, now);
  await hold(db, input, now);
  if (!(await decrementDepositHeld(db, tenantId, move.amount))) {
    throw new DomainError('conflict', '押金余额已变化，请重试');
  }
}

/**
 * Resolves a hold made by holdDeposit: `post` makes it final (the money left), `void` gives it
 * back to the deposit (`deposit_held` rises by what was held). Keyed (`key`); a replay moves
 * nothing again.
 */
export async function resolveDepositHold(
  db: Db,
  tenantId: number,
  input: {
    key: string;
    pendingKey: string;
    outcome: 'post' | 'void';
    metadata?: Record<string, unknown> | null;
  },
  now: number,
): Promise<void> {
  await lockDepositHeld(db, tenantId);
  const replay = (await findTransfer(db, input.key)) !== undefined;
  const resolution = { key: input.key, pendingKey: input.pendingKey, metadata: input.metadata ?? null };
  const done =
    input.outcome === 'post' ? await post(db, resolution, now) : await voidHold(db, resolution, now);
  if (!replay && input.outcome === 'void') await incrementDepositHeld(db, tenantId, done.amount);
}

export interface DepositDisagreement {
  tenantId: number;
  /** tenants.deposit_held */
  held: number;
  /** What the ledger account may still pay out (0 without an account). */
  ledger: number;
}

/**
 * Proves every tenant's `deposit_held` equals what their ledger account holds, over one snapshot
 * (repeatable read on PostgreSQL); answers each disagreement. Run it beside checkLedger.
 */
export async function checkDeposits(db: Db): Promise<{ ok: boolean; disagreements: DepositDisagreement[] }> {
  const run = async (trx: Db) => {
    const held = await listDepositsHeld(trx);
    const accounts = await balancesOfKind(trx, TENANT_DEPOSIT_KIND);
    const inLedger = new Map<number, number>();
    for (const account of accounts) inLedger.set(Number(account.owner), account.available ?? account.net);
    const disagreements: DepositDisagreement[] = [];
    for (const tenantId of new Set([...held.keys(), ...inLedger.keys()])) {
      const h = held.get(tenantId) ?? 0;
      const l = inLedger.get(tenantId) ?? 0;
      if (h !== l) disagreements.push({ tenantId, held: h, ledger: l });
    }
    return { ok: disagreements.length === 0, disagreements };
  };
  return db.isTransaction ? run(db) : db.transaction().setIsolationLevel('repeatable read').execute(run);
}
