import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../database.js';
import {
  DEPOSITORY_AMOUNT_TYPES,
  ESCROW_ACCOUNTS,
  ESCROW_FUND_PURPOSE,
  ESCROW_KEYS,
  heldAccount,
  payableAccount,
} from '../escrow/index.js';
import { BOOKING_PURPOSE, INSTALLMENT_PURPOSE, LEASE_STATUS, refundHoldKey } from '../leases/index.js';
import { DEPOSIT_COUNTERPARTS, depositAccount, TENANT_DEPOSIT_KIND } from '../tenants/index.js';

type Db = Kysely<Database>;

/*
 * Every statement here is one aggregate over whole tables (no per-row loop), so the check stays
 * linear in the database's size. The account codes and transfer keys are not spelled out again:
 * they are read from the modules' own functions (called with a marker, split around it), so a
 * change there changes what is reconciled.
 */

const MARK = '\u0000';

/** `prefix || expr || suffix`, the SQL form of a module's code or key function of one value. */
function shaped(make: (value: string) => string, expr: RawBuilder<unknown>): RawBuilder<string> {
  const [prefix = '', suffix = ''] = make(MARK).split(MARK);
  return sql<string>`(${sql.lit(prefix)} || ${expr} || ${sql.lit(suffix)})`;
}

const text = (expr: RawBuilder<unknown>) => sql`cast(${expr} as varchar(200))`;
const lit = (value: string) => sql.lit(value);

const CLEARING = DEPOSIT_COUNTERPARTS.wechat.code;
const REFUNDS = DEPOSIT_COUNTERPARTS.refunds.code;
const PAYOUTS = ESCROW_ACCOUNTS.payouts.code;
const FEES = ESCROW_ACCOUNTS.fees.code;
/** The kinds of the accounts escrow opens per order (escrow-payouts.service, escrow-funds.service). */
const ESCROW_KINDS = ['escrow_held', 'escrow_payable', 'escrow_refund'] as const;
const LEASE_PURPOSES = [INSTALLMENT_PURPOSE, BOOKING_PURPOSE] as const;
/** Every account escrow opens for an order starts so (`escrow:<house_order_no>:…`). */
const ESCROW_CODE_PREFIX = heldAccount(MARK).split(MARK)[0]!;
/** lease_installments.status of a paid installment (leases' INSTALLMENT_PAID, not exported). */
const INSTALLMENT_PAID = 1;
/** Money WeChat took: settled paid or credited, through WeChat (not the held deposit). */
const FROM_WECHAT = sql`p.status in ('paid', 'credited') and p.channel <> 'deposit'`;
const inList = (values: readonly string[]) =>
  sql.join(
    values.map((v) => lit(v)),
    sql`, `,
  );

/** The house order number of an escrow payment's subject `<house_order_no>:<amount_type>`. */
const ESCROW_ORDER_OF_SUBJECT = sql`(case ${sql.join(
  DEPOSITORY_AMOUNT_TYPES.map(
    (type) =>
      sql`when p.subject_id like ${lit(`%:${type}`)} then substr(p.subject_id, 1, length(p.subject_id) - ${sql.lit(type.length + 1)})`,
  ),
  sql` `,
)} end)`;

const tenantDeposit = (tenantId: RawBuilder<unknown>) =>
  shaped((v) => depositAccount(v as unknown as number), tenantId);
/** payments.payer of a tenant is `tenant:<id>`. */
const tenantOfPayer = sql`substr(p.payer, 8)`;

/**
 * Each escrow order's id and number, copied once per check into a temporary table: an order's row
 * is large (its terms), so reading only these two (SQLite reads them from the number's index) and
 * joining the copy keeps the check's reads to what it needs.
 */
const ORDERS = sql.table('reconciliation_orders');

/**
 * Every ledger transfer the records say must exist, with its terms: one row per transfer, named
 * by its key. Sources: WeChat payments (escrow pay-ins, booking fees, money credited to a tenant
 * after we gave its payment up), the 押金 WeChat collected with a moved-out lease's first
 * installment, refunds of tenants' payments (the hold, then its post or void), approved escrow
 * releases and refunds (and the order's fee), and paid escrow payouts.
 */
