import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import {
  type AccountMovementRow,
  dropExpectedTransfers,
  escrowOrderMoney,
  findExpectedTransferDifferences,
  findRecordProblems,
  findUnexplainedTransfers,
  makeExpectedTransfers,
  type RecordProblemRow,
  sharedAccountMovements,
  tenantMoney,
  wechatTotals,
} from './reconciliation.repository.js';

type Db = Kysely<Database>;

interface TransferTerms {
  ledger: string;
  kind: string;
  amount: number;
  debit: string;
  credit: string;
}

/** One thing the ledger and WeChat's word (the payments, refunds and payouts rows) disagree on. */
export type ReconciliationProblem =
  | {
      /** A payment, refund, release, fee, payout or lease 押金 calls for a transfer that is not there. */
      problem: 'transfer_missing';
      source: string;
      /** out_trade_no, out_refund_no, release id, house_order_no, payout_no or lease id. */
      ref: string;
      key: string;
      expected: TransferTerms;
    }
  | {
      problem: 'transfer_differs';
      source: string;
      ref: string;
      key: string;
      expected: TransferTerms;
      recorded: TransferTerms & { transferId: number };
    }
  | {
      /** Money moved through WeChat's, the payouts' or an escrow order's accounts that no record explains. */
      problem: 'transfer_unexplained';
      transferId: number;
      key: string;
      recorded: TransferTerms;
    }
  | {
      problem: 'escrow_order_differs';
      houseOrderNo: string;
      /** Which of in, fee, paid_out, held, waiting disagree. */
      differs: string[];
      /** From the records: paid in through WeChat, approved out of held, the fee, paid out by the provider. */
      paidIn: number;
      approved: number;
      fee: number;
      paidOut: number;
      /** From the ledger. */
      ledgerIn: number;
      ledgerFee: number;
      ledgerPaidOut: number;
      held: number;
      /** paidIn − approved */
      expectedHeld: number;
      /** In the order's payable-landlord and refund-buyer accounts. */
      waiting: number;
      /** approved − fee − paidOut */
      expectedWaiting: number;
    }
  | {
      problem: 'tenant_wechat_differs';
      account: string;
      /** What the records say came in from WeChat, and what the account was credited from wechat:clearing. */
      fromWechat: number;
      ledgerFromWechat: number;
      /** Refunds that succeeded at WeChat, and what the account posted to wechat:refunds. */
      refunded: number;
      ledgerRefunded: number;
    }
  | {
      problem: 'account_differs';
      code: string;
      field: 'debits_posted' | 'debits_pending' | 'credits_posted' | 'credits_pending';
      recorded: number;
      /** What the payments, refunds and payouts rows say it moved. */
      expected: number;
    }
  | {
      problem: RecordProblemRow['problem'];
      outTradeNo: string;
      purpose: string;
      status: string;
      amount: number;
      /** Refunds asked or succeeded against the payment (refund problems). */
      refunds?: number;
    };

export interface WechatReconciliation {
  ok: boolean;
  /** Payments WeChat took money for (paid or credited), refunds it made, refunds still asked. */
  wechat: {
    paid: { count: number; amount: number };
    refunded: { count: number; amount: number };
    refunding: { count: number; amount: number };
    /** What wechat:clearing passed on into the ledger (rent stays outside the ledger). */
    cleared: number;
  };
  payouts: { count: number; amount: number };
  /** Over every escrow order: held + waiting = paidIn − fee − paidOut when all agree. */
  escrow: {
    orders: number;
    paidIn: number;
    approved: number;
    fee: number;
    paidOut: number;
    held: number;
    waiting: number;
  };
  /** Over every tenant's deposit account. */
  deposits: { accounts: number; fromWechat: number; refunded: number };
  /** Transfers the records call for, each found by its key and compared. */
  expectedTransfers: number;
  problems: ReconciliationProblem[];
  elapsedMs: number;
}

const FIELDS = ['debits_posted', 'debits_pending', 'credits_posted', 'credits_pending'] as const;
const n = (value: unknown) => Number(value ?? 0);

function accountProblems(row: AccountMovementRow): ReconciliationProblem[] {
  return FIELDS.filter((f) => n(row[f]) !== n(row[`expected_${f}`])).map((field) => ({
    problem: 'account_differs' as const,
    code: row.code,
    field,
    recorded: n(row[field]),
    expected: n(row[`expected_${field}`]),
  }));
}

/**
 * Proves the ledger agrees with what WeChat said, as the database holds it (payments settled
 * paid or credited by a verified notify or query, refunds settled succeeded) and with the payout
 * provider's answers (payouts paid), over the whole database with aggregate statements:
 * every payment, refund, approved release, fee, paid payout and moved-out lease's 押金 has its
 * transfer (by key) with the terms the record implies, and no transfer through WeChat's, the
 * payouts' or an escrow order's accounts lacks its record; per escrow order, money in = its WeChat
 * payments, held = in − approved out, waiting for payout = approved − fee − paid out; per tenant,
 * credits from wechat:clearing = the WeChat money the records give them and postings to
 * wechat:refunds = their succeeded refunds; and wechat:clearing, wechat:refunds, payouts and
 * platform:fees moved exactly what the records say. One snapshot (repeatable read on PostgreSQL).
 */
