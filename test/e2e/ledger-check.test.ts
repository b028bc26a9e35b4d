import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/database.js';
import { fixedClock } from '../../src/platform/clock.js';
import { memorySmsProvider } from '../../src/platform/sms/sms-provider.js';
import { fangtongCommand } from '../helpers/escrow-e2e.js';
import { TEST_NOW, TEST_PII_KEY, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase, testDialect } from '../helpers/test-database.js';
import {
  BOOKING_FEE,
  buildWechatBooks,
  ESCROW_DEPOSIT,
  FIRST_INSTALLMENT,
  MONTHLY,
  REFUNDED_TO_BUYER,
  RELEASED,
  SERVICE_FEE,
  type WechatBooks,
} from '../modules/reconciliation/wechat-books.js';

/**
 * The real `fangtong ledger check`, a process of its own over a database whose money went
 * through the modules (see wechat-books.ts): on the clean books it prints the WeChat, escrow and
 * deposit summaries and exits 0; with a payment's amount changed behind the ledger's back it
 * prints the disagreements and exits 1.
 */
describe(`fangtong ledger check reconciles the ledger with WeChat (${testDialect()})`, () => {
  let url: string;
  let drop: () => Promise<void>;
  let dataDir: string;
  let b: WechatBooks;
  let demoEscrowIn: number;
  const check = () => fangtongCommand({ DATABASE_URL: url, FANGTONG_DATA_DIR: dataDir }, 'ledger', 'check');

  before(async () => {
    const database = await createTestDatabase();
    url = database.url;
    drop = database.drop;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangtong-ledger-check-'));
    const db = openDatabase(url, { poolSize: 4 });
    const clock = fixedClock(TEST_NOW);
    const sms = memorySmsProvider();
    const config = loadConfig({ NODE_ENV: 'test' }, { databaseUrl: url, piiKey: TEST_PII_KEY, demo: true });
    const app = await buildApp(config, { clock, db, sms });
    const t: TestApp = {
      app,
      db,
      clock,
      tokenFor: () => Promise.reject(new Error('not used')),
      async close() {
        await app.close();
        await db.close();
      },
    };
    b = await buildWechatBooks({ t, sms });
    const demo = await db.kysely
      .selectFrom('payments')
      .select((eb) => eb.fn.sum<number>('amount').as('n'))
      .where('purpose', '=', 'escrow_fund')
      .where('out_trade_no', '<>', b.escrowTradeNo)
      .executeTakeFirstOrThrow();
    demoEscrowIn = Number(demo.n ?? 0);
  });
  after(async () => {
    await b.t.close();
    await drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('clean books: the summaries to the fen, exit 0', async () => {
    const { code, stdout } = await check();
    assert.equal(code, 0, stdout);
    const paid = demoEscrowIn + ESCROW_DEPOSIT + BOOKING_FEE + FIRST_INSTALLMENT;
    const cleared = demoEscrowIn + ESCROW_DEPOSIT + BOOKING_FEE + MONTHLY;
    const paidOut = RELEASED - SERVICE_FEE + REFUNDED_TO_BUYER;
    const held = demoEscrowIn + ESCROW_DEPOSIT - RELEASED - REFUNDED_TO_BUYER;
    const lines = stdout.trim().split('\n');
    assert.match(lines[0]!, /^ledger: \d+ accounts, \d+ transfers, checked in \d+ ms; /);
    assert.match(
      lines[1]!,
      new RegExp(
        `^wechat: 4 payments took ${paid} fen, ${cleared} of it into the ledger through wechat:clearing; ` +
          `2 refunds gave back ${BOOKING_FEE + MONTHLY} fen, 0 \\(0 fen\\) still asked; 2 payouts paid ${paidOut} fen; ` +
          `13 transfers matched by key, checked in \\d+ ms$`,
      ),
    );
    assert.equal(
      lines[2],
      `escrow: 2 orders: paid in ${demoEscrowIn + ESCROW_DEPOSIT} fen = held ${held} + awaiting payout 0 ` +
        `+ fees ${SERVICE_FEE} + paid out ${paidOut}`,
    );
    assert.equal(
      lines[3],
      `deposits: 1 tenants: ${BOOKING_FEE + MONTHLY} fen in from WeChat, ${BOOKING_FEE + MONTHLY} fen refunded through it`,
    );
    assert.equal(lines[4], 'ledger: ok');
    assert.equal(lines.length, 5);
  });

  it("a payment's amount changed behind the ledger's back: DISAGREES lines naming it, exit 1; put back, exit 0", async () => {
    const db = b.t.db.kysely;
    const changeAmount = (amount: number) =>
      db.updateTable('payments').set({ amount }).where('out_trade_no', '=', b.escrowTradeNo).execute();
    const fund = await db
      .selectFrom('ledger_transfers')
      .select('id')
      .where('key', '=', `escrow.fund:${b.escrowTradeNo}`)
      .executeTakeFirstOrThrow();
    const clearing = await db
      .selectFrom('ledger_accounts')
      .select('debits_posted')
      .where('code', '=', 'wechat:clearing')
      .executeTakeFirstOrThrow();
    await changeAmount(ESCROW_DEPOSIT - 1);
    try {
      const { code, stdout } = await check();
      assert.equal(code, 1, stdout);
      const no = b.houseOrderNo;
      const terms = { ledger: 'escrow.fund', kind: 'posted' };
      const accounts = { debit: 'wechat:clearing', credit: `escrow:${no}:held` };
      const disagrees = stdout.split('\n').filter((l) => l.startsWith('DISAGREES '));
      assert.deepEqual(disagrees, [
        `DISAGREES ${JSON.stringify({
          problem: 'transfer_differs',
          source: 'payment',
          ref: b.escrowTradeNo,
          key: `escrow.fund:${b.escrowTradeNo}`,
          expected: { ...terms, amount: ESCROW_DEPOSIT - 1, ...accounts },
          recorded: { transferId: Number(fund.id), ...terms, amount: ESCROW_DEPOSIT, ...accounts },
        })}`,
        `DISAGREES ${JSON.stringify({
          problem: 'escrow_order_differs',
          houseOrderNo: no,
          differs: ['in', 'held'],
          paidIn: ESCROW_DEPOSIT - 1,
          approved: RELEASED + REFUNDED_TO_BUYER,
          fee: SERVICE_FEE,
          paidOut: RELEASED - SERVICE_FEE + REFUNDED_TO_BUYER,
          ledgerIn: ESCROW_DEPOSIT,
          ledgerFee: SERVICE_FEE,
          ledgerPaidOut: RELEASED - SERVICE_FEE + REFUNDED_TO_BUYER,
          held: ESCROW_DEPOSIT - RELEASED - REFUNDED_TO_BUYER,
          waiting: 0,
          expectedHeld: ESCROW_DEPOSIT - 1 - RELEASED - REFUNDED_TO_BUYER,
          expectedWaiting: 0,
        })}`,
        `DISAGREES ${JSON.stringify({
          problem: 'account_differs',
          code: 'wechat:clearing',
          field: 'debits_posted',
          recorded: Number(clearing.debits_posted),
          expected: Number(clearing.debits_posted) - 1,
        })}`,
      ]);
      assert.match(stdout, /^ledger: 3 disagreement\(s\)$/m);
    } finally {
      await changeAmount(ESCROW_DEPOSIT);
    }
    const again = await check();
    assert.equal(again.code, 0, again.stdout);
    assert.match(again.stdout, /^ledger: ok$/m);
  });
});