export const EXPECTED_TRANSFERS = sql`
  select 'payment' as source, p.out_trade_no as ref, ${shaped(ESCROW_KEYS.fund, sql`p.out_trade_no`)} as key,
    case when p.status = 'paid' then 'escrow.fund' else 'escrow.fund_late' end as ledger, 'posted' as kind,
    p.amount as amount, ${lit(CLEARING)} as debit_code, ${shaped(heldAccount, ESCROW_ORDER_OF_SUBJECT)} as credit_code
  from payments p where p.purpose = ${lit(ESCROW_FUND_PURPOSE)} and ${FROM_WECHAT}
  union all
  select 'payment', p.out_trade_no, ${lit('booking:')} || p.out_trade_no, 'booking', 'posted',
    p.amount, ${lit(CLEARING)}, ${tenantDeposit(tenantOfPayer)}
  from payments p where p.purpose = ${lit(BOOKING_PURPOSE)} and p.status = 'paid' and p.channel <> 'deposit'
  union all
  select 'payment', p.out_trade_no, ${lit('credit:')} || p.out_trade_no, 'credit', 'posted',
    p.amount, ${lit(CLEARING)}, ${tenantDeposit(tenantOfPayer)}
  from payments p where p.purpose in (${inList(LEASE_PURPOSES)}) and p.status = 'credited' and p.channel <> 'deposit'
  union all
  select 'lease_deposit', ${text(sql`l.id`)}, ${lit('lease.deposit:')} || ${text(sql`l.id`)}, 'lease.deposit', 'posted',
    case when i.deposit_part < p.amount then i.deposit_part else p.amount end,
    ${lit(CLEARING)}, ${tenantDeposit(text(sql`l.tenant_id`))}
  from leases l
  join lease_installments i on i.lease_id = l.id and i.seq = 1 and i.deposit_part > 0
    and i.status = ${sql.lit(INSTALLMENT_PAID)}
  join payments p on p.purpose = ${lit(INSTALLMENT_PURPOSE)} and p.subject_id = ${text(sql`i.id`)}
    and p.status = 'paid' and p.channel <> 'deposit'
  where l.status = ${sql.lit(LEASE_STATUS.retired)}
  union all
  select 'refund', r.out_refund_no, ${shaped(refundHoldKey, sql`r.out_refund_no`)}, 'refund', 'pending',
    r.amount, ${tenantDeposit(tenantOfPayer)}, ${lit(REFUNDS)}
  from refunds r join payments p on p.id = r.payment_id where p.purpose in (${inList(LEASE_PURPOSES)})
  union all
  select 'refund', r.out_refund_no,
    case when r.status = 'succeeded' then ${lit('refund.post:')} else ${lit('refund.void:')} end || r.out_refund_no,
    'refund', case when r.status = 'succeeded' then 'post_pending' else 'void_pending' end,
    r.amount, ${tenantDeposit(tenantOfPayer)}, ${lit(REFUNDS)}
  from refunds r join payments p on p.id = r.payment_id
  where p.purpose in (${inList(LEASE_PURPOSES)}) and r.status in ('succeeded', 'failed')
  union all
  select 'release', ${text(sql`r.id`)}, ${shaped((v) => ESCROW_KEYS.release(v as unknown as number), text(sql`r.id`))},
    case when r.kind = 'release' then 'escrow.release' else 'escrow.refund' end, 'posted',
    r.amount - r.fee, ${shaped(heldAccount, sql`o.house_order_no`)},
    case when r.kind = 'release' then ${shaped((v) => payableAccount(v, 'release'), sql`o.house_order_no`)}
      else ${shaped((v) => payableAccount(v, 'refund'), sql`o.house_order_no`)} end
  from escrow_releases r join ${ORDERS} o on o.id = r.order_id where r.state = 'approved'
  union all
  select 'fee', o.house_order_no, ${shaped(ESCROW_KEYS.fee, sql`o.house_order_no`)}, 'escrow.fee', 'posted',
    r.fee, ${shaped(heldAccount, sql`o.house_order_no`)}, ${lit(FEES)}
  from escrow_releases r join ${ORDERS} o on o.id = r.order_id where r.state = 'approved' and r.fee > 0
  union all
  select 'payout', y.payout_no, ${shaped(ESCROW_KEYS.payout, sql`y.payout_no`)}, 'escrow.payout', 'posted',
    y.amount,
    case when r.kind = 'release' then ${shaped((v) => payableAccount(v, 'release'), sql`o.house_order_no`)}
      else ${shaped((v) => payableAccount(v, 'refund'), sql`o.house_order_no`)} end,
    ${lit(PAYOUTS)}
  from escrow_payouts y join escrow_releases r on r.id = y.release_id join ${ORDERS} o on o.id = y.order_id
  where y.state = 'paid'`;

