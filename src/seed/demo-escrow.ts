import { idCardCheckDigit } from '../core/id-card.js';
import { createIsv } from '../modules/escrow/escrow-isvs.service.js';
import { operateEscrow } from '../modules/escrow/escrow-orders.service.js';
import { ESCROW_FUND_PURPOSE, ESCROW_PAYMENT_HOOKS } from '../modules/escrow/index.js';
import { openPayment, settlePayment } from '../modules/payments/index.js';
import type { SeedContext } from './seed-context.js';

/** The demo ISV: a development default, documented in docs/escrow.md; never use it anywhere real. */
export const DEMO_ISV_APP_KEY = 'fangtong-demo-isv';
export const DEMO_ISV_SECRET = 'demo-isv-secret-development-only';
export const DEMO_STORE_ID = 10223;
/** The deposit_amount of the demo's request, which the signed invitation's buyer has paid in. */
const DEMO_DEPOSIT_FEN = 10_000_000;

const id = (first17: string) => first17 + idCardCheckDigit(first17);

/** A CREATE as the spec's example fills it, for case `caseNo`, with valid people and amounts. */
export function demoEscrowRequest(caseNo: string, people: { buyerPhone: string; landlordPhone: string }) {
  const landlordId = id('33010619800214002');
  return {
    operate_type: 'CREATE',
    source: 'LIANGCE_TRADE_CENTER',
    source_no: caseNo,
    item_id: 1022,
    store_id: DEMO_STORE_ID,
    buyer_infos: [
      {
        name: '张三',
        cert_type: 1,
        card_no: id('42010619900315001'),
        phone: people.buyerPhone,
        out_id: 'B-001',
      },
    ],
    landlord_infos: [
      { name: '李四', cert_type: 1, card_no: landlordId, phone: people.landlordPhone, out_id: 'L-001' },
    ],
    house_address: '浙江省杭州市西湖区文三路90号东部软件园1幢501室',
    house_province: '330000',
    house_city: '330100',
    house_province_city_desc: '浙江省杭州市西湖区',
    construction_area: '120',
    house_deal_price: 300_000_000,
    deposit_amount: 10_000_000,
    first_pay_amount: 90_000_000,
    loan_amount: 200_000_000,
    final_pay_amount: 0,
    service_fee_amount: 300_000,
    has_mortgage: 'N',
    has_lease: 'N',
    house_contract_infos: [
      { contract_online_flag: 'Y', contract_type: 'DEPOSIT', depository_amount_types: ['deposit_pay'] },
      { contract_online_flag: 'Y', contract_type: 'SALES', depository_amount_types: ['down_pay'] },
    ],
    service_type: 'fundEscrow_mortgage',
    landlord_payee_name: '李四',
    landlord_payee_bankcard_no: '6222020200000000006',
    landlord_payee_bank_name: '中国工商银行',
    sign_over_time_hour: 72,
    landlord_payee_card_no: landlordId,
    service_provider_name: '王经纪',
    service_provider_phone: '13900000000',
  };
}

/**
 * Family 3's demo: the demo ISV, one invitation waiting for both parties, and one both parties
 * signed (their acceptances written as the pages would record them) whose deposit (定金, 100,000
 * 元) the buyer paid into escrow, settled through the payments module and its escrow hook as a
 * WeChat notify would, so the ledger holds it. Seeded only into a database without ISVs.
 */
export async function seedEscrowDemoIfEmpty(ctx: SeedContext & { publicBaseUrl: string }): Promise<boolean> {
  const { db } = ctx;
  if (await db.selectFrom('escrow_isvs').select('id').limit(1).executeTakeFirst()) return false;
  const now = ctx.clock.now();
  const isv = await createIsv(
    ctx,
    { appKey: DEMO_ISV_APP_KEY, secret: DEMO_ISV_SECRET, methods: '*', storeIds: [DEMO_STORE_ID] },
    now,
    'system:demo',
  );
  const ref = { id: isv.id, appKey: isv.appKey, storeIds: [DEMO_STORE_ID] };
  await operateEscrow(
    ctx,
    ref,
    demoEscrowRequest('DEMO-WAITING', { buyerPhone: '13800000101', landlordPhone: '13800000102' }),
    now,
  );
  const signed = await operateEscrow(
    ctx,
    ref,
    demoEscrowRequest('DEMO-SIGNED', { buyerPhone: '13800000201', landlordPhone: '13800000202' }),
    now,
  );
  await db.transaction().execute(async (trx) => {
    const order = await trx
      .updateTable('escrow_orders')
      .set({ state: 'signed', updated_at: now })
      .where('house_order_no', '=', signed.house_order_no)
      .returning(['id', 'terms_hash'])
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('escrow_parties')
      .set({ accepted_at: now, decision_ip: '127.0.0.1', decision_terms_hash: order.terms_hash })
      .where('order_id', '=', order.id)
      .execute();
  });
  const deposit = await db.transaction().execute((trx) =>
    openPayment(trx, {
      purpose: ESCROW_FUND_PURPOSE,
      subjectId: `${signed.house_order_no}:deposit_pay`,
      payer: 'wechat:demo-buyer-openid',
      amount: DEMO_DEPOSIT_FEN,
      channel: 'wechat_jsapi',
      now,
    }),
  );
  await settlePayment(
    { db, hooks: ESCROW_PAYMENT_HOOKS },
    deposit.out_trade_no,
    { kind: 'paid', amount: DEMO_DEPOSIT_FEN, transactionId: 'demo-deposit-transaction', paidAt: now },
    now,
    'system:demo',
  );
  return true;
}
