import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { type Clock, systemClock } from '../../platform/clock.js';
import { isTransientConflict, retrying } from '../../platform/db/transaction-retry.js';
import {
  balance,
  checkLedger,
  type HistoryOptions,
  history,
  hold,
  type OpenAccountInput,
  openAccount,
  type PostInput,
  post,
  type ResolveInput,
  type TransferInput,
  transfer,
  voidHold,
} from './ledger.service.js';

export interface LedgerModuleDeps {
  db: Kysely<Database>;
  clock?: Clock;
}

/**
 * The double-entry ledger: the one place held money moves. Each use case here runs in its own
 * transaction, run again when PostgreSQL aborts it for a deadlock or serialization failure (it
 * wrote nothing then). Modules that post inside their own transaction call the functions of
 * ledger.service.ts (exported by index.ts) with their transaction first, and retry that.
 */
export function createLedgerModule(deps: LedgerModuleDeps) {
  const { db } = deps;
  const clock = deps.clock ?? systemClock;
  const own = <T>(work: (trx: Kysely<Database>) => Promise<T>) =>
    retrying(() => db.transaction().execute(work), isTransientConflict);
  return {
    openAccount: (input: OpenAccountInput) => own((trx) => openAccount(trx, input, clock.now())),
    transfer: (input: TransferInput) => own((trx) => transfer(trx, input, clock.now())),
    hold: (input: TransferInput) => own((trx) => hold(trx, input, clock.now())),
    post: (input: PostInput) => own((trx) => post(trx, input, clock.now())),
    void: (input: ResolveInput) => own((trx) => voidHold(trx, input, clock.now())),
    balance: (code: string) => balance(db, code),
    history: (code: string, options?: HistoryOptions) => history(db, code, options),
    check: () => checkLedger(db),
  };
}

export type LedgerModule = ReturnType<typeof createLedgerModule>;