/**
 * The transfers the records call for, made once per check into a temporary table (this
 * connection's only) with its key indexed: each statement below reads it instead of deriving it
 * again. Made and dropped inside the check's transaction.
 */
const EXPECTED = sql.table('reconciliation_expected');

export async function makeExpectedTransfers(db: Db): Promise<void> {
  await dropExpectedTransfers(db);
  await sql`create temporary table ${ORDERS} as select id, house_order_no from escrow_orders`.execute(db);
  await sql`create index reconciliation_orders_id on ${ORDERS} (id)`.execute(db);
  await sql`create temporary table ${EXPECTED} as ${EXPECTED_TRANSFERS}`.execute(db);
  await sql`create index reconciliation_expected_key on ${EXPECTED} (key)`.execute(db);
  // PostgreSQL never analyzes a temporary table by itself: without its statistics it plans the
  // joins over it as if it held a few rows.
  await sql`analyze ${ORDERS}`.execute(db);
  await sql`analyze ${EXPECTED}`.execute(db);
}

export async function dropExpectedTransfers(db: Db): Promise<void> {
  await sql`drop table if exists ${EXPECTED}`.execute(db);
  await sql`drop table if exists ${ORDERS}`.execute(db);
}

export interface TransferDifferenceRow {
  source: string;
  ref: string;
  key: string;
  ledger: string;
  kind: string;
  amount: number;
  debit_code: string;
  credit_code: string;
  found_id: number | null;
  found_ledger: string | null;
  found_kind: string | null;
  found_amount: number | null;
  found_debit: string | null;
  found_credit: string | null;
}

/** Transfers the records call for that are missing, or whose terms differ from the records'. */
export async function findExpectedTransferDifferences(db: Db): Promise<TransferDifferenceRow[]> {
  const { rows } = await sql<TransferDifferenceRow>`
    select e.source, e.ref, e.key, e.ledger, e.kind, e.amount, e.debit_code, e.credit_code,
      t.id as found_id, t.ledger as found_ledger, t.kind as found_kind, t.amount as found_amount,
      d.code as found_debit, c.code as found_credit
    from ${EXPECTED} e
    left join ledger_transfers t on t.key = e.key
    left join ledger_accounts d on d.id = t.debit_account_id
    left join ledger_accounts c on c.id = t.credit_account_id
    where t.id is null or t.amount <> e.amount or t.kind <> e.kind or t.ledger <> e.ledger
      or d.code <> e.debit_code or c.code <> e.credit_code
    order by e.source, e.key`.execute(db);
  return rows;
}

export interface StrayTransferRow {
  id: number;
  key: string;
  ledger: string;
  kind: string;
  amount: number;
  debit_code: string;
  credit_code: string;
}

/**
 * Transfers that move money of WeChat's or of escrow (they touch `wechat:clearing`,
 * `wechat:refunds`, `payouts`, `platform:fees` or an order's accounts) but that no record calls for.
 */
export async function findUnexplainedTransfers(db: Db): Promise<StrayTransferRow[]> {
  const watched = sql`(a.code in (${inList([CLEARING, REFUNDS, PAYOUTS, FEES])}) or ${isEscrowAccount('a')})`;
  const { rows } = await sql<StrayTransferRow>`
    with watched as (select a.id from ledger_accounts a where ${watched})
    select t.id, t.key, t.ledger, t.kind, t.amount, d.code as debit_code, c.code as credit_code
    from ledger_transfers t
    join ledger_accounts d on d.id = t.debit_account_id
    join ledger_accounts c on c.id = t.credit_account_id
    where (t.debit_account_id in (select id from watched) or t.credit_account_id in (select id from watched))
      and not exists (select 1 from ${EXPECTED} e where e.key = t.key)
    order by t.id`.execute(db);
  return rows;
}

/** An order's account of escrow: its kind, and its code's shape. */
function isEscrowAccount(alias: string) {
  const a = sql.table(alias);
  return sql`(${a}.kind in (${inList(ESCROW_KINDS)}) and ${a}.code like ${lit(`${ESCROW_CODE_PREFIX}%`)})`;
}

