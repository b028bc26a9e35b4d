import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { checkLedger } from '../../../src/modules/ledger/index.js';
import { reconcileWithWechat } from '../../../src/modules/reconciliation/index.js';
import { testDialect } from '../../helpers/test-database.js';
import { buildWechatBooks, ESCROW_DEPOSIT, type WechatBooks } from './wechat-books.js';

/**
 * The reconciliation over many escrow orders: the order built through the modules (paid in, a
 * release with its fee, a refund, both paid out) is copied N times by set-based INSERTs (every
 * row of it: order, payment, requests, payouts, accounts, transfers), the shared accounts' balances
 * summed again, then reconciled. 2,000 copies by default;
 * RECONCILIATION_SCALE_ORDERS=1000000 measures a million (docs/escrow.md, The ledger).
 */
const COPIES = Number(process.env.RECONCILIATION_SCALE_ORDERS ?? 2_000);

describe(`the reconciliation over ${COPIES} more escrow orders (${testDialect()})`, () => {
  let b: WechatBooks;
  before(async () => {
    b = await buildWechatBooks();
  });
  after(() => b.t.close());

  it('agrees over every copy, and names one that is then broken', async () => {
    const db = b.t.db.kysely;
    const no = b.houseOrderNo;
    const order = await db
      .selectFrom('escrow_orders')
      .selectAll()
      .where('house_order_no', '=', no)
      .executeTakeFirstOrThrow();
    const columns = async (table: string) =>
      Object.keys(
        (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)).rows[0]!,
      ).filter((c) => c !== 'id');
    const gen = sql`with recursive gen(k) as (select 1 union all select k + 1 from gen where k < ${sql.lit(COPIES)})`;
    const newNo = sql`(${no} || '-' || cast(gen.k as varchar(20)))`;
    /** INSERT INTO table (columns) SELECT each column of `s` or its override, FROM `from`. */
    const copy = async (table: string, overrides: Record<string, unknown>, from: unknown) => {
      const cols = await columns(table);
      const values = cols.map((c) => (c in overrides ? overrides[c] : sql.ref(`s.${c}`)));
      await sql`${gen} insert into ${sql.table(table)} (${sql.join(cols.map((c) => sql.ref(c)))})
        select ${sql.join(values as never[])} ${from}`.execute(db);
    };
    const started = performance.now();
    await copy(
      'escrow_orders',
      { house_order_no: newNo, source_no: newNo },
      sql`from escrow_orders s cross join gen where s.id = ${order.id}`,
    );
    // CROSS JOIN keeps SQLite's join order: each generated k looks its order up by index.
    const newOrder = sql`cross join escrow_orders o`;
    const isNewOrder = sql`o.house_order_no = ${newNo}`;
    await copy(
      'payments',
      {
        out_trade_no: sql`s.out_trade_no || '-' || cast(gen.k as varchar(20))`,
        subject_id: sql`${newNo} || ':deposit_pay'`,
        transaction_id: sql`s.transaction_id || '-' || cast(gen.k as varchar(20))`,
      },
      sql`from payments s cross join gen where s.out_trade_no = ${b.escrowTradeNo}`,
    );
    await copy(
      'escrow_releases',
      { order_id: sql`o.id` },
      sql`from escrow_releases s cross join gen ${newOrder} where ${isNewOrder} and s.order_id = ${order.id}`,
    );
    await copy(
      'escrow_payouts',
      {
        payout_no: sql`s.payout_no || '-' || cast(gen.k as varchar(20))`,
        release_id: sql`nr.id`,
        order_id: sql`o.id`,
      },
      sql`from escrow_payouts s cross join escrow_releases sr cross join gen ${newOrder} cross join escrow_releases nr
        where sr.id = s.release_id and ${isNewOrder} and nr.order_id = o.id and nr.kind = sr.kind
          and s.order_id = ${order.id}`,
    );
    await copy(
      'ledger_accounts',
      { code: sql`replace(s.code, ${no}, ${newNo})`, owner: newNo },
      sql`from ledger_accounts s cross join gen where s.owner = ${no} and s.code like 'escrow:%'`,
    );
    const templates = await db
      .selectFrom('ledger_transfers as t')
      .innerJoin('ledger_accounts as d', 'd.id', 't.debit_account_id')
      .innerJoin('ledger_accounts as c', 'c.id', 't.credit_account_id')
      .select(['t.id', 't.key', 't.ledger'])
      .where((eb) => eb.or([eb('d.owner', '=', no), eb('c.owner', '=', no)]))
      .execute();
    assert.equal(templates.length, 6);
    for (const t of templates) {
      const kind = t.ledger === 'escrow.release' ? 'release' : 'refund';
      const key =
        t.ledger === 'escrow.release' || t.ledger === 'escrow.refund'
          ? sql`'escrow.release:' || cast(nr.id as varchar(20))`
          : sql`s.key || '-' || cast(gen.k as varchar(20))`;
      await copy(
        'ledger_transfers',
        { key, debit_account_id: sql`nd.id`, credit_account_id: sql`nc.id` },
        sql`from ledger_transfers s cross join ledger_accounts d cross join ledger_accounts c cross join gen
          ${newOrder} cross join ledger_accounts nd cross join ledger_accounts nc
          left join escrow_releases nr on nr.order_id = o.id and nr.kind = ${kind}
          where s.id = ${t.id} and d.id = s.debit_account_id and c.id = s.credit_account_id and ${isNewOrder}
            and nd.code = replace(d.code, ${no}, ${newNo}) and nc.code = replace(c.code, ${no}, ${newNo})`,
      );
    }
    // The shared accounts now hold every copy's movements.
    await sql`update ledger_accounts set
        debits_posted = (select coalesce(sum(amount), 0) from ledger_transfers t where t.debit_account_id = ledger_accounts.id),
        credits_posted = (select coalesce(sum(amount), 0) from ledger_transfers t where t.credit_account_id = ledger_accounts.id)
      where code in ('wechat:clearing', 'payouts', 'platform:fees')`.execute(db);
    // As autovacuum would after such a load (PostgreSQL plans over its statistics).
    await sql`analyze`.execute(db);
    // As the server's checkpoint worker would: reads do not wade through a WAL of the whole load.
    if (testDialect() === 'sqlite') await sql`pragma wal_checkpoint(truncate)`.execute(db);
    const loaded = Math.round(performance.now() - started);

    const ledger = await checkLedger(db);
    assert.deepEqual(ledger.problems, []);
    const report = await reconcileWithWechat(db);
    assert.deepEqual(report.problems, []);
    assert.equal(report.escrow.orders, COPIES + 2);
    console.log(
      `reconciliation (${testDialect()}): ${COPIES + 2} escrow orders, ${report.expectedTransfers} transfers matched, ` +
        `${ledger.transfers} in the ledger: ${report.elapsedMs} ms (checkLedger ${ledger.elapsedMs} ms; loading ${loaded} ms)`,
    );

    // One copy's payment changed: exactly that order is named.
    await db
      .updateTable('payments')
      .set({ amount: ESCROW_DEPOSIT - 7 })
      .where('out_trade_no', '=', `${b.escrowTradeNo}-${COPIES}`)
      .execute();
    const broken = await reconcileWithWechat(db);
    assert.deepEqual(
      broken.problems.map((p) => [
        p.problem,
        'houseOrderNo' in p ? p.houseOrderNo : 'key' in p ? p.key : 'code' in p ? p.code : '',
      ]),
      [
        ['transfer_differs', `escrow.fund:${b.escrowTradeNo}-${COPIES}`],
        ['escrow_order_differs', `${no}-${COPIES}`],
        ['account_differs', 'wechat:clearing'],
      ],
    );
  });
});
