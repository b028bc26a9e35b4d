import type { Kysely } from 'kysely';
import { DomainError, type DomainErrorCode, type FieldError } from '../../core/domain-error.js';
import type { Database } from '../../database.js';
import {
  type AccountTransferRow,
  countTransfers,
  findAccountByCode,
  findAccountById,
  findAccountIds,
  findAccountsOfKind,
  findBadResolutions,
  findBalanceMismatches,
  findFlagViolations,
  findResolutionOf,
  findTransferByKey,
  insertAccountIfAbsent,
  insertTransferIfAbsent,
  ledgerTotals,
  listAccountTransfers,
  moveBalance,
  releaseSavepoint,
  rollbackToSavepoint,
  savepoint,
} from './ledger.repository.js';
import type { LedgerAccountRow, LedgerTransferKind, LedgerTransferRow } from './ledger.table.js';

type Db = Kysely<Database>;

// ---- what callers see ----------------------------------------------------------------------

export interface LedgerAccount {
  id: number;
  code: string;
  kind: string;
  owner: string | null;
  debitsMustNotExceedCredits: boolean;
  creditsMustNotExceedDebits: boolean;
  debitsPending: number;
  debitsPosted: number;
  creditsPending: number;
  creditsPosted: number;
  createdAt: number;
}

export interface LedgerBalance extends LedgerAccount {
  /** creditsPosted − debitsPosted: what the account holds, read as a liability (negative: an asset). */
  net: number;
  /**
   * What may still leave (debits_must_not_exceed_credits: credits − debits − pending debits) or
   * still come in (credits_must_not_exceed_debits); null for an account without a limit.
   */
  available: number | null;
}

export interface LedgerTransfer {
  id: number;
  key: string;
  kind: LedgerTransferKind;
  debitAccountId: number;
  creditAccountId: number;
  amount: number;
  pendingId: number | null;
  ledger: string;
  subject: string | null;
  metadata: Record<string, unknown> | null;
  createdAt: number;
}

export interface LedgerEntry extends LedgerTransfer {
  debitCode: string;
  creditCode: string;
  /** Which side of the transfer the account asked about is on. */
  direction: 'debit' | 'credit';
}

export interface OpenAccountInput {
  code: string;
  kind: string;
  owner?: string | null;
  /** A liability such as money held for someone: it can never pay out more than came in. */
  debitsMustNotExceedCredits?: boolean;
  creditsMustNotExceedDebits?: boolean;
}

export interface TransferInput {
  /** Idempotency key: the same key with the same terms answers the transfer made the first time. */
  key: string;
  /** Code of the account debited (money leaves it). */
  debit: string;
  /** Code of the account credited (money arrives). */
  credit: string;
  /** Fen, a positive integer. */
  amount: number;
  /** What the money moves for, e.g. escrow.fund. */
  ledger: string;
  subject?: string | null;
  metadata?: Record<string, unknown> | null;
}

export interface ResolveInput {
  key: string;
  /** The key of the hold being posted or voided. */
  pendingKey: string;
  metadata?: Record<string, unknown> | null;
}

export interface PostInput extends ResolveInput {
  /** Fen to post, at most the amount held; the whole hold when left out. The rest goes back. */
  amount?: number;
}

export type LedgerRefusalReason =
  | 'insufficient_funds'
  | 'key_reused'
  | 'account_exists'
  | 'already_resolved'
  | 'not_pending'
  | 'exceeds_pending';

/** A refusal of the ledger's, with a reason a caller can branch on; no fen moved. */
export class LedgerRefusal extends DomainError {
  readonly reason: LedgerRefusalReason;
  constructor(code: DomainErrorCode, reason: LedgerRefusalReason, message: string) {
    super(code, message);
    this.name = 'LedgerRefusal';
    this.reason = reason;
  }
}

// ---- input rules ---------------------------------------------------------------------------

const MAX_TEXT = 200;

function text(errors: FieldError[], field: string, label: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    errors.push({ field, error: `${label}不能为空` });
    return '';
  }
  if (value.length > MAX_TEXT || /\s/.test(value)) {
    errors.push({ field, error: `${label}不能含空白且不超过${MAX_TEXT}个字符` });
  }
  return value;
}

function fen(errors: FieldError[], field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    errors.push({ field, error: '金额必须是正整数（分）' });
    return 0;
  }
  return value;
}

function optionalText(errors: FieldError[], field: string, label: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > MAX_TEXT) {
    errors.push({ field, error: `${label}必须是不超过${MAX_TEXT}个字符的文本` });
    return null;
  }
  return value;
}