const accountId = (code: string) => sql`(select id from ledger_accounts where code = ${lit(code)})`;

/** What the records say of each escrow order: WeChat's pay-ins, approved requests, paid payouts. */
const ESCROW_RECORD_FACTS = sql`
  select ${ESCROW_ORDER_OF_SUBJECT} as no, p.amount as paid_in, 0 as approved, 0 as fee, 0 as paid_out
  from payments p where p.purpose = ${lit(ESCROW_FUND_PURPOSE)} and ${FROM_WECHAT}
  union all
  select o.house_order_no, 0, r.amount, r.fee, 0
  from escrow_releases r join ${ORDERS} o on o.id = r.order_id where r.state = 'approved'
  union all
  select o.house_order_no, 0, 0, 0, y.amount
  from escrow_payouts y join ${ORDERS} o on o.id = y.order_id where y.state = 'paid'`;

/** What the ledger says of each escrow order (its accounts' owner is the house order number). */
const ESCROW_LEDGER_FACTS = sql`
  select c.owner as no, t.amount as ledger_in, 0 as ledger_fee, 0 as ledger_paid_out, 0 as held, 0 as waiting
  from ledger_transfers t join ledger_accounts c on c.id = t.credit_account_id and c.kind = 'escrow_held'
    and ${isEscrowAccount('c')}
  where t.debit_account_id = ${accountId(CLEARING)}
  union all
  select d.owner, 0,
    case when t.credit_account_id = ${accountId(FEES)} then t.amount else 0 end,
    case when t.credit_account_id = ${accountId(PAYOUTS)} then t.amount else 0 end, 0, 0
  from ledger_transfers t join ledger_accounts d on d.id = t.debit_account_id and ${isEscrowAccount('d')}
  where t.credit_account_id in (${accountId(FEES)}, ${accountId(PAYOUTS)})
  union all
  select a.owner, 0, 0, 0,
    case when a.kind = 'escrow_held' then a.credits_posted - a.debits_posted else 0 end,
    case when a.kind = 'escrow_held' then 0 else a.credits_posted - a.debits_posted end
  from ledger_accounts a where ${isEscrowAccount('a')}`;

const ESCROW_SUMS = [
  'paid_in',
  'ledger_in',
  'approved',
  'fee',
  'ledger_fee',
  'paid_out',
  'ledger_paid_out',
  'held',
  'waiting',
] as const;

export type EscrowOrderMoneyRow = {
  is_total: number;
  house_order_no: string | null;
  orders: number;
} & Record<(typeof ESCROW_SUMS)[number], number>;

/**
 * Each escrow order's money from its records and from its ledger accounts, for the orders where
 * they disagree: paid in (WeChat) against credited to `held` from `wechat:clearing`; the fee and
 * the paid payouts against their transfers; what is held against paid in − approved; what waits
 * in the payable accounts against approved − fee − paid out. The row with is_total 1 is
 * the total over every order (`orders` of them).
 */
export async function escrowOrderMoney(db: Db): Promise<EscrowOrderMoneyRow[]> {
  const sums = sql.join(
    ESCROW_SUMS.map((c) => sql`cast(coalesce(sum(${sql.ref(c)}), 0) as bigint) as ${sql.ref(c)}`),
    sql`, `,
  );
  const plain = sql.join(
    ESCROW_SUMS.map((c) => sql.ref(c)),
    sql`, `,
  );
  const { rows } = await sql<EscrowOrderMoneyRow>`
    with facts as (
      select no, paid_in, 0 as ledger_in, approved, fee, 0 as ledger_fee, paid_out, 0 as ledger_paid_out,
        0 as held, 0 as waiting
      from (${ESCROW_RECORD_FACTS}) r
      union all
      select no, 0, ledger_in, 0, 0, ledger_fee, 0, ledger_paid_out, held, waiting from (${ESCROW_LEDGER_FACTS}) l
    ),
    per_order as (select no, ${sums} from facts group by no)
    select 1 as is_total, null as house_order_no, cast(count(*) as bigint) as orders, ${sums} from per_order
    union all
    select 0, no, 1, ${plain} from per_order
    where paid_in <> ledger_in or fee <> ledger_fee or paid_out <> ledger_paid_out
      or held <> paid_in - approved or waiting <> approved - fee - paid_out`.execute(db);
  return rows;
}

