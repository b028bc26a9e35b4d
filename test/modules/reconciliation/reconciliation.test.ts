import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../../../src/database.js';
import { checkLedger, transfer } from '../../../src/modules/ledger/index.js';
import {
  type ReconciliationProblem,
  reconcileWithWechat,
  type WechatReconciliation,
} from '../../../src/modules/reconciliation/index.js';
import { testDialect } from '../../helpers/test-database.js';
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
} from './wechat-books.js';

type Kysely = Db['kysely'];

describe(`the ledger reconciled with WeChat's word (${testDialect()})`, () => {
  let b: WechatBooks;
  let no: string;
  /** What the demo's own escrow order had paid in (the demo loads one, paid through WeChat). */
  let demoEscrowIn: number;
  /** wechat:clearing's debits before any tampering. */
  let cleared: number;

  before(async () => {
    b = await buildWechatBooks();
    no = b.houseOrderNo;
    const db = b.t.db.kysely;
    const demo = await db
      .selectFrom('payments')
      .select((eb) => eb.fn.sum<number>('amount').as('n'))
      .where('purpose', '=', 'escrow_fund')
      .where('out_trade_no', '<>', b.escrowTradeNo)
      .executeTakeFirstOrThrow();
    demoEscrowIn = Number(demo.n ?? 0);
    const clearing = await db
      .selectFrom('ledger_accounts')
      .select('debits_posted')
      .where('code', '=', 'wechat:clearing')
      .executeTakeFirstOrThrow();
    cleared = Number(clearing.debits_posted);
  });
  after(() => b.t.close());

  /** Reconciles after `change`, inside a transaction that is then rolled back. */
  async function tampered(change: (trx: Kysely) => Promise<void>): Promise<WechatReconciliation> {
    let report: WechatReconciliation | undefined;
    await assert.rejects(
      b.t.db.kysely.transaction().execute(async (trx) => {
        await change(trx);
        report = await reconcileWithWechat(trx);
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    return report!;
  }
  const transferId = async (key: string) =>
    Number(
      (
        await b.t.db.kysely
          .selectFrom('ledger_transfers')
          .select('id')
          .where('key', '=', key)
          .executeTakeFirstOrThrow()
      ).id,
    );
  /** The order's figures when nothing is wrong. */
  const orderFigures = () => ({
    paidIn: ESCROW_DEPOSIT,
    approved: RELEASED + REFUNDED_TO_BUYER,
    fee: SERVICE_FEE,
    paidOut: RELEASED - SERVICE_FEE + REFUNDED_TO_BUYER,
    ledgerIn: ESCROW_DEPOSIT,
    ledgerFee: SERVICE_FEE,
    ledgerPaidOut: RELEASED - SERVICE_FEE + REFUNDED_TO_BUYER,
    held: ESCROW_DEPOSIT - RELEASED - REFUNDED_TO_BUYER,
    expectedHeld: ESCROW_DEPOSIT - RELEASED - REFUNDED_TO_BUYER,
    waiting: 0,
    expectedWaiting: 0,
  });

  it('money that went through the real modules agrees, and the totals say where it is', async () => {
    const report = await reconcileWithWechat(b.t.db.kysely);
    assert.deepEqual(report.problems, []);
    assert.equal(report.ok, true);
    assert.ok(demoEscrowIn > 0, 'the demo order was paid in');
    assert.deepEqual(report.wechat, {
      paid: { count: 4, amount: demoEscrowIn + ESCROW_DEPOSIT + BOOKING_FEE + FIRST_INSTALLMENT },
      refunded: { count: 2, amount: BOOKING_FEE + MONTHLY },
      refunding: { count: 0, amount: 0 },
      // The installment's rent stays outside the ledger; its 押金 came in at the move-out.
      cleared: demoEscrowIn + ESCROW_DEPOSIT + BOOKING_FEE + MONTHLY,
    });
    assert.equal(cleared, report.wechat.cleared);
    assert.deepEqual(report.payouts, { count: 2, amount: RELEASED - SERVICE_FEE + REFUNDED_TO_BUYER });
    assert.deepEqual(report.escrow, {
      orders: 2,
      paidIn: demoEscrowIn + ESCROW_DEPOSIT,
      approved: RELEASED + REFUNDED_TO_BUYER,
      fee: SERVICE_FEE,
      paidOut: RELEASED - SERVICE_FEE + REFUNDED_TO_BUYER,
      held: demoEscrowIn + ESCROW_DEPOSIT - RELEASED - REFUNDED_TO_BUYER,
      waiting: 0,
    });
    assert.deepEqual(report.deposits, {
      accounts: 1,
      fromWechat: BOOKING_FEE + MONTHLY,
      refunded: BOOKING_FEE + MONTHLY,
    });
    // escrow: 2 pay-ins, the release, its fee, the refund, 2 payouts; the tenant: the booking fee,
    // the 押金, two refund holds and their posts.
    assert.equal(report.expectedTransfers, 13);
  });

  it('a payout transfer deleted: the payout misses it, and the order has paid out more than its ledger', async () => {
    const key = `escrow.payout:${b.releasePayoutNo}`;
    const report = await tampered(async (trx) => {
      await trx.deleteFrom('ledger_transfers').where('key', '=', key).execute();
    });
    assert.equal(report.ok, false);
    assert.deepEqual(report.problems, [
      {
        problem: 'transfer_missing',
        source: 'payout',
        ref: b.releasePayoutNo,
        key,
        expected: {
          ledger: 'escrow.payout',
          kind: 'posted',
          amount: RELEASED - SERVICE_FEE,
          debit: `escrow:${no}:payable-landlord`,
          credit: 'payouts',
        },
      },
      {
        problem: 'escrow_order_differs',
        houseOrderNo: no,
        differs: ['paid_out'],
        ...orderFigures(),
        ledgerPaidOut: REFUNDED_TO_BUYER,
      },
    ] satisfies ReconciliationProblem[]);
  });

  it("a payment's amount changed: its transfer differs, the order's money in and held disagree, so does wechat:clearing", async () => {
    const key = `escrow.fund:${b.escrowTradeNo}`;
    const id = await transferId(key);
    const report = await tampered(async (trx) => {
      await trx
        .updateTable('payments')
        .set({ amount: ESCROW_DEPOSIT - 1_000_000 })
        .where('out_trade_no', '=', b.escrowTradeNo)
        .execute();
    });
    const terms = {
      ledger: 'escrow.fund',
      kind: 'posted',
      debit: 'wechat:clearing',
      credit: `escrow:${no}:held`,
    };
    assert.deepEqual(report.problems, [
      {
        problem: 'transfer_differs',
        source: 'payment',
        ref: b.escrowTradeNo,
        key,
        expected: { ...terms, amount: ESCROW_DEPOSIT - 1_000_000 },
        recorded: { transferId: id, ...terms, amount: ESCROW_DEPOSIT },
      },
      {
        problem: 'escrow_order_differs',
        houseOrderNo: no,
        differs: ['in', 'held'],
        ...orderFigures(),
        paidIn: ESCROW_DEPOSIT - 1_000_000,
        expectedHeld: ESCROW_DEPOSIT - 1_000_000 - RELEASED - REFUNDED_TO_BUYER,
      },
      {
        problem: 'account_differs',
        code: 'wechat:clearing',
        field: 'debits_posted',
        recorded: cleared,
        expected: cleared - 1_000_000,
      },
    ] satisfies ReconciliationProblem[]);
  });

  it('a stray transfer out of wechat:clearing balances the ledger but no payment explains it', async () => {
    let ledgerProblems: unknown[] = [];
    let id = 0;
    const report = await tampered(async (trx) => {
      const made = await transfer(
        trx,
        {
          key: 'manual:adjust-1',
          debit: 'wechat:clearing',
          credit: `escrow:${no}:held`,
          amount: 500,
          ledger: 'escrow.fund',
        },
        b.t.clock.now(),
      );
      id = made.id;
      ledgerProblems = (await checkLedger(trx)).problems;
    });
    assert.deepEqual(ledgerProblems, [], 'the ledger alone cannot tell');
    assert.deepEqual(report.problems, [
      {
        problem: 'transfer_unexplained',
        transferId: id,
        key: 'manual:adjust-1',
        recorded: {
          ledger: 'escrow.fund',
          kind: 'posted',
          amount: 500,
          debit: 'wechat:clearing',
          credit: `escrow:${no}:held`,
        },
      },
      {
        problem: 'escrow_order_differs',
        houseOrderNo: no,
        differs: ['in', 'held'],
        ...orderFigures(),
        ledgerIn: ESCROW_DEPOSIT + 500,
        held: ESCROW_DEPOSIT - RELEASED - REFUNDED_TO_BUYER + 500,
      },
      {
        problem: 'account_differs',
        code: 'wechat:clearing',
        field: 'debits_posted',
        recorded: cleared + 500,
        expected: cleared,
      },
    ] satisfies ReconciliationProblem[]);
  });

  it("a booking fee's transfer deleted: the payment misses it and the tenant got less from WeChat than it paid", async () => {
    const key = `booking:${b.bookingTradeNo}`;
    const report = await tampered(async (trx) => {
      await trx.deleteFrom('ledger_transfers').where('key', '=', key).execute();
    });
    const account = `tenant:${b.tenantId}:deposit`;
    assert.deepEqual(report.problems, [
      {
        problem: 'transfer_missing',
        source: 'payment',
        ref: b.bookingTradeNo,
        key,
        expected: {
          ledger: 'booking',
          kind: 'posted',
          amount: BOOKING_FEE,
          debit: 'wechat:clearing',
          credit: account,
        },
      },
      {
        problem: 'tenant_wechat_differs',
        account,
        fromWechat: BOOKING_FEE + MONTHLY,
        ledgerFromWechat: MONTHLY,
        refunded: BOOKING_FEE + MONTHLY,
        ledgerRefunded: BOOKING_FEE + MONTHLY,
      },
    ] satisfies ReconciliationProblem[]);
  });

  it('a refund the records call failed while the ledger posted it: the void is missing, the post unexplained', async () => {
    const [refundNo] = b.refundNos;
    const account = `tenant:${b.tenantId}:deposit`;
    const postId = await transferId(`refund.post:${refundNo}`);
    const report = await tampered(async (trx) => {
      await trx
        .updateTable('refunds')
        .set({ status: 'failed' })
        .where('out_refund_no', '=', refundNo!)
        .execute();
    });
    const terms = { ledger: 'refund', amount: BOOKING_FEE, debit: account, credit: 'wechat:refunds' };
    assert.deepEqual(report.problems, [
      {
        problem: 'transfer_missing',
        source: 'refund',
        ref: refundNo!,
        key: `refund.void:${refundNo}`,
        expected: { ...terms, kind: 'void_pending' },
      },
      {
        problem: 'transfer_unexplained',
        transferId: postId,
        key: `refund.post:${refundNo}`,
        recorded: { ...terms, kind: 'post_pending' },
      },
      {
        problem: 'tenant_wechat_differs',
        account,
        fromWechat: BOOKING_FEE + MONTHLY,
        ledgerFromWechat: BOOKING_FEE + MONTHLY,
        refunded: MONTHLY,
        ledgerRefunded: BOOKING_FEE + MONTHLY,
      },
      {
        problem: 'account_differs',
        code: 'wechat:refunds',
        field: 'credits_posted',
        recorded: BOOKING_FEE + MONTHLY,
        expected: MONTHLY,
      },
    ] satisfies ReconciliationProblem[]);
  });

  it('money taken without WeChat transaction id, and refunds above their payment, are named', async () => {
    const report = await tampered(async (trx) => {
      await trx
        .updateTable('payments')
        .set({ transaction_id: null })
        .where('out_trade_no', '=', b.installmentTradeNo)
        .execute();
      await trx
        .updateTable('refunds')
        .set({ amount: BOOKING_FEE + 1 })
        .where('out_refund_no', '=', b.refundNos[0]!)
        .execute();
    });
    const mine = report.problems.filter(
      (p) => p.problem === 'paid_without_transaction_id' || p.problem === 'refunds_exceed_payment',
    );
    assert.deepEqual(mine, [
      {
        problem: 'paid_without_transaction_id',
        outTradeNo: b.installmentTradeNo,
        purpose: 'lease_installment',
        status: 'paid',
        amount: FIRST_INSTALLMENT,
      },
      {
        problem: 'refunds_exceed_payment',
        outTradeNo: b.bookingTradeNo,
        purpose: 'lease_booking',
        status: 'paid',
        amount: BOOKING_FEE,
        refunds: BOOKING_FEE + 1,
      },
    ]);
  });
});