function metadataText(errors: FieldError[], value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    errors.push({ field: 'metadata', error: '附加信息必须是对象' });
    return null;
  }
  return JSON.stringify(value);
}

function throwIfAny(errors: FieldError[]): void {
  if (errors.length > 0) throw DomainError.validation(errors);
}

// ---- rows to values ------------------------------------------------------------------------

function toAccount(row: LedgerAccountRow): LedgerAccount {
  return {
    id: Number(row.id),
    code: row.code,
    kind: row.kind,
    owner: row.owner,
    debitsMustNotExceedCredits: Number(row.debits_must_not_exceed_credits) === 1,
    creditsMustNotExceedDebits: Number(row.credits_must_not_exceed_debits) === 1,
    debitsPending: Number(row.debits_pending),
    debitsPosted: Number(row.debits_posted),
    creditsPending: Number(row.credits_pending),
    creditsPosted: Number(row.credits_posted),
    createdAt: Number(row.created_at),
  };
}

function toBalance(account: LedgerAccount): LedgerBalance {
  const net = account.creditsPosted - account.debitsPosted;
  let available: number | null = null;
  if (account.debitsMustNotExceedCredits) available = net - account.debitsPending;
  if (account.creditsMustNotExceedDebits) available = -net - account.creditsPending;
  return { ...account, net, available };
}

function toTransfer(row: LedgerTransferRow): LedgerTransfer {
  return {
    id: Number(row.id),
    key: row.key,
    kind: row.kind,
    debitAccountId: Number(row.debit_account_id),
    creditAccountId: Number(row.credit_account_id),
    amount: Number(row.amount),
    pendingId: row.pending_id === null ? null : Number(row.pending_id),
    ledger: row.ledger,
    subject: row.subject,
    metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as Record<string, unknown>),
    createdAt: Number(row.created_at),
  };
}

function toEntry(row: AccountTransferRow, accountId: number): LedgerEntry {
  return {
    ...toTransfer(row),
    debitCode: row.debit_code,
    creditCode: row.credit_code,
    direction: Number(row.debit_account_id) === accountId ? 'debit' : 'credit',
  };
}

// ---- transactions --------------------------------------------------------------------------

/** Runs `work` in the caller's transaction, or in one of its own when given the database. */
function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

const SAVEPOINT = 'ledger_change';

/**
 * Runs one change of the ledger under a savepoint: a refusal (or any failure) rolls back what the
 * change itself wrote, so the caller's transaction stays usable and holds nothing half-written.
 */
async function asOneChange<T>(trx: Db, work: () => Promise<T>): Promise<T> {
  await savepoint(trx, SAVEPOINT);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await rollbackToSavepoint(trx, SAVEPOINT);
    throw error;
  }
  await releaseSavepoint(trx, SAVEPOINT);
  return result;
}

// ---- accounts ------------------------------------------------------------------------------

/**
 * Opens the account named by `code`, or answers the one already open under that code when its
 * kind, owner and flags are the same; different ones are refused.
 */
export async function openAccount(db: Db, input: OpenAccountInput, now: number): Promise<LedgerAccount> {
  const errors: FieldError[] = [];
  const code = text(errors, 'code', '账户代码', input.code);
  const kind = text(errors, 'kind', '账户类型', input.kind);
  const owner = optionalText(errors, 'owner', '账户所有人', input.owner);
  const dmnec = input.debitsMustNotExceedCredits === true;
  const cmned = input.creditsMustNotExceedDebits === true;
  if (dmnec && cmned) errors.push({ field: 'flags', error: '借方不超贷方与贷方不超借方不能同时设置' });
  throwIfAny(errors);
  return inTransaction(db, async (trx) => {
    await insertAccountIfAbsent(trx, {
      code,
      kind,
      owner,
      debits_must_not_exceed_credits: dmnec ? 1 : 0,
      credits_must_not_exceed_debits: cmned ? 1 : 0,
      created_at: now,
    });
    const account = toAccount((await findAccountByCode(trx, code))!);
    if (
      account.kind !== kind ||
      account.owner !== owner ||
      account.debitsMustNotExceedCredits !== dmnec ||
      account.creditsMustNotExceedDebits !== cmned
    ) {
      throw new LedgerRefusal('conflict', 'account_exists', `账户 ${code} 已存在且类型、所有人或规则不同`);
    }
    return account;
  });
}

export async function balance(db: Db, code: string): Promise<LedgerBalance> {
  const row = await findAccountByCode(db, code);
  if (!row) throw new DomainError('not_found', `账户 ${code} 不存在`);
  return toBalance(toAccount(row));
}