const TENANT_SUMS = ['expected_in', 'ledger_in', 'expected_refunded', 'ledger_refunded'] as const;

export type TenantMoneyRow = { is_total: number; code: string | null; tenants: number } & Record<
  (typeof TENANT_SUMS)[number],
  number
>;

/**
 * Each tenant's deposit account against WeChat: what the records say came in from WeChat
 * (booking fees, credited payments, a moved-out lease's 押金) against the account's credits from
 * `wechat:clearing`, and the refunds that succeeded against its posted debits to `wechat:refunds`.
 * The row with is_total 1 is the total (`tenants` accounts or records); the others disagree.
 */
export async function tenantMoney(db: Db): Promise<TenantMoneyRow[]> {
  const sums = sql.join(
    TENANT_SUMS.map((c) => sql`cast(coalesce(sum(${sql.ref(c)}), 0) as bigint) as ${sql.ref(c)}`),
    sql`, `,
  );
  const plain = sql.join(
    TENANT_SUMS.map((c) => sql.ref(c)),
    sql`, `,
  );
  const [prefix = ''] = depositAccount(MARK as unknown as number).split(MARK);
  const { rows } = await sql<TenantMoneyRow>`
    with facts as (
      select e.credit_code as code, e.amount as expected_in, 0 as ledger_in, 0 as expected_refunded,
        0 as ledger_refunded
      from ${EXPECTED} e where e.debit_code = ${lit(CLEARING)} and e.credit_code like ${lit(`${prefix}%`)}
      union all
      select e.debit_code, 0, 0, e.amount, 0 from ${EXPECTED} e
      where e.kind = 'post_pending' and e.credit_code = ${lit(REFUNDS)}
      union all
      select c.code, 0, t.amount, 0, 0
      from ledger_transfers t join ledger_accounts c on c.id = t.credit_account_id and c.kind = ${lit(TENANT_DEPOSIT_KIND)}
      where t.debit_account_id = ${accountId(CLEARING)}
      union all
      select d.code, 0, 0, 0, t.amount
      from ledger_transfers t join ledger_accounts d on d.id = t.debit_account_id and d.kind = ${lit(TENANT_DEPOSIT_KIND)}
      where t.credit_account_id = ${accountId(REFUNDS)} and t.kind = 'post_pending'
    ),
    per_tenant as (select code, ${sums} from facts group by code)
    select 1 as is_total, null as code, cast(count(*) as bigint) as tenants, ${sums} from per_tenant
    union all
    select 0, code, 1, ${plain} from per_tenant
    where expected_in <> ledger_in or expected_refunded <> ledger_refunded`.execute(db);
  return rows;
}

export interface AccountMovementRow {
  code: string;
  found: number;
  debits_posted: number;
  debits_pending: number;
  credits_posted: number;
  credits_pending: number;
  expected_debits_posted: number;
  expected_debits_pending: number;
  expected_credits_posted: number;
  expected_credits_pending: number;
}

/** The accounts every WeChat or payout movement goes through, with what the records say they moved. */
export const SHARED_ACCOUNTS = [CLEARING, REFUNDS, PAYOUTS, FEES] as const;

/**
 * `wechat:clearing`, `wechat:refunds`, `payouts` and `platform:fees`: their four balances, and the
 * same four summed over the transfers the records call for (a hold counts as pending until its
 * post or void; a refund is always posted whole).
 */
