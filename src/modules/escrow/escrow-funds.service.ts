import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import type { Database } from '../../database.js';
import { recordAudit } from '../audit/index.js';
import { balance, history, type LedgerEntry, openAccount, transfer } from '../ledger/index.js';
import {
  openPayment,
  type PaymentDeps,
  type PaymentHook,
  type PaymentRow,
  payWithRetries,
  requestJsapiPay,
} from '../payments/index.js';
import { findOrderById, findOrderByNo, findPartyByTokenHash, lockOrderByNo } from './escrow.repository.js';
import type { EscrowOrderRow } from './escrow.table.js';
import { TOKEN_LIFETIME_AFTER_DEADLINE_MS } from './escrow-acceptance.service.js';
import { enqueueEscrowNotification } from './escrow-notifications.service.js';
import { DEPOSITORY_AMOUNT_TYPES } from './escrow-request.validation.js';
import { effectiveState } from './escrow-state.js';
import { type EscrowPublicTerms, isTokenShaped, tokenHash } from './escrow-terms.js';

type Db = Kysely<Database>;

export type AmountType = (typeof DEPOSITORY_AMOUNT_TYPES)[number];

/** The payments purpose of money paid into escrow; its subject is `<house_order_no>:<amount_type>`. */
export const ESCROW_FUND_PURPOSE = 'escrow_fund';

/** Which term of the invitation each depository amount type pays. */
export const AMOUNT_TYPE_FIELDS = {
  deposit_pay: 'deposit_amount',
  down_pay: 'first_pay_amount',
  balance_pay: 'final_pay_amount',
} as const satisfies Record<AmountType, keyof EscrowPublicTerms>;

export const AMOUNT_TYPE_LABELS: Readonly<Record<AmountType, string>> = {
  deposit_pay: '定金',
  down_pay: '首付款',
  balance_pay: '尾款',
};

/** The ledger accounts of escrow money. */
export const ESCROW_ACCOUNTS = {
  /** Money WeChat collected for us. */
  clearing: { code: 'wechat:clearing', kind: 'clearing' },
  /** The platform's service fees. */
  fees: { code: 'platform:fees', kind: 'fees' },
  /** Money that left for a bank card through the payout provider. */
  payouts: { code: 'payouts', kind: 'payouts' },
} as const;

export const heldAccount = (houseOrderNo: string) => `escrow:${houseOrderNo}:held`;
export const payableAccount = (houseOrderNo: string, kind: 'release' | 'refund') =>
  kind === 'release' ? `escrow:${houseOrderNo}:payable-landlord` : `escrow:${houseOrderNo}:refund-buyer`;

/** The keys that make each posting happen once, whoever retries it. */
export const ESCROW_KEYS = {
  fund: (outTradeNo: string) => `escrow.fund:${outTradeNo}`,
  release: (releaseId: number) => `escrow.release:${releaseId}`,
  fee: (houseOrderNo: string) => `escrow.fee:${houseOrderNo}`,
  payout: (payoutNo: string) => `escrow.payout:${payoutNo}`,
};

/** Opens an escrow account whose debits can never exceed its credits (it holds someone's money). */
export function openHeldAccount(db: Db, code: string, kind: string, owner: string, now: number) {
  return openAccount(db, { code, kind, owner, debitsMustNotExceedCredits: true }, now);
}

export function openCounterpart(db: Db, which: keyof typeof ESCROW_ACCOUNTS, now: number) {
  return openAccount(db, { ...ESCROW_ACCOUNTS[which] }, now);
}

export const subjectOf = (houseOrderNo: string, type: AmountType) => `${houseOrderNo}:${type}`;

function splitSubject(subject: string): { houseOrderNo: string; type: string } {
  const at = subject.lastIndexOf(':');
  return { houseOrderNo: subject.slice(0, at), type: subject.slice(at + 1) };
}