export interface HistoryOptions {
  limit?: number;
  /** Only transfers with ids below this one: the next page after the last id seen. */
  beforeId?: number;
}

/** The account's transfers, newest first (50 by default, at most 500). */
export async function history(db: Db, code: string, options: HistoryOptions = {}): Promise<LedgerEntry[]> {
  const row = await findAccountByCode(db, code);
  if (!row) throw new DomainError('not_found', `账户 ${code} 不存在`);
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 50), 1), 500);
  const id = Number(row.id);
  return (await listAccountTransfers(db, id, limit, options.beforeId)).map((r) => toEntry(r, id));
}

/** The balances of every account of one kind, oldest account first. */
export async function balancesOfKind(db: Db, kind: string): Promise<LedgerBalance[]> {
  return (await findAccountsOfKind(db, kind)).map((row) => toBalance(toAccount(row)));
}

/** The transfer made under `key`, if one was: lets a caller tell a first posting from a replay. */
export async function findTransfer(db: Db, key: string): Promise<LedgerTransfer | undefined> {
  const row = await findTransferByKey(db, key);
  return row && toTransfer(row);
}

// ---- transfers -----------------------------------------------------------------------------

interface Terms {
  kind: LedgerTransferKind;
  debitAccountId: number;
  creditAccountId: number;
  amount: number;
  pendingId: number | null;
  ledger: string;
  subject: string | null;
}

function sameTerms(row: LedgerTransferRow, terms: Terms): boolean {
  return (
    row.kind === terms.kind &&
    Number(row.debit_account_id) === terms.debitAccountId &&
    Number(row.credit_account_id) === terms.creditAccountId &&
    Number(row.amount) === terms.amount &&
    (row.pending_id === null ? null : Number(row.pending_id)) === terms.pendingId &&
    row.ledger === terms.ledger &&
    row.subject === terms.subject
  );
}

/** A key already used: its transfer when the terms are the same, a refusal otherwise. */
function replay(row: LedgerTransferRow, terms: Terms): LedgerTransfer {
  if (!sameTerms(row, terms)) {
    throw new LedgerRefusal('conflict', 'key_reused', `幂等键 ${row.key} 已用于另一笔不同条件的转账`);
  }
  return toTransfer(row);
}

/** Says why an account refused a change: what it could still give or take, and what was asked. */
async function insufficient(trx: Db, accountId: number, amount: number): Promise<LedgerRefusal> {
  const account = toBalance(toAccount((await findAccountById(trx, accountId))!));
  return new LedgerRefusal(
    'conflict',
    'insufficient_funds',
    `余额不足：账户 ${account.code} 可用 ${account.available ?? 0} 分，需要 ${amount} 分`,
  );
}

/**
 * Applies a transfer's effect on its two accounts, the account with the smaller id first so that
 * concurrent transfers over the same accounts take their row locks in one order and never
 * deadlock. Each side is one conditional UPDATE; a side that refuses throws (the caller's
 * savepoint then undoes the other side and the transfer row).
 */
async function applyToAccounts(
  trx: Db,
  debitId: number,
  creditId: number,
  change: { posted: number; pending: number },
  asked: number,
): Promise<void> {
  const debit = async () => {
    if (!(await moveBalance(trx, debitId, 'debits', change.posted, change.pending)))
      throw await insufficient(trx, debitId, asked);
  };
  const credit = async () => {
    if (!(await moveBalance(trx, creditId, 'credits', change.posted, change.pending)))
      throw await insufficient(trx, creditId, asked);
  };
  for (const side of debitId < creditId ? [debit, credit] : [credit, debit]) await side();
}

function transferTerms(input: TransferInput) {
  const errors: FieldError[] = [];
  const key = text(errors, 'key', '幂等键', input.key);
  const debit = text(errors, 'debit', '借方账户', input.debit);
  const credit = text(errors, 'credit', '贷方账户', input.credit);
  const amount = fen(errors, 'amount', input.amount);
  const ledger = text(errors, 'ledger', '用途', input.ledger);
  const subject = optionalText(errors, 'subject', '业务对象', input.subject);
  const metadata = metadataText(errors, input.metadata);
  if (debit && debit === credit) errors.push({ field: 'credit', error: '借方账户与贷方账户不能相同' });
  throwIfAny(errors);
  return { key, debit, credit, amount, ledger, subject, metadata };
}

