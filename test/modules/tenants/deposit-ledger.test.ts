import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { type Db, openDatabase } from '../../../src/database.js';
import { MIGRATIONS, migrateToLatest } from '../../../src/migrations.js';
import { balance, checkLedger, LedgerRefusal } from '../../../src/modules/ledger/index.js';
import {
  checkDeposits,
  depositAccount,
  giveDeposit,
  lockDeposit,
  takeDeposit,
} from '../../../src/modules/tenants/index.js';
import * as backfill from '../../../src/modules/tenants/migrations/0012-deposits-on-ledger.js';
import { runMigrations } from '../../../src/platform/db/migrate.js';
import { createTestDatabase, type TestDatabase, testDialect } from '../../helpers/test-database.js';

const NOW = Date.parse('2024-06-01T10:00:00+08:00');

describe(`tenants' deposits on the ledger (${testDialect()})`, () => {
  let database: TestDatabase;
  let db: Db;
  const tenants: number[] = [];
  before(async () => {
    database = await createTestDatabase();
    db = openDatabase(database.url);
    // A database as it stood before deposits moved onto the ledger, holding deposits.
    const upToLedger = MIGRATIONS.slice(0, MIGRATIONS.findIndex((s) => s.name === '0011-ledger') + 1);
    await runMigrations(db.kysely, db.dialect, upToLedger);
    for (const [i, held] of [50_000, 0, 12_345].entries()) {
      const row = await db.kysely
        .insertInto('tenants')
        .values({ mobile_enc: `enc${i}`, mobile_hash: `hash${i}`, deposit_held: held, created_at: NOW })
        .returning('id')
        .executeTakeFirstOrThrow();
      tenants.push(Number(row.id));
    }
  });
  after(async () => {
    await db.close();
    await database.drop();
  });

  const held = async (tenantId: number) =>
    Number(
      (
        await db.kysely
          .selectFrom('tenants')
          .select('deposit_held')
          .where('id', '=', tenantId)
          .executeTakeFirstOrThrow()
      ).deposit_held,
    );
  const countTransfers = async () =>
    Number(
      (
        await db.kysely
          .selectFrom('ledger_transfers')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const inTransaction = <T>(work: (trx: Db['kysely']) => Promise<T>) => db.kysely.transaction().execute(work);

  it('step 0012 backfills an opening transfer per tenant holding a deposit, so the books agree', async () => {
    const ran = await migrateToLatest(db.kysely, db.dialect);
    assert.equal(ran[0], '0012-deposits-on-ledger', 'the first step after 0011-ledger');
    const [rich, none, some] = tenants as [number, number, number];
    assert.equal((await balance(db.kysely, depositAccount(rich))).net, 50_000);
    assert.equal((await balance(db.kysely, depositAccount(some))).net, 12_345);
    await assert.rejects(balance(db.kysely, depositAccount(none)), /不存在/, 'no deposit, no account yet');
    const opening = await db.kysely
      .selectFrom('ledger_transfers')
      .select(['key', 'amount', 'ledger', 'subject'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      opening.map((r) => [r.key, Number(r.amount), r.ledger, r.subject]),
      [
        [`opening:tenant:${rich}`, 50_000, 'opening', `tenant:${rich}`],
        [`opening:tenant:${some}`, 12_345, 'opening', `tenant:${some}`],
      ],
    );
    assert.equal((await balance(db.kysely, 'ledger:opening')).net, -62_345);
    assert.equal((await balance(db.kysely, depositAccount(rich))).debitsMustNotExceedCredits, true);
    const report = await checkLedger(db.kysely);
    assert.deepEqual(report.problems, []);
    assert.deepEqual(await checkDeposits(db.kysely), { ok: true, disagreements: [] });
  });

  it('run again, the backfill adds nothing', async () => {
    const before = await countTransfers();
    await backfill.up(db.kysely as unknown as Kysely<unknown>, db.dialect);
    assert.equal(await countTransfers(), before);
    assert.equal((await balance(db.kysely, depositAccount(tenants[0]!))).net, 50_000);
    assert.ok((await checkLedger(db.kysely)).ok);
  });

  it('moves after the backfill keep ledger and deposit_held together; a key posts once', async () => {
    const [rich, none] = tenants as [number, number, number];
    const take = {
      key: 'deposit.take:test-1',
      amount: 20_000,
      counterpart: 'leases',
      ledger: 'deposit.take',
    } as const;
    await inTransaction((trx) => takeDeposit(trx, rich, take, NOW));
    await inTransaction((trx) => takeDeposit(trx, rich, take, NOW));
    assert.equal(await held(rich), 30_000);
    assert.equal((await balance(db.kysely, depositAccount(rich))).net, 30_000);
    const give = { key: 'credit:test-1', amount: 7, counterpart: 'wechat', ledger: 'credit' } as const;
    await inTransaction((trx) => giveDeposit(trx, none, give, NOW));
    await inTransaction((trx) => giveDeposit(trx, none, give, NOW));
    assert.equal(await held(none), 7);
    assert.equal((await balance(db.kysely, depositAccount(none))).net, 7);
    assert.equal(await inTransaction((trx) => lockDeposit(trx, none)), 7);
    assert.deepEqual(await checkDeposits(db.kysely), { ok: true, disagreements: [] });
  });

  it('an overdraft is refused by the ledger and changes nothing', async () => {
    const [, none] = tenants as [number, number, number];
    await assert.rejects(
      inTransaction((trx) =>
        takeDeposit(
          trx,
          none,
          { key: 'deposit.take:test-2', amount: 8, counterpart: 'leases', ledger: 'deposit.take' },
          NOW,
        ),
      ),
      (error) => error instanceof LedgerRefusal && error.reason === 'insufficient_funds',
    );
    assert.equal(await held(none), 7);
    assert.equal((await balance(db.kysely, depositAccount(none))).net, 7);
    const report = await checkLedger(db.kysely);
    assert.deepEqual(report.problems, []);
    assert.deepEqual(await checkDeposits(db.kysely), { ok: true, disagreements: [] });
  });

  it('a deposit_held out of step with the ledger is named', async () => {
    const [, , some] = tenants as [number, number, number];
    await db.kysely.updateTable('tenants').set({ deposit_held: 1 }).where('id', '=', some).execute();
    assert.deepEqual(await checkDeposits(db.kysely), {
      ok: false,
      disagreements: [{ tenantId: some, held: 1, ledger: 12_345 }],
    });
    await db.kysely.updateTable('tenants').set({ deposit_held: 12_345 }).where('id', '=', some).execute();
  });
});