/** What the contracts put into escrow: each type once, in the spec's order, with its amount. */
export function duesOf(order: Pick<EscrowOrderRow, 'terms_json'>): Array<{ type: AmountType; due: number }> {
  const terms = JSON.parse(order.terms_json) as EscrowPublicTerms;
  const types = new Set(terms.house_contract_infos.flatMap((c) => c.depository_amount_types));
  return DEPOSITORY_AMOUNT_TYPES.filter((type) => types.has(type)).map((type) => ({
    type,
    due: terms[AMOUNT_TYPE_FIELDS[type]] ?? 0,
  }));
}

export function serviceFeeOf(order: Pick<EscrowOrderRow, 'terms_json'>): number {
  return (JSON.parse(order.terms_json) as EscrowPublicTerms).service_fee_amount ?? 0;
}

/**
 * Posts money a buyer paid into the order's held account, keyed by the payment: a replayed
 * notify (or reconciliation) posts it once. Late money — WeChat took it after we had given the
 * payment up, or the type was already paid — is still the buyer's: it is held the same way under
 * `escrow.fund_late`, shown apart, and can be refunded.
 */
async function postFund(trx: Db, payment: PaymentRow, now: number, late: boolean): Promise<void> {
  const { houseOrderNo, type } = splitSubject(payment.subject_id);
  await openCounterpart(trx, 'clearing', now);
  await openHeldAccount(trx, heldAccount(houseOrderNo), 'escrow_held', houseOrderNo, now);
  await transfer(
    trx,
    {
      key: ESCROW_KEYS.fund(payment.out_trade_no),
      debit: ESCROW_ACCOUNTS.clearing.code,
      credit: heldAccount(houseOrderNo),
      amount: payment.amount,
      ledger: late ? 'escrow.fund_late' : 'escrow.fund',
      subject: payment.subject_id,
      metadata: { amount_type: type, out_trade_no: payment.out_trade_no, late },
    },
    now,
  );
  const order = await findOrderByNo(trx, houseOrderNo);
  if (order)
    await enqueueEscrowNotification(trx, {
      order,
      event: 'funds_in',
      state: order.state,
      data: { amount_type: type, amount: payment.amount, out_trade_no: payment.out_trade_no, late },
      dedupeKey: `funds_in:${payment.out_trade_no}`,
      now,
    });
  await recordAudit(trx, {
    actor: 'wechat:notify',
    entity: 'escrow_order',
    entity_id: houseOrderNo,
    action: late ? 'funded_late' : 'funded',
    from_state: null,
    to_state: null,
    reason: `${type} ${payment.amount} ${payment.out_trade_no}`,
    created_at: now,
  });
}

/** What a settled escrow payment does, inside the settling transaction (registered in composition). */
export const ESCROW_PAYMENT_HOOKS: Readonly<Record<string, PaymentHook>> = {
  [ESCROW_FUND_PURPOSE]: {
    async lockSubject(trx, subjectId) {
      await lockOrderByNo(trx, splitSubject(subjectId).houseOrderNo);
    },
    onPaid: (trx, payment, now) => postFund(trx, payment, now, false),
    onPaidLate: (trx, payment, now) => postFund(trx, payment, now, true),
  },
};

// ---- what the order holds -------------------------------------------------------------------

async function balanceOr0(db: Db, code: string): Promise<number> {
  try {
    return (await balance(db, code)).net;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'not_found') return 0;
    throw error;
  }
}

async function entriesOf(db: Db, code: string): Promise<LedgerEntry[]> {
  try {
    return await history(db, code, { limit: 500 });
  } catch (error) {
    if (error instanceof DomainError && error.code === 'not_found') return [];
    throw error;
  }
}

export interface FundStatus {
  /** What the held account holds now (fen). */
  held: number;
  types: Array<{ amount_type: AmountType; label: string; due: number; paid: number; late_paid: number }>;
  /** Awaiting (or failed) payout to the landlord / the buyer. */
  payable_landlord: number;
  refund_buyer: number;
  released: number;
  refunded: number;
  fee_taken: number;
}