async function createTransfer(
  db: Db,
  kind: 'posted' | 'pending',
  input: TransferInput,
  now: number,
): Promise<LedgerTransfer> {
  const t = transferTerms(input);
  return inTransaction(db, (trx) =>
    asOneChange(trx, async () => {
      const ids = await findAccountIds(trx, [t.debit, t.credit]);
      const debitAccountId = ids.get(t.debit);
      const creditAccountId = ids.get(t.credit);
      const missing = [t.debit, t.credit].filter((code) => !ids.has(code));
      if (debitAccountId === undefined || creditAccountId === undefined) {
        throw new DomainError('not_found', `账户 ${missing.join('、')} 不存在`);
      }
      const terms: Terms = {
        kind,
        debitAccountId,
        creditAccountId,
        amount: t.amount,
        pendingId: null,
        ledger: t.ledger,
        subject: t.subject,
      };
      const existing = await findTransferByKey(trx, t.key);
      if (existing) return replay(existing, terms);
      const row = await insertTransferIfAbsent(trx, {
        key: t.key,
        kind,
        debit_account_id: debitAccountId,
        credit_account_id: creditAccountId,
        amount: t.amount,
        pending_id: null,
        ledger: t.ledger,
        subject: t.subject,
        metadata: t.metadata,
        created_at: now,
      });
      // A concurrent posting with this key committed first: answer its transfer.
      if (!row) return replay((await findTransferByKey(trx, t.key))!, terms);
      const change = kind === 'posted' ? { posted: t.amount, pending: 0 } : { posted: 0, pending: t.amount };
      await applyToAccounts(trx, debitAccountId, creditAccountId, change, t.amount);
      return toTransfer(row);
    }),
  );
}

/**
 * Moves `amount` fen from the debit account to the credit account at once. Idempotent by key;
 * refused with LedgerRefusal 'insufficient_funds' (nothing written) when either account's flag
 * would be broken. Takes the caller's transaction first, so another module posts inside its own.
 */
export function transfer(db: Db, input: TransferInput, now: number): Promise<LedgerTransfer> {
  return createTransfer(db, 'posted', input, now);
}

/** Reserves `amount` fen (pending on both accounts, counted against their flags) until post or void. */
export function hold(db: Db, input: TransferInput, now: number): Promise<LedgerTransfer> {
  return createTransfer(db, 'pending', input, now);
}

async function resolve(
  db: Db,
  kind: 'post_pending' | 'void_pending',
  input: PostInput,
  now: number,
): Promise<LedgerTransfer> {
  const errors: FieldError[] = [];
  const key = text(errors, 'key', '幂等键', input.key);
  const pendingKey = text(errors, 'pendingKey', '冻结的幂等键', input.pendingKey);
  const asked =
    kind === 'post_pending' && input.amount !== undefined ? fen(errors, 'amount', input.amount) : undefined;
  const metadata = metadataText(errors, input.metadata);
  throwIfAny(errors);
  return inTransaction(db, (trx) =>
    asOneChange(trx, async () => {
      const pending = await findTransferByKey(trx, pendingKey);
      if (!pending) throw new DomainError('not_found', `冻结 ${pendingKey} 不存在`);
      if (pending.kind !== 'pending') {
        throw new LedgerRefusal(
          'illegal_transition',
          'not_pending',
          `${pendingKey} 不是冻结，不能过账或撤销`,
        );
      }
      const held = Number(pending.amount);
      if (asked !== undefined && asked > held) {
        throw new LedgerRefusal('conflict', 'exceeds_pending', `过账金额 ${asked} 分超过冻结的 ${held} 分`);
      }
      const amount = kind === 'void_pending' ? held : (asked ?? held);
      const terms: Terms = {
        kind,
        debitAccountId: Number(pending.debit_account_id),
        creditAccountId: Number(pending.credit_account_id),
        amount,
        pendingId: Number(pending.id),
        ledger: pending.ledger,
        subject: pending.subject,
      };
      const alreadyResolved = async () => {
        const existing = await findTransferByKey(trx, key);
        if (existing) return replay(existing, terms);
        const resolution = await findResolutionOf(trx, terms.pendingId!);
        const how = resolution?.kind === 'void_pending' ? '撤销' : '过账';
        throw new LedgerRefusal('illegal_transition', 'already_resolved', `冻结 ${pendingKey} 已${how}`);
      };
      const row = await insertTransferIfAbsent(trx, {
        key,
        kind,
        debit_account_id: terms.debitAccountId,
        credit_account_id: terms.creditAccountId,
        amount,
        pending_id: terms.pendingId,
        ledger: terms.ledger,
        subject: terms.subject,
        metadata,
        created_at: now,
      });
      if (!row) return alreadyResolved();
      const posted = kind === 'post_pending' ? amount : 0;
      await applyToAccounts(
        trx,
        terms.debitAccountId,
        terms.creditAccountId,
        { posted, pending: -held },
        amount,
      );
      return toTransfer(row);
    }),
  );
}