export async function sharedAccountMovements(db: Db): Promise<AccountMovementRow[]> {
  const posted = sql`case when e.kind in ('posted', 'post_pending') then e.amount else 0 end`;
  const pending = sql`case when e.kind = 'pending' then e.amount when e.kind in ('post_pending', 'void_pending') then -e.amount else 0 end`;
  const codes = sql.join(
    SHARED_ACCOUNTS.map((code) => sql`select ${lit(code)} as code`),
    sql` union all `,
  );
  const { rows } = await sql<AccountMovementRow>`
    with sides as (
      select e.debit_code as code, ${posted} as d_posted, ${pending} as d_pending, 0 as c_posted, 0 as c_pending
      from ${EXPECTED} e where e.debit_code in (${inList(SHARED_ACCOUNTS)})
      union all
      select e.credit_code, 0, 0, ${posted}, ${pending}
      from ${EXPECTED} e where e.credit_code in (${inList(SHARED_ACCOUNTS)})
    ),
    sums as (
      select code, sum(d_posted) as d_posted, sum(d_pending) as d_pending, sum(c_posted) as c_posted,
        sum(c_pending) as c_pending
      from sides group by code
    )
    select w.code, case when a.id is null then 0 else 1 end as found,
      coalesce(a.debits_posted, 0) as debits_posted, coalesce(a.debits_pending, 0) as debits_pending,
      coalesce(a.credits_posted, 0) as credits_posted, coalesce(a.credits_pending, 0) as credits_pending,
      cast(coalesce(s.d_posted, 0) as bigint) as expected_debits_posted,
      cast(coalesce(s.d_pending, 0) as bigint) as expected_debits_pending,
      cast(coalesce(s.c_posted, 0) as bigint) as expected_credits_posted,
      cast(coalesce(s.c_pending, 0) as bigint) as expected_credits_pending
    from (${codes}) w
    left join ledger_accounts a on a.code = w.code
    left join sums s on s.code = w.code`.execute(db);
  return rows;
}

export interface WechatTotalsRow {
  paid_count: number;
  paid_amount: number;
  refunded_count: number;
  refunded_amount: number;
  refunding_count: number;
  refunding_amount: number;
  payouts_count: number;
  payouts_amount: number;
  expected_transfers: number;
}

/** What WeChat took (paid or credited, through WeChat), refunded, is refunding; what was paid out. */
export async function wechatTotals(db: Db): Promise<WechatTotalsRow> {
  const { rows } = await sql<WechatTotalsRow>`
    select
      (select cast(count(*) as bigint) from payments p where ${FROM_WECHAT}) as paid_count,
      (select cast(coalesce(sum(p.amount), 0) as bigint) from payments p where ${FROM_WECHAT}) as paid_amount,
      (select cast(count(*) as bigint) from refunds where status = 'succeeded') as refunded_count,
      (select cast(coalesce(sum(amount), 0) as bigint) from refunds where status = 'succeeded') as refunded_amount,
      (select cast(count(*) as bigint) from refunds where status = 'requested') as refunding_count,
      (select cast(coalesce(sum(amount), 0) as bigint) from refunds where status = 'requested') as refunding_amount,
      (select cast(count(*) as bigint) from escrow_payouts where state = 'paid') as payouts_count,
      (select cast(coalesce(sum(amount), 0) as bigint) from escrow_payouts where state = 'paid') as payouts_amount,
      (select cast(count(*) as bigint) from ${EXPECTED}) as expected_transfers`.execute(db);
  return rows[0]!;
}

export interface RecordProblemRow {
  problem:
    | 'paid_without_transaction_id'
    | 'refund_of_money_not_from_wechat'
    | 'refunds_exceed_payment'
    | 'refund_not_ledgered';
  out_trade_no: string;
  purpose: string;
  status: string;
  amount: number;
  refunds: number | null;
}

/**
 * WeChat's word that the records themselves break: money taken without WeChat's transaction id,
 * a refund of a payment WeChat took no money for, refunds (asked or succeeded) above the payment,
 * a refund of a purpose whose refunds post nothing to the ledger.
 */
export async function findRecordProblems(db: Db): Promise<RecordProblemRow[]> {
  const { rows } = await sql<RecordProblemRow>`
    select 'paid_without_transaction_id' as problem, p.out_trade_no, p.purpose, p.status, p.amount,
      null as refunds
    from payments p where ${FROM_WECHAT} and (p.transaction_id is null or p.transaction_id = '')
    union all
    select case
        when not (${FROM_WECHAT}) then 'refund_of_money_not_from_wechat'
        when p.purpose not in (${inList(LEASE_PURPOSES)}) then 'refund_not_ledgered'
        else 'refunds_exceed_payment' end,
      p.out_trade_no, p.purpose, p.status, p.amount, cast(sum(r.amount) as bigint)
    from refunds r join payments p on p.id = r.payment_id
    where r.status in ('requested', 'succeeded')
    group by p.id, p.out_trade_no, p.purpose, p.status, p.amount, p.channel
    having not (${FROM_WECHAT}) or p.purpose not in (${inList(LEASE_PURPOSES)}) or sum(r.amount) > p.amount`.execute(
    db,
  );
  return rows;
}