/** The order's money, read from the ledger: held, paid per type, moved out and waiting for payout. */
export async function fundStatus(db: Db, order: EscrowOrderRow): Promise<FundStatus> {
  const no = order.house_order_no;
  const entries = await entriesOf(db, heldAccount(no));
  const sum = (pick: (e: LedgerEntry) => boolean) => entries.filter(pick).reduce((s, e) => s + e.amount, 0);
  return {
    held: await balanceOr0(db, heldAccount(no)),
    types: duesOf(order).map(({ type, due }) => ({
      amount_type: type,
      label: AMOUNT_TYPE_LABELS[type],
      due,
      paid: sum(
        (e) => e.direction === 'credit' && e.ledger === 'escrow.fund' && e.subject === subjectOf(no, type),
      ),
      late_paid: sum(
        (e) =>
          e.direction === 'credit' && e.ledger === 'escrow.fund_late' && e.subject === subjectOf(no, type),
      ),
    })),
    payable_landlord: await balanceOr0(db, payableAccount(no, 'release')),
    refund_buyer: await balanceOr0(db, payableAccount(no, 'refund')),
    released: sum((e) => e.direction === 'debit' && e.ledger === 'escrow.release'),
    refunded: sum((e) => e.direction === 'debit' && e.ledger === 'escrow.refund'),
    fee_taken: sum((e) => e.direction === 'debit' && e.ledger === 'escrow.fee'),
  };
}

// ---- the buyer pays -------------------------------------------------------------------------

export interface EscrowFundDeps {
  db: Db;
  payments: PaymentDeps;
}

const NOT_FOUND = '邀约不存在或已失效';
const OPEN_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The buyer pays one depository amount into escrow by WeChat Pay v3 JSAPI: once the invitation
 * is signed, for a type its contracts escrow, the amount the terms say. Under the order's row
 * lock (the hook's lock, so pay and notify queue) the type must not be paid yet; a retried pay
 * answers the same open payment. Answers the page's parameters for WeixinJSBridge.
 */
export async function payIntoEscrow(
  deps: EscrowFundDeps,
  token: string,
  input: { amountType: string; openId: string },
  now: number,
) {
  if (!isTokenShaped(token)) throw new DomainError('not_found', NOT_FOUND);
  const party = await findPartyByTokenHash(deps.db, tokenHash(token));
  const order = party && (await findOrderById(deps.db, Number(party.order_id)));
  if (!party || !order || now > Number(order.deadline_at) + TOKEN_LIFETIME_AFTER_DEADLINE_MS)
    throw new DomainError('not_found', NOT_FOUND);
  if (party.role !== 'buyer') throw new DomainError('forbidden', '只有买方可以支付监管资金');
  if (effectiveState(order, now) !== 'signed')
    throw new DomainError('illegal_transition', '邀约尚未完成应约，暂不能支付');
  const errors = [];
  const due = duesOf(order).find((d) => d.type === input.amountType);
  if (!due) errors.push({ field: 'amount_type', error: '该款项不在资金监管范围内' });
  else if (due.due <= 0) errors.push({ field: 'amount_type', error: '该款项金额为0，无需支付' });
  if (!OPEN_ID.test(input.openId)) errors.push({ field: 'open_id', error: '用户标识格式不正确' });
  if (errors.length > 0 || !due) throw DomainError.validation(errors);
  const no = order.house_order_no;
  const subject = subjectOf(no, due.type);
  const payment = await payWithRetries(deps.payments, () =>
    deps.db.transaction().execute(async (trx) => {
      await lockOrderByNo(trx, no);
      const paid = (await entriesOf(trx, heldAccount(no))).some(
        (e) => e.ledger === 'escrow.fund' && e.subject === subject,
      );
      if (paid) throw new DomainError('illegal_transition', `${AMOUNT_TYPE_LABELS[due.type]}已支付`);
      return openPayment(trx, {
        purpose: ESCROW_FUND_PURPOSE,
        subjectId: subject,
        payer: `wechat:${input.openId}`,
        amount: due.due,
        channel: 'wechat_jsapi',
        now,
      });
    }),
  );
  const params = await requestJsapiPay(deps.payments, payment, {
    description: `二手房资金监管-${AMOUNT_TYPE_LABELS[due.type]}`,
    openId: input.openId,
  });
  return {
    house_order_no: no,
    amount_type: due.type,
    amount: payment.amount,
    out_trade_no: payment.out_trade_no,
    pay_params: params,
  };
}