/** Posts `amount` (default: all) of a hold; the rest returns to the accounts. Once per hold. */
export function post(db: Db, input: PostInput, now: number): Promise<LedgerTransfer> {
  return resolve(db, 'post_pending', input, now);
}

/** Releases a hold in full. Once per hold; a hold posted cannot be voided and vice versa. */
export function voidHold(db: Db, input: ResolveInput, now: number): Promise<LedgerTransfer> {
  return resolve(db, 'void_pending', { ...input, amount: undefined }, now);
}

// ---- the whole-ledger check ----------------------------------------------------------------

export type LedgerProblem =
  | {
      problem: 'balance_mismatch';
      accountId: number;
      code: string;
      field: 'debits_posted' | 'debits_pending' | 'credits_posted' | 'credits_pending';
      recorded: number;
      expected: number;
    }
  | { problem: 'totals_unbalanced'; side: 'posted' | 'pending'; debits: number; credits: number }
  | { problem: 'flag_violated'; accountId: number; code: string; detail: string }
  | { problem: 'bad_resolution'; transferId: number; key: string; pendingId: number; detail: string };

export interface LedgerCheckReport {
  ok: boolean;
  accounts: number;
  transfers: number;
  totals: { debitsPosted: number; creditsPosted: number; debitsPending: number; creditsPending: number };
  problems: LedgerProblem[];
  elapsedMs: number;
}

const BALANCE_FIELDS = ['debits_posted', 'debits_pending', 'credits_posted', 'credits_pending'] as const;

/**
 * Proves the ledger adds up, over the whole database, with aggregate statements (no per-row
 * loop): every account's four balances equal the sums of its transfers, total debits equal total
 * credits (posted and pending), no account breaks its sign or flag, and every post or void fits
 * its hold. Reads one snapshot on PostgreSQL (repeatable read) so concurrent postings cannot
 * show up as a false disagreement.
 */
export async function checkLedger(db: Db): Promise<LedgerCheckReport> {
  const started = performance.now();
  const run = async (trx: Db) => ({
    mismatches: await findBalanceMismatches(trx),
    totals: await ledgerTotals(trx),
    transfers: await countTransfers(trx),
    violations: await findFlagViolations(trx),
    badResolutions: await findBadResolutions(trx),
  });
  const found = db.isTransaction
    ? await run(db)
    : await db.transaction().setIsolationLevel('repeatable read').execute(run);
  const problems: LedgerProblem[] = [];
  for (const row of found.mismatches) {
    for (const field of BALANCE_FIELDS) {
      const recorded = Number(row[field]);
      const expected = Number(row[`expected_${field}`]);
      if (recorded !== expected) {
        problems.push({
          problem: 'balance_mismatch',
          accountId: Number(row.id),
          code: row.code,
          field,
          recorded,
          expected,
        });
      }
    }
  }
  const totals = {
    debitsPosted: Number(found.totals.debits_posted),
    creditsPosted: Number(found.totals.credits_posted),
    debitsPending: Number(found.totals.debits_pending),
    creditsPending: Number(found.totals.credits_pending),
  };
  if (totals.debitsPosted !== totals.creditsPosted) {
    problems.push({
      problem: 'totals_unbalanced',
      side: 'posted',
      debits: totals.debitsPosted,
      credits: totals.creditsPosted,
    });
  }
  if (totals.debitsPending !== totals.creditsPending) {
    problems.push({
      problem: 'totals_unbalanced',
      side: 'pending',
      debits: totals.debitsPending,
      credits: totals.creditsPending,
    });
  }
  for (const row of found.violations) {
    const a = toAccount(row);
    problems.push({
      problem: 'flag_violated',
      accountId: a.id,
      code: a.code,
      detail: `debits ${a.debitsPosted}+${a.debitsPending} pending, credits ${a.creditsPosted}+${a.creditsPending} pending${
        a.debitsMustNotExceedCredits ? ', debits_must_not_exceed_credits' : ''
      }${a.creditsMustNotExceedDebits ? ', credits_must_not_exceed_debits' : ''}`,
    });
  }
  for (const row of found.badResolutions) {
    problems.push({
      problem: 'bad_resolution',
      transferId: Number(row.id),
      key: row.key,
      pendingId: Number(row.pending_id),
      detail: `${row.kind} of a ${row.pending_kind} transfer does not match it (kind, accounts or amount)`,
    });
  }
  return {
    ok: problems.length === 0,
    accounts: Number(found.totals.accounts),
    transfers: found.transfers,
    totals,
    problems,
    elapsedMs: Math.round(performance.now() - started),
  };
}
