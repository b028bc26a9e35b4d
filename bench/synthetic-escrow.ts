import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../src/database.js';
import { systemClock } from '../src/platform/clock.js';
import { withIndexesDeferred } from '../src/platform/db/bulk-load.js';
import type { Pii } from '../src/platform/pii.js';
import { seedEscrowDemoIfEmpty } from '../src/seed/demo-escrow.js';

// Rows per INSERT under both databases' bound-parameter limits; orders per transaction.
const BATCH = 200;
const CHUNK = BATCH * 25;
const TABLES = ['escrow_orders', 'escrow_parties', 'payments', 'ledger_accounts', 'ledger_transfers'];

/**
 * `count` signed escrow orders, each with its buyer's deposit paid through WeChat and posted to
 * its held account — a million orders' worth of postings for `ledger check` and a full table for
 * CREATE to write beside. The demo's signed invitation is made through the real services (CREATE,
 * acceptance, payment, the escrow hook's ledger transfer); its rows are then copied with new
 * numbers, tokens, payments and transfer keys. Copies share the template's sealed personal data:
 * they are load, not people. The clearing account's debits are raised by what the copies
 * posted, so the ledger still adds up.
 */
export async function loadSyntheticEscrow(
  db: Db,
  pii: Pii,
  count: number,
  onProgress: (done: number) => void,
): Promise<void> {
  const k = db.kysely;
  await seedEscrowDemoIfEmpty({ db: k, pii, clock: systemClock, publicBaseUrl: 'http://127.0.0.1' });
  const order = await k
    .selectFrom('escrow_orders')
    .selectAll()
    .where('state', '=', 'signed')
    .executeTakeFirstOrThrow();
  const parties = await k.selectFrom('escrow_parties').selectAll().where('order_id', '=', order.id).execute();
  const payment = await k
    .selectFrom('payments')
    .selectAll()
    .where('subject_id', '=', `${order.house_order_no}:deposit_pay`)
    .executeTakeFirstOrThrow();
  const fund = await k
    .selectFrom('ledger_transfers')
    .selectAll()
    .where('key', '=', `escrow.fund:${payment.out_trade_no}`)
    .executeTakeFirstOrThrow();
  const held = await k
    .selectFrom('ledger_accounts')
    .selectAll()
    .where('id', '=', fund.credit_account_id)
    .executeTakeFirstOrThrow();

  const sqlite = db.dialect === 'sqlite';
  if (sqlite) {
    await sql`PRAGMA synchronous = OFF`.execute(k);
    // The unique indexes kept during the load (random token hashes among them) stay in memory.
    await sql`PRAGMA cache_size = -1048576`.execute(k);
  }
  try {
    await withIndexesDeferred(db, TABLES, async () => {
      for (let done = 0; done < count; ) {
        const size = Math.min(CHUNK, count - done);
        await k.transaction().execute(async (trx) => {
          for (let offset = 0; offset < size; offset += BATCH) {
            const serials = Array.from(
              { length: Math.min(BATCH, size - offset) },
              (_, i) => done + offset + i,
            );
            const no = (n: number) => `2023${String(n).padStart(13, '0')}`;
            const { id: _o, ...orderColumns } = order;
            const orderIds = (
              await trx
                .insertInto('escrow_orders')
                .values(
                  serials.map((n) => ({ ...orderColumns, house_order_no: no(n), source_no: `SYN-${n}` })),
                )
                .returning('id')
                .execute()
            ).map((r) => Number(r.id));
            await trx
              .insertInto('escrow_parties')
              .values(
                orderIds.flatMap((orderId) =>
                  parties.map(({ id: _p, ...party }) => ({
                    ...party,
                    order_id: orderId,
                    token_hash: createHash('sha256').update(randomBytes(16)).digest('hex'),
                  })),
                ),
              )
              .execute();
            const { id: _pay, ...paymentColumns } = payment;
            await trx
              .insertInto('payments')
              .values(
                serials.map((n) => ({
                  ...paymentColumns,
                  out_trade_no: `SYN${n}`,
                  subject_id: `${no(n)}:deposit_pay`,
                  transaction_id: `syn-${n}`,
                })),
              )
              .execute();
            const { id: _h, ...heldColumns } = held;
            const heldIds = (
              await trx
                .insertInto('ledger_accounts')
                .values(serials.map((n) => ({ ...heldColumns, code: `escrow:${no(n)}:held`, owner: no(n) })))
                .returning('id')
                .execute()
            ).map((r) => Number(r.id));
            const { id: _f, ...fundColumns } = fund;
            await trx
              .insertInto('ledger_transfers')
              .values(
                serials.map((n, i) => ({
                  ...fundColumns,
                  key: `escrow.fund:SYN${n}`,
                  credit_account_id: heldIds[i]!,
                  subject: `${no(n)}:deposit_pay`,
                  metadata: JSON.stringify({
                    amount_type: 'deposit_pay',
                    out_trade_no: `SYN${n}`,
                    late: false,
                  }),
                })),
              )
              .execute();
          }
          await trx
            .updateTable('ledger_accounts')
            .set((eb) => ({ debits_posted: eb('debits_posted', '+', size * Number(fund.amount)) }))
            .where('id', '=', fund.debit_account_id)
            .execute();
        });
        done += size;
        onProgress(done);
      }
    });
    await sql`ANALYZE`.execute(k);
  } finally {
    if (sqlite) {
      await sql`PRAGMA synchronous = NORMAL`.execute(k);
      await sql`PRAGMA cache_size = -65536`.execute(k);
    }
  }
}