export async function reconcileWithWechat(db: Db): Promise<WechatReconciliation> {
  const started = performance.now();
  const run = async (trx: Db) => {
    await makeExpectedTransfers(trx);
    const found = {
      differences: await findExpectedTransferDifferences(trx),
      strays: await findUnexplainedTransfers(trx),
      orders: await escrowOrderMoney(trx),
      tenants: await tenantMoney(trx),
      accounts: await sharedAccountMovements(trx),
      totals: await wechatTotals(trx),
      records: await findRecordProblems(trx),
    };
    await dropExpectedTransfers(trx);
    return found;
  };
  const found = db.isTransaction
    ? await run(db)
    : await db.transaction().setIsolationLevel('repeatable read').execute(run);
  const problems: ReconciliationProblem[] = [];
  for (const row of found.differences) {
    const expected = {
      ledger: row.ledger,
      kind: row.kind,
      amount: n(row.amount),
      debit: row.debit_code,
      credit: row.credit_code,
    };
    const base = { source: row.source, ref: row.ref, key: row.key, expected };
    if (row.found_id === null) problems.push({ problem: 'transfer_missing', ...base });
    else
      problems.push({
        problem: 'transfer_differs',
        ...base,
        recorded: {
          transferId: n(row.found_id),
          ledger: row.found_ledger ?? '',
          kind: row.found_kind ?? '',
          amount: n(row.found_amount),
          debit: row.found_debit ?? '',
          credit: row.found_credit ?? '',
        },
      });
  }
  for (const row of found.strays) {
    problems.push({
      problem: 'transfer_unexplained',
      transferId: n(row.id),
      key: row.key,
      recorded: {
        ledger: row.ledger,
        kind: row.kind,
        amount: n(row.amount),
        debit: row.debit_code,
        credit: row.credit_code,
      },
    });
  }
  const orderTotal = found.orders.find((r) => n(r.is_total) === 1);
  const orderRows = found.orders
    .filter((r) => n(r.is_total) === 0)
    .sort((a, b) => String(a.house_order_no).localeCompare(String(b.house_order_no)));
  for (const row of orderRows) {
    const v = {
      paidIn: n(row.paid_in),
      approved: n(row.approved),
      fee: n(row.fee),
      paidOut: n(row.paid_out),
      ledgerIn: n(row.ledger_in),
      ledgerFee: n(row.ledger_fee),
      ledgerPaidOut: n(row.ledger_paid_out),
      held: n(row.held),
      waiting: n(row.waiting),
    };
    const expectedHeld = v.paidIn - v.approved;
    const expectedWaiting = v.approved - v.fee - v.paidOut;
    const differs = [
      v.paidIn !== v.ledgerIn && 'in',
      v.fee !== v.ledgerFee && 'fee',
      v.paidOut !== v.ledgerPaidOut && 'paid_out',
      v.held !== expectedHeld && 'held',
      v.waiting !== expectedWaiting && 'waiting',
    ].filter((d): d is string => d !== false);
    problems.push({
      problem: 'escrow_order_differs',
      houseOrderNo: String(row.house_order_no),
      differs,
      ...v,
      expectedHeld,
      expectedWaiting,
    });
  }
  const tenantTotal = found.tenants.find((r) => n(r.is_total) === 1);
  const tenantRows = found.tenants
    .filter((r) => n(r.is_total) === 0)
    .sort((a, b) => String(a.code).localeCompare(String(b.code)));
  for (const row of tenantRows) {
    problems.push({
      problem: 'tenant_wechat_differs',
      account: String(row.code),
      fromWechat: n(row.expected_in),
      ledgerFromWechat: n(row.ledger_in),
      refunded: n(row.expected_refunded),
      ledgerRefunded: n(row.ledger_refunded),
    });
  }
  for (const row of found.accounts) problems.push(...accountProblems(row));
  for (const row of found.records) {
    problems.push({
      problem: row.problem,
      outTradeNo: row.out_trade_no,
      purpose: row.purpose,
      status: row.status,
      amount: n(row.amount),
      ...(row.refunds === null ? {} : { refunds: n(row.refunds) }),
    });
  }
  const t = found.totals;
  const clearing = found.accounts.find((a) => a.code === 'wechat:clearing');
  return {
    ok: problems.length === 0,
    wechat: {
      paid: { count: n(t.paid_count), amount: n(t.paid_amount) },
      refunded: { count: n(t.refunded_count), amount: n(t.refunded_amount) },
      refunding: { count: n(t.refunding_count), amount: n(t.refunding_amount) },
      cleared: n(clearing?.debits_posted),
    },
    payouts: { count: n(t.payouts_count), amount: n(t.payouts_amount) },
    escrow: {
      orders: n(orderTotal?.orders),
      paidIn: n(orderTotal?.paid_in),
      approved: n(orderTotal?.approved),
      fee: n(orderTotal?.fee),
      paidOut: n(orderTotal?.paid_out),
      held: n(orderTotal?.held),
      waiting: n(orderTotal?.waiting),
    },
    deposits: {
      accounts: n(tenantTotal?.tenants),
      fromWechat: n(tenantTotal?.ledger_in),
      refunded: n(tenantTotal?.ledger_refunded),
    },
    expectedTransfers: n(t.expected_transfers),
    problems,
    elapsedMs: Math.round(performance.now() - started),
  };
}
