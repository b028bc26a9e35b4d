/**
 * How long checkLedger takes over many transfers (not part of the suite: run it by hand).
 *   node --import tsx test/modules/ledger/check-ledger.timing.ts [transfers=200000] [accounts=2000]
 * Writes the rows straight into a fresh database (TEST_DATABASE_URL or a SQLite file): 80 %
 * single-phase transfers, the rest holds of which two thirds are posted (partly) or voided, with
 * the accounts' balances set to match; then times the check, which must find nothing.
 */

import { openDatabase } from '../../../src/database.js';
import { migrateToLatest } from '../../../src/migrations.js';
import { checkLedger } from '../../../src/modules/ledger/index.js';
import { createTestDatabase } from '../../helpers/test-database.js';

const transfers = Number(process.argv[2] ?? 200_000);
const accounts = Number(process.argv[3] ?? 2_000);
const database = await createTestDatabase();
const db = openDatabase(database.url);
try {
  await migrateToLatest(db.kysely, db.dialect);
  const k = db.kysely;
  const bal = Array.from({ length: accounts + 1 }, () => [0, 0, 0, 0]); // dpost dpend cpost cpend
  await k.transaction().execute(async (trx) => {
    for (let start = 1; start <= accounts; start += 500) {
      const rows = [];
      for (let id = start; id < Math.min(start + 500, accounts + 1); id++) {
        rows.push({
          code: `acct:${id}`,
          kind: 'x',
          debits_must_not_exceed_credits: 0,
          credits_must_not_exceed_debits: 0,
          created_at: 0,
        });
      }
      await trx.insertInto('ledger_accounts').values(rows).execute();
    }
  });
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const started = Date.now();
  let id = 0;
  const batch: Array<Record<string, unknown>> = [];
  let into: typeof k = k;
  const flush = async () => {
    if (batch.length === 0) return;
    await into
      .insertInto('ledger_transfers')
      .values(batch as never)
      .execute();
    batch.length = 0;
  };
  await k.transaction().execute(async (trx) => {
    into = trx;
    while (id < transfers) {
      const debit = 1 + rand(accounts);
      const credit = 1 + ((debit + rand(accounts - 1)) % accounts);
      const amount = 1 + rand(100_000);
      const base = { debit_account_id: debit, credit_account_id: credit, ledger: 'bench', created_at: 0 };
      if (rand(10) < 8 || id + 2 > transfers) {
        batch.push({ ...base, key: `t${++id}`, kind: 'posted', amount, pending_id: null });
        bal[debit]![0]! += amount;
        bal[credit]![2]! += amount;
      } else {
        const pendingId = ++id;
        batch.push({ ...base, key: `t${pendingId}`, kind: 'pending', amount, pending_id: null });
        const fate = rand(3);
        if (fate === 0) {
          bal[debit]![1]! += amount;
          bal[credit]![3]! += amount;
        } else {
          const posted = fate === 1 ? 1 + rand(amount) : amount;
          const kind = fate === 1 ? 'post_pending' : 'void_pending';
          await flush();
          batch.push({ ...base, key: `t${++id}`, kind, amount: posted, pending_id: pendingId });
          if (kind === 'post_pending') {
            bal[debit]![0]! += posted;
            bal[credit]![2]! += posted;
          }
        }
      }
      if (batch.length >= 500) await flush();
    }
    await flush();
  });
  await k.transaction().execute(async (trx) => {
    for (let a = 1; a <= accounts; a++) {
      const [dpost, dpend, cpost, cpend] = bal[a]!;
      await trx
        .updateTable('ledger_accounts')
        .set({
          debits_posted: dpost!,
          debits_pending: dpend!,
          credits_posted: cpost!,
          credits_pending: cpend!,
        })
        .where('id', '=', a)
        .execute();
    }
  });
  console.log(`${db.dialect}: wrote ${id} transfers over ${accounts} accounts in ${Date.now() - started} ms`);
  for (let run = 1; run <= 2; run++) {
    const report = await checkLedger(k);
    console.log(
      `checkLedger run ${run}: ${report.elapsedMs} ms, ok=${report.ok}, ${report.transfers} transfers, ${report.problems.length} problems`,
    );
  }
} finally {
  await db.close();
  await database.drop();
}
