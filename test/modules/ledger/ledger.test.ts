import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import {
  createLedgerModule,
  type LedgerModule,
  LedgerRefusal,
  openAccount,
  transfer,
} from '../../../src/modules/ledger/index.js';
import { fixedClock } from '../../../src/platform/clock.js';
import { rejectedDomainError } from '../../helpers/domain-errors.js';
import { openMigratedTestDatabase, testDialect } from '../../helpers/test-database.js';

type TestDb = Awaited<ReturnType<typeof openMigratedTestDatabase>>['db'];

const NOW = Date.parse('2024-06-01T10:00:00+08:00');

describe(`ledger (${testDialect()})`, () => {
  let db: TestDb;
  let close: () => Promise<void>;
  let ledger: LedgerModule;
  let n = 0;
  /** A code no other test has used. */
  const fresh = (name: string) => `${name}:${++n}`;

  before(async () => {
    ({ db, close } = await openMigratedTestDatabase());
    ledger = createLedgerModule({ db: db.kysely, clock: fixedClock(NOW) });
  });
  after(() => close());

  /** A clearing account (no limit) and a held account (can never go negative), funded. */
  async function funded(amount: number) {
    const clearing = fresh('wechat:clearing');
    const held = fresh('escrow:HO1:held');
    await ledger.openAccount({ code: clearing, kind: 'clearing' });
    await ledger.openAccount({
      code: held,
      kind: 'escrow_held',
      owner: 'HO1',
      debitsMustNotExceedCredits: true,
    });
    if (amount > 0) {
      await ledger.transfer({
        key: fresh('fund'),
        debit: clearing,
        credit: held,
        amount,
        ledger: 'escrow.fund',
      });
    }
    return { clearing, held };
  }

  const refusal = async (run: () => Promise<unknown>) => {
    const error = await rejectedDomainError(run);
    assert.ok(error instanceof LedgerRefusal, `expected a LedgerRefusal, got ${error.message}`);
    return error;
  };

  it('posts balanced transfers: what one account is debited the other is credited', async () => {
    const { clearing, held } = await funded(1000);
    const payouts = fresh('payouts');
    await ledger.openAccount({ code: payouts, kind: 'payouts' });
    const t = await ledger.transfer({
      key: fresh('pay'),
      debit: held,
      credit: payouts,
      amount: 300,
      ledger: 'escrow.release',
      subject: 'house_order:HO1',
      metadata: { note: 'to landlord' },
    });
    assert.equal(t.kind, 'posted');
    assert.equal(t.amount, 300);
    assert.equal(t.createdAt, NOW);
    assert.deepEqual(t.metadata, { note: 'to landlord' });
    const h = await ledger.balance(held);
    assert.equal(h.creditsPosted, 1000);
    assert.equal(h.debitsPosted, 300);
    assert.equal(h.net, 700);
    assert.equal(h.available, 700);
    assert.equal((await ledger.balance(clearing)).net, -1000);
    assert.equal((await ledger.balance(payouts)).creditsPosted, 300);
    const entries = await ledger.history(held);
    assert.deepEqual(
      entries.map((e) => [e.direction, e.amount, e.debitCode, e.creditCode]),
      [
        ['debit', 300, held, payouts],
        ['credit', 1000, clearing, held],
      ],
    );
    assert.equal((await ledger.history(held, { limit: 1, beforeId: entries[0]!.id })).length, 1);
    const report = await ledger.check();
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    assert.equal(report.totals.debitsPosted, report.totals.creditsPosted);
  });

  it('opens an account once by code, and refuses the same code with other terms', async () => {
    const code = fresh('tenant:7:deposit');
    const a = await ledger.openAccount({
      code,
      kind: 'tenant_deposit',
      owner: '7',
      debitsMustNotExceedCredits: true,
    });
    const b = await ledger.openAccount({
      code,
      kind: 'tenant_deposit',
      owner: '7',
      debitsMustNotExceedCredits: true,
    });
    assert.equal(a.id, b.id);
    const error = await refusal(() => ledger.openAccount({ code, kind: 'tenant_deposit', owner: '7' }));
    assert.equal(error.reason, 'account_exists');
    const both = await rejectedDomainError(() =>
      ledger.openAccount({
        code: fresh('x'),
        kind: 'x',
        debitsMustNotExceedCredits: true,
        creditsMustNotExceedDebits: true,
      }),
    );
    assert.equal(both.code, 'validation');
  });

  it('is idempotent by key: the same key twice is one transfer, other terms are refused', async () => {
    const { clearing, held } = await funded(0);
    const key = fresh('notify');
    const input = { key, debit: clearing, credit: held, amount: 500, ledger: 'escrow.fund', subject: 'HO1' };
    const first = await ledger.transfer(input);
    const again = await ledger.transfer({ ...input, metadata: { retried: true } });
    assert.equal(again.id, first.id);
    assert.equal((await ledger.balance(held)).creditsPosted, 500);
    for (const other of [{ amount: 501 }, { subject: 'HO2' }, { debit: held, credit: clearing }]) {
      const error = await refusal(() => ledger.transfer({ ...input, ...other }));
      assert.equal(error.code, 'conflict');
      assert.equal(error.reason, 'key_reused');
    }
    assert.equal((await refusal(() => ledger.hold(input))).reason, 'key_reused');
    assert.equal((await ledger.history(held)).length, 1);
    assert.equal((await ledger.balance(held)).creditsPosted, 500);
  });

  it('refuses amounts that are not positive integers, and unknown or identical accounts', async () => {
    const { clearing, held } = await funded(100);
    for (const amount of [0, -1, 1.5, Number.NaN, 2 ** 53, '10' as unknown as number]) {
      const error = await rejectedDomainError(() =>
        ledger.transfer({ key: fresh('bad'), debit: clearing, credit: held, amount, ledger: 'x' }),
      );
      assert.equal(error.code, 'validation');
      assert.deepEqual(error.fields, [{ field: 'amount', error: '金额必须是正整数（分）' }]);
    }
    const same = await rejectedDomainError(() =>
      ledger.transfer({ key: fresh('bad'), debit: held, credit: held, amount: 1, ledger: 'x' }),
    );
    assert.equal(same.code, 'validation');
    const missing = await rejectedDomainError(() =>
      ledger.transfer({ key: fresh('bad'), debit: 'nobody', credit: held, amount: 1, ledger: 'x' }),
    );
    assert.equal(missing.code, 'not_found');
    assert.equal((await ledger.check()).ok, true);
  });

  it('never overdraws a held account; a refusal writes nothing', async () => {
    const { clearing, held } = await funded(100);
    const error = await refusal(() =>
      ledger.transfer({
        key: fresh('out'),
        debit: held,
        credit: clearing,
        amount: 101,
        ledger: 'escrow.refund',
      }),
    );
    assert.equal(error.code, 'conflict');
    assert.equal(error.reason, 'insufficient_funds');
    assert.match(error.message, /余额不足.*可用 100 分，需要 101 分/);
    assert.equal((await ledger.history(held)).length, 1);
    assert.equal((await ledger.balance(held)).available, 100);
    await ledger.transfer({
      key: fresh('out'),
      debit: held,
      credit: clearing,
      amount: 100,
      ledger: 'escrow.refund',
    });
    assert.equal((await ledger.balance(held)).available, 0);
  });

  it("posts inside the caller's transaction, and a refusal leaves that transaction usable", async () => {
    const { clearing, held } = await funded(50);
    const key = fresh('inside');
    await db.kysely.transaction().execute(async (trx) => {
      await openAccount(trx, { code: `${key}:acct`, kind: 'x' }, NOW);
      const error = await rejectedDomainError(() =>
        transfer(trx, { key, debit: held, credit: clearing, amount: 51, ledger: 'x' }, NOW),
      );
      assert.equal(error.message.startsWith('余额不足'), true);
      await transfer(trx, { key, debit: held, credit: clearing, amount: 50, ledger: 'x' }, NOW);
    });
    assert.equal((await ledger.balance(held)).available, 0);
    assert.equal((await ledger.balance(`${key}:acct`)).kind, 'x');
    await assert.rejects(
      db.kysely.transaction().execute(async (trx) => {
        await transfer(
          trx,
          { key: fresh('rolled'), debit: clearing, credit: held, amount: 9, ledger: 'x' },
          NOW,
        );
        throw new Error('the caller fails afterwards');
      }),
    );
    assert.equal((await ledger.balance(held)).available, 0);
  });

  it('holds reserve money: post part of a hold, void another, and resolve each only once', async () => {
    const { clearing, held } = await funded(1000);
    const fees = fresh('platform:fees');
    await ledger.openAccount({ code: fees, kind: 'fees' });
    const h1 = await ledger.hold({
      key: fresh('hold'),
      debit: held,
      credit: fees,
      amount: 600,
      ledger: 'escrow.fee',
    });
    let b = await ledger.balance(held);
    assert.equal(b.debitsPending, 600);
    assert.equal(b.available, 400);
    // Pending debits count against the flag: 401 more cannot be held or paid.
    await refusal(() =>
      ledger.hold({ key: fresh('hold'), debit: held, credit: fees, amount: 401, ledger: 'x' }),
    );
    await refusal(() =>
      ledger.transfer({ key: fresh('t'), debit: held, credit: clearing, amount: 401, ledger: 'x' }),
    );
    const over = await refusal(() => ledger.post({ key: fresh('post'), pendingKey: h1.key, amount: 601 }));
    assert.equal(over.reason, 'exceeds_pending');

    const postKey = fresh('post');
    const posted = await ledger.post({ key: postKey, pendingKey: h1.key, amount: 250 });
    assert.equal(posted.kind, 'post_pending');
    assert.equal(posted.pendingId, h1.id);
    assert.equal(posted.amount, 250);
    b = await ledger.balance(held);
    assert.deepEqual([b.debitsPending, b.debitsPosted, b.available], [0, 250, 750]);
    const f = await ledger.balance(fees);
    assert.deepEqual([f.creditsPending, f.creditsPosted], [0, 250]);
    // The same post again answers the first; a second post or a void is refused.
    assert.equal((await ledger.post({ key: postKey, pendingKey: h1.key, amount: 250 })).id, posted.id);
    const twice = await refusal(() => ledger.post({ key: fresh('post'), pendingKey: h1.key }));
    assert.equal(twice.code, 'illegal_transition');
    assert.equal(twice.reason, 'already_resolved');
    assert.equal(
      (await refusal(() => ledger.void({ key: fresh('void'), pendingKey: h1.key }))).reason,
      'already_resolved',
    );
    assert.equal(
      (await refusal(() => ledger.post({ key: fresh('post'), pendingKey: posted.key }))).reason,
      'not_pending',
    );

    const h2 = await ledger.hold({
      key: fresh('hold'),
      debit: held,
      credit: fees,
      amount: 700,
      ledger: 'escrow.fee',
    });
    assert.equal((await ledger.balance(held)).available, 50);
    const voided = await ledger.void({ key: fresh('void'), pendingKey: h2.key });
    assert.equal(voided.kind, 'void_pending');
    assert.equal(voided.amount, 700);
    b = await ledger.balance(held);
    assert.deepEqual([b.debitsPending, b.available], [0, 750]);
    assert.equal(
      (await refusal(() => ledger.post({ key: fresh('post'), pendingKey: h2.key }))).reason,
      'already_resolved',
    );
    const report = await ledger.check();
    assert.equal(report.ok, true, JSON.stringify(report.problems));
  });

  it('CHECK constraints refuse a direct UPDATE or INSERT that breaks the rules', async () => {
    const { clearing, held } = await funded(100);
    const k = db.kysely;
    const bad = [
      // debits beyond credits on a held account
      k.updateTable('ledger_accounts').set({ debits_posted: 101 }).where('code', '=', held),
      k.updateTable('ledger_accounts').set({ debits_pending: 101 }).where('code', '=', held),
      // negative balances anywhere
      k.updateTable('ledger_accounts').set({ credits_posted: -1 }).where('code', '=', clearing),
      k
        .updateTable('ledger_accounts')
        .set({ debits_must_not_exceed_credits: 1, credits_must_not_exceed_debits: 1 })
        .where('code', '=', clearing),
    ];
    for (const statement of bad) {
      await assert.rejects(statement.execute(), /check/i);
    }
    const ids = await k
      .selectFrom('ledger_accounts')
      .select('id')
      .where('code', 'in', [clearing, held])
      .execute();
    const row = (amount: number, debit = ids[0]!.id, credit = ids[1]!.id) => ({
      key: fresh('raw'),
      kind: 'posted' as const,
      debit_account_id: debit,
      credit_account_id: credit,
      amount,
      ledger: 'x',
      created_at: NOW,
    });
    await assert.rejects(k.insertInto('ledger_transfers').values(row(0)).execute(), /check/i);
    await assert.rejects(k.insertInto('ledger_transfers').values(row(-5)).execute(), /check/i);
    await assert.rejects(
      k
        .insertInto('ledger_transfers')
        .values(row(5, ids[0]!.id, ids[0]!.id))
        .execute(),
      /check/i,
    );
    assert.equal((await ledger.balance(held)).available, 100);
  });

  it('checkLedger finds a corrupted balance, an unbalanced total and a broken flag', async () => {
    const { clearing } = await funded(100);
    assert.equal((await ledger.check()).ok, true);
    await db.kysely
      .updateTable('ledger_accounts')
      .set((eb) => ({ credits_posted: eb('credits_posted', '+', 5) }))
      .where('code', '=', clearing)
      .execute();
    const report = await ledger.check();
    assert.equal(report.ok, false);
    const id = (await ledger.balance(clearing)).id;
    assert.deepEqual(
      report.problems.filter((p) => p.problem !== 'totals_unbalanced'),
      [
        {
          problem: 'balance_mismatch',
          accountId: id,
          code: clearing,
          field: 'credits_posted',
          recorded: 5,
          expected: 0,
        },
      ],
    );
    const totals = report.problems.find((p) => p.problem === 'totals_unbalanced');
    assert.ok(totals && totals.problem === 'totals_unbalanced');
    assert.equal(totals.side, 'posted');
    assert.equal(totals.credits - totals.debits, 5);
    await db.kysely
      .updateTable('ledger_accounts')
      .set((eb) => ({ credits_posted: eb('credits_posted', '-', 5) }))
      .where('code', '=', clearing)
      .execute();
    assert.equal((await ledger.check()).ok, true);
  });

  it('50 concurrent transfers draining one account move out exactly what it held', async () => {
    const { held } = await funded(500);
    const payouts = fresh('payouts');
    await ledger.openAccount({ code: payouts, kind: 'payouts' });
    // Separate connections on PostgreSQL (a pool of 10), so the transfers really race.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        ledger.transfer({
          key: fresh(`drain${i}`),
          debit: held,
          credit: payouts,
          amount: 20,
          ledger: 'escrow.release',
        }),
      ),
    );
    const done = outcomes.filter((o) => o.status === 'fulfilled').length;
    const refused = outcomes.filter(
      (o) =>
        o.status === 'rejected' &&
        o.reason instanceof LedgerRefusal &&
        o.reason.reason === 'insufficient_funds',
    ).length;
    assert.deepEqual({ done, refused }, { done: 25, refused: 25 });
    const b = await ledger.balance(held);
    assert.deepEqual([b.creditsPosted, b.debitsPosted, b.available], [500, 500, 0]);
    assert.equal((await ledger.balance(payouts)).creditsPosted, 500);
    const count = await db.kysely
      .selectFrom('ledger_transfers')
      .select(sql<number>`count(*)`.as('n'))
      .where('ledger', '=', 'escrow.release')
      .where('credit_account_id', '=', (await ledger.balance(payouts)).id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 25);
    const report = await ledger.check();
    assert.equal(report.ok, true, JSON.stringify(report.problems));
  });

  it('concurrent retries of one notify post once', async () => {
    const { clearing, held } = await funded(0);
    const key = fresh('notify');
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        ledger.transfer({ key, debit: clearing, credit: held, amount: 77, ledger: 'escrow.fund' }),
      ),
    );
    assert.equal(new Set(results.map((r) => r.id)).size, 1);
    assert.equal((await ledger.balance(held)).creditsPosted, 77);
  });

  it('concurrent posts and voids of one hold resolve it once', async () => {
    const { clearing, held } = await funded(300);
    const h = await ledger.hold({
      key: fresh('hold'),
      debit: held,
      credit: clearing,
      amount: 300,
      ledger: 'x',
    });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? ledger.post({ key: fresh('post'), pendingKey: h.key, amount: 100 })
          : ledger.void({ key: fresh('void'), pendingKey: h.key }),
      ),
    );
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
    for (const o of outcomes) {
      if (o.status === 'rejected') assert.equal((o.reason as LedgerRefusal).reason, 'already_resolved');
    }
    const b = await ledger.balance(held);
    assert.equal(b.debitsPending, 0);
    assert.ok(b.debitsPosted === 0 || b.debitsPosted === 100);
    assert.equal((await ledger.check()).ok, true);
  });
});
