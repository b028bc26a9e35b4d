import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../../../database.js';

/**
 * The tenants module's step 0012-deposits-on-ledger: deposits held before they moved through the
 * ledger get their opening balance there, so each tenant's ledger account agrees with
 * `tenants.deposit_held` from the first posting on. For every tenant holding a deposit: the
 * account `tenant:<id>:deposit` (it can never pay out more than came in) and one transfer
 * `opening:tenant:<id>` of the amount held from `ledger:opening`. Written as set-based SQL of its
 * own rather than through the ledger's service, so what this step does never changes with it;
 * the balances it sets are recomputed from the transfers, which is what checkLedger proves.
 * Run again (on a database where some tenant already has the account or the transfer), it adds
 * only what is missing.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  const now = Date.now();
  await sql`
    insert into ledger_accounts (code, kind, owner, debits_must_not_exceed_credits,
      credits_must_not_exceed_debits, created_at)
    select 'ledger:opening', 'opening', null, 0, 0, ${sql.lit(now)}
    where exists (select 1 from tenants where deposit_held > 0)
    on conflict (code) do nothing`.execute(db);
  await sql`
    insert into ledger_accounts (code, kind, owner, debits_must_not_exceed_credits,
      credits_must_not_exceed_debits, created_at)
    select 'tenant:' || cast(id as text) || ':deposit', 'tenant_deposit', cast(id as text), 1, 0, ${sql.lit(now)}
    from tenants where deposit_held > 0
    order by id
    on conflict (code) do nothing`.execute(db);
  await sql`
    insert into ledger_transfers (key, kind, debit_account_id, credit_account_id, amount,
      pending_id, ledger, subject, metadata, created_at)
    select 'opening:tenant:' || cast(t.id as text), 'posted', o.id, a.id, t.deposit_held,
      null, 'opening', 'tenant:' || cast(t.id as text), null, ${sql.lit(now)}
    from tenants t
    join ledger_accounts a on a.code = 'tenant:' || cast(t.id as text) || ':deposit'
    join ledger_accounts o on o.code = 'ledger:opening'
    where t.deposit_held > 0
    order by t.id
    on conflict (key) do nothing`.execute(db);
  // Posted balances of the accounts this step touched, from their transfers.
  await sql`
    update ledger_accounts set
      debits_posted = (select coalesce(sum(amount), 0) from ledger_transfers
        where debit_account_id = ledger_accounts.id and kind in ('posted', 'post_pending')),
      credits_posted = (select coalesce(sum(amount), 0) from ledger_transfers
        where credit_account_id = ledger_accounts.id and kind in ('posted', 'post_pending'))
    where code = 'ledger:opening' or kind = 'tenant_deposit'`.execute(db);
}
