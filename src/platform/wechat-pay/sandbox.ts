import { createHash, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { formatShanghaiCompact, formatShanghaiDateTime } from '../../core/time.js';
import { WECHAT_BANK_CODES } from '../payouts/wechat-bank-codes.js';
import {
  decryptFromMerchant,
  GET_PUBLIC_KEY_PATH,
  PARTNER_TRADE_NO,
  PAY_BANK_PATH,
  QUERY_BANK_PATH,
} from './v2-bank.js';
import { nonceStr, type V2Merchant } from './v2-gateway.js';
import { encryptRefundReqInfo } from './v2-refund.js';
import { signV2, verifyV2 } from './v2-sign.js';
import { parseV2Xml, toV2Xml } from './v2-xml.js';

/** Delivers a notify to the merchant's notify_url and answers the merchant's reply body. */
export type NotifyDelivery = (url: string, xml: string) => Promise<string>;

type TradeState = 'NOTPAY' | 'SUCCESS' | 'PAYERROR' | 'CLOSED';

interface SandboxOrder {
  mchId: string;
  outTradeNo: string;
  totalFee: number;
  notifyUrl: string;
  tradeType: string;
  openId: string | undefined;
  attach: string | undefined;
  prepayId: string;
  state: TradeState;
  transactionId: string | undefined;
  timeEnd: string | undefined;
}

/** A refund as the sandbox holds it: PROCESSING until a test settles it. */
interface SandboxRefund {
  outRefundNo: string;
  outTradeNo: string;
  refundFee: number;
  refundId: string;
  notifyUrl: string;
  state: 'PROCESSING' | 'SUCCESS' | 'CHANGE' | 'REFUNDCLOSE';
  successTime: string | undefined;
}

/** A payment to a bank card (企业付款到银行卡) as the sandbox holds it. */
export interface SandboxBankPayout {
  mchId: string;
  partnerTradeNo: string;
  paymentNo: string;
  /** Decrypted, as WeChat would read them. */
  bankNo: string;
  trueName: string;
  bankCode: string;
  amount: number;
  desc: string | undefined;
  status: 'PROCESSING' | 'SUCCESS' | 'FAILED' | 'BANK_FAIL';
  reason: string | undefined;
  createdAt: number;
  paidAt: number | undefined;
  /** How many pay_bank calls named it (the first took it, the others answered it). */
  requests: number;
}

const PAYOUT_REQUIRED: Record<string, readonly string[]> = {
  [PAY_BANK_PATH]: ['partner_trade_no', 'enc_bank_no', 'enc_true_name', 'bank_code', 'amount'],
  [QUERY_BANK_PATH]: ['partner_trade_no'],
  [GET_PUBLIC_KEY_PATH]: [],
};

const REQUIRED: Record<string, readonly string[]> = {
  '/secapi/pay/refund': ['out_trade_no', 'out_refund_no', 'total_fee', 'refund_fee'],
  '/pay/refundquery': ['out_refund_no'],
  '/pay/unifiedorder': ['body', 'out_trade_no', 'total_fee', 'spbill_create_ip', 'notify_url', 'trade_type'],
  '/pay/orderquery': ['out_trade_no'],
  '/pay/closeorder': ['out_trade_no'],
};

/**
 * A local stand-in for the WeChat Pay v2 API, speaking its wire protocol: signed XML in, signed
 * XML out, and signed notifies to the merchant's notify_url when a test or a developer pays or
 * fails an order. It holds only what WeChat would hold, in memory, like the real thing would
 * on its side.
 */
export class WechatPaySandbox {
  private readonly orders = new Map<string, SandboxOrder>();
  private readonly refunds = new Map<string, SandboxRefund>();
  private readonly bankPayouts = new Map<string, SandboxBankPayout>();
  private readonly merchants: Map<string, V2Merchant>;
  private payoutKeys: { publicKey: KeyObject; privateKey: KeyObject } | undefined;
  private readonly payBankTroubles: Array<{ code: string; description: string; taken: boolean }> = [];
  /**
   * Whether a bank payment succeeds the moment it is taken (the default: development flows end
   * at once), or stays PROCESSING until settlePayout — as a real bank transfer does, for hours.
   */
  settlePayoutsAtOnce = true;

  constructor(
    merchants: readonly V2Merchant[],
    private readonly deliver: NotifyDelivery,
    private readonly now: () => number = Date.now,
  ) {
    this.merchants = new Map(merchants.map((m) => [m.mchId, m]));
  }

  /** One API call: the path and the request XML, answered as WeChat would. */
  async handle(path: string, xml: string): Promise<string> {
    const request = parseV2Xml(xml);
    if (!request) return toV2Xml({ return_code: 'FAIL', return_msg: 'XML格式错误' });
    if (PAYOUT_REQUIRED[path]) return this.handlePayout(path, request);
    const merchant = request.mch_id ? this.merchants.get(request.mch_id) : undefined;
    if (!merchant || request.appid !== merchant.appId)
      return toV2Xml({ return_code: 'FAIL', return_msg: 'appid和mch_id不匹配' });
    if (!verifyV2(request, merchant.apiKey)) return toV2Xml({ return_code: 'FAIL', return_msg: '签名错误' });
    const required = REQUIRED[path];
    if (!required) return toV2Xml({ return_code: 'FAIL', return_msg: '接口不存在' });
    const missing = required.filter((k) => !request[k]);
    if (missing.length) return toV2Xml({ return_code: 'FAIL', return_msg: `缺少参数${missing.join(',')}` });
    const reply = (fields: Record<string, string | undefined>) => {
      const body: Record<string, string | undefined> = {
        return_code: 'SUCCESS',
        return_msg: 'OK',
        appid: merchant.appId,
        mch_id: merchant.mchId,
        nonce_str: nonceStr(),
        ...fields,
      };
      body.sign = signV2(body, merchant.apiKey, request.sign_type === 'HMAC-SHA256' ? 'HMAC-SHA256' : 'MD5');
      return toV2Xml(body);
    };
    const fail = (code: string, description: string) =>
      reply({ result_code: 'FAIL', err_code: code, err_code_des: description });

    if (path === '/pay/refundquery') {
      const refund = this.refunds.get(request.out_refund_no!);
      if (!refund) return fail('REFUNDNOTEXIST', '退款订单查询失败');
      const order = this.orders.get(refund.outTradeNo)!;
      return reply({
        result_code: 'SUCCESS',
        out_trade_no: refund.outTradeNo,
        transaction_id: order.transactionId,
        total_fee: String(order.totalFee),
        refund_count: '1',
        out_refund_no_0: refund.outRefundNo,
        refund_id_0: refund.refundId,
        refund_fee_0: String(refund.refundFee),
        refund_status_0: refund.state,
        refund_success_time_0: refund.successTime,
      });
    }
    const outTradeNo = request.out_trade_no!;
    const existing = this.orders.get(outTradeNo);
    if (path === '/secapi/pay/refund') {
      const totalFee = Number(request.total_fee);
      const refundFee = Number(request.refund_fee);
      if (!Number.isSafeInteger(refundFee) || refundFee <= 0 || refundFee > totalFee)
        return toV2Xml({ return_code: 'FAIL', return_msg: 'invalid refund_fee' });
      if (!/^[0-9A-Za-z_\-|*@]{1,64}$/.test(request.out_refund_no!))
        return fail('PARAM_ERROR', 'out_refund_no格式错误');
      if (!existing) return fail('ORDERNOTEXIST', '此交易订单号不存在');
      if (existing.state !== 'SUCCESS') return fail('ERROR', '订单状态错误');
      if (existing.totalFee !== totalFee) return fail('PARAM_ERROR', '订单金额total_fee与原订单不一致');
      const known = this.refunds.get(request.out_refund_no!);
      if (known && (known.outTradeNo !== outTradeNo || known.refundFee !== refundFee))
        return fail('REFUND_FEE_MISMATCH', '同一笔退款单号的退款金额须一致');
      if (!known) {
        const refunded = this.refundedTotal(outTradeNo);
        if (refunded >= existing.totalFee) return fail('ERROR', '订单已全额退款');
        if (refunded + refundFee > existing.totalFee) return fail('ERROR', '累计退款金额大于支付金额');
        this.refunds.set(request.out_refund_no!, {
          outRefundNo: request.out_refund_no!,
          outTradeNo,
          refundFee,
          refundId: `50${randomBytes(14).toString('hex').slice(0, 26)}`,
          notifyUrl: request.notify_url ?? existing.notifyUrl,
          state: 'PROCESSING',
          successTime: undefined,
        });
      }
      const refund = this.refunds.get(request.out_refund_no!)!;
      return reply({
        result_code: 'SUCCESS',
        transaction_id: existing.transactionId,
        out_trade_no: outTradeNo,
        out_refund_no: refund.outRefundNo,
        refund_id: refund.refundId,
        refund_fee: String(refund.refundFee),
        total_fee: String(existing.totalFee),
        cash_fee: String(existing.totalFee),
      });
    }
    switch (path) {
      case '/pay/unifiedorder': {
        if (!/^[0-9A-Za-z_\-|*]{1,32}$/.test(outTradeNo)) return fail('PARAM_ERROR', 'out_trade_no格式错误');
        const totalFee = Number(request.total_fee);
        if (!Number.isSafeInteger(totalFee) || totalFee <= 0)
          return fail('PARAM_ERROR', 'total_fee须为正整数(分)');
        if (request.notify_url!.includes('?')) return fail('PARAM_ERROR', 'notify_url不能带参数');
        if (request.trade_type === 'JSAPI' && !request.openid)
          return fail('PARAM_ERROR', 'JSAPI支付必须传openid');
        if (existing) {
          if (existing.state === 'SUCCESS') return fail('ORDERPAID', '该订单已支付');
          if (existing.totalFee !== totalFee) return fail('INVALID_REQUEST', '201 商户订单号重复');
          return reply({
            result_code: 'SUCCESS',
            prepay_id: existing.prepayId,
            trade_type: existing.tradeType,
          });
        }
        const order: SandboxOrder = {
          mchId: merchant.mchId,
          outTradeNo,
          totalFee,
          notifyUrl: request.notify_url!,
          tradeType: request.trade_type!,
          openId: request.openid,
          attach: request.attach,
          prepayId: `wx${randomBytes(14).toString('hex')}`,
          state: 'NOTPAY',
          transactionId: undefined,
          timeEnd: undefined,
        };
        this.orders.set(outTradeNo, order);
        return reply({ result_code: 'SUCCESS', prepay_id: order.prepayId, trade_type: order.tradeType });
      }
      case '/pay/orderquery': {
        if (!existing) return fail('ORDERNOTEXIST', '此交易订单号不存在');
        return reply({
          result_code: 'SUCCESS',
          trade_state: existing.state,
          out_trade_no: existing.outTradeNo,
          total_fee: String(existing.totalFee),
          transaction_id: existing.transactionId,
          time_end: existing.timeEnd,
        });
      }
      default: {
        if (!existing) return fail('ORDERNOTEXIST', '此交易订单号不存在');
        if (existing.state === 'SUCCESS') return fail('ORDERPAID', '订单已支付，不能发起关单');
        existing.state = 'CLOSED';
        return reply({ result_code: 'SUCCESS' });
      }
    }
  }

  /**
   * The customer pays: the order succeeds and WeChat notifies the merchant — unless
   * `notify: false`, which plays a notify lost on the way (what reconciliation is for).
   */
  async pay(outTradeNo: string, options: { notify?: boolean } = {}): Promise<string | undefined> {
    const order = this.require(outTradeNo);
    if (order.state === 'NOTPAY') {
      order.state = 'SUCCESS';
      order.transactionId = `4200${randomBytes(12).toString('hex').slice(0, 24)}`;
      order.timeEnd = formatShanghaiCompact(this.now());
    }
    if (options.notify === false) return undefined;
    return this.deliver(order.notifyUrl, this.notifyXml(outTradeNo));
  }

  /** The payment fails at WeChat (card declined …): a FAIL notify follows. */
  async fail(outTradeNo: string): Promise<string> {
    const order = this.require(outTradeNo);
    if (order.state === 'NOTPAY') order.state = 'PAYERROR';
    return this.deliver(order.notifyUrl, this.notifyXml(outTradeNo));
  }

  /** The notify WeChat would send for the order now; `override` lets tests forge one. */
  notifyXml(outTradeNo: string, override: Record<string, string> = {}, signWith?: string): string {
    const order = this.require(outTradeNo);
    const merchant = this.merchants.get(order.mchId)!;
    const paid = order.state === 'SUCCESS';
    const fields: Record<string, string | undefined> = {
      return_code: 'SUCCESS',
      appid: merchant.appId,
      mch_id: merchant.mchId,
      nonce_str: nonceStr(),
      result_code: paid ? 'SUCCESS' : 'FAIL',
      err_code: paid ? undefined : 'PAYERROR',
      openid: order.openId ?? 'oSandboxUser000000000000000',
      trade_type: order.tradeType,
      bank_type: 'CMC',
      total_fee: String(order.totalFee),
      cash_fee: String(order.totalFee),
      transaction_id: order.transactionId,
      out_trade_no: order.outTradeNo,
      attach: order.attach,
      time_end: order.timeEnd ?? formatShanghaiCompact(this.now()),
      ...override,
    };
    fields.sign = signV2(fields, signWith ?? merchant.apiKey, 'MD5');
    return toV2Xml(fields);
  }

  /** Fen refunded or being refunded from an order (failed refunds do not count). */
  refundedTotal(outTradeNo: string): number {
    let total = 0;
    for (const r of this.refunds.values())
      if (r.outTradeNo === outTradeNo && (r.state === 'PROCESSING' || r.state === 'SUCCESS'))
        total += r.refundFee;
    return total;
  }

  /**
   * WeChat finishes a refund — SUCCESS, or CHANGE (the money could not go back) / REFUNDCLOSE —
   * and sends its refund notify, unless `notify: false` (a notify lost on the way).
   */
  async settleRefund(
    outRefundNo: string,
    outcome: 'SUCCESS' | 'CHANGE' | 'REFUNDCLOSE' = 'SUCCESS',
    options: { notify?: boolean } = {},
  ): Promise<string | undefined> {
    const refund = this.refunds.get(outRefundNo);
    if (!refund) throw new Error(`sandbox: no refund ${outRefundNo}`);
    if (refund.state === 'PROCESSING') {
      refund.state = outcome;
      if (outcome === 'SUCCESS') refund.successTime = formatShanghaiCompact(this.now());
    }
    if (options.notify === false) return undefined;
    return this.deliver(refund.notifyUrl, this.refundNotifyXml(outRefundNo));
  }

  /** The refund notify WeChat would send now: no sign, the refund encrypted in req_info. */
  refundNotifyXml(outRefundNo: string): string {
    const refund = this.refunds.get(outRefundNo);
    if (!refund) throw new Error(`sandbox: no refund ${outRefundNo}`);
    const order = this.require(refund.outTradeNo);
    const merchant = this.merchants.get(order.mchId)!;
    const reqInfo = encryptRefundReqInfo(
      {
        transaction_id: order.transactionId,
        out_trade_no: order.outTradeNo,
        refund_id: refund.refundId,
        out_refund_no: refund.outRefundNo,
        total_fee: String(order.totalFee),
        refund_fee: String(refund.refundFee),
        settlement_refund_fee: String(refund.refundFee),
        refund_status: refund.state,
        success_time: refund.successTime,
        refund_recv_accout: '支付用户零钱',
        refund_account: 'REFUND_SOURCE_RECHARGE_FUNDS',
        refund_request_source: 'API',
      },
      merchant.apiKey,
    );
    return toV2Xml({
      return_code: 'SUCCESS',
      appid: merchant.appId,
      mch_id: merchant.mchId,
      nonce_str: nonceStr(),
      req_info: reqInfo,
    });
  }

  /** The RSA key pair of 企业付款 (made on first use); WeChat keeps the private half. */
  private keys() {
    this.payoutKeys ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
    return this.payoutKeys;
  }

  /** The public key risk/getpublickey answers, as a key (what a merchant loads from its PEM file). */
  payoutPublicKey(): KeyObject {
    return this.keys().publicKey;
  }

  /** The same key as getpublickey gives it: PKCS#1 PEM. */
  payoutPublicKeyPem(): string {
    return this.keys().publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  }

  /**
   * The next pay_bank calls go wrong: WeChat answers result_code FAIL with `code` — after taking
   * the payment when `taken` (a SYSTEMERROR whose payment went through all the same), or not.
   */
  troubleNextPayBank(
    code: string,
    description: string,
    options: { taken?: boolean; times?: number } = {},
  ): void {
    for (let i = 0; i < (options.times ?? 1); i++)
      this.payBankTroubles.push({ code, description, taken: options.taken ?? false });
  }

  /** A bank payment ends: SUCCESS, FAILED, or BANK_FAIL (a success the bank sent back). */
  settlePayout(partnerTradeNo: string, status: 'SUCCESS' | 'FAILED' | 'BANK_FAIL', reason?: string): void {
    const payout = this.bankPayouts.get(partnerTradeNo);
    if (!payout) throw new Error(`sandbox: no bank payout ${partnerTradeNo}`);
    payout.status = status;
    payout.reason =
      status === 'SUCCESS' ? undefined : (reason ?? (status === 'FAILED' ? '账户信息有误' : '银行退票'));
    if (status === 'SUCCESS') payout.paidAt = this.now();
  }

  bankPayout(partnerTradeNo: string): Readonly<SandboxBankPayout> | undefined {
    return this.bankPayouts.get(partnerTradeNo);
  }

  listBankPayouts(): Readonly<SandboxBankPayout>[] {
    return [...this.bankPayouts.values()];
  }

  /** pay_bank, query_bank and getpublickey: mch_id but no appid, MD5 signed. */
  private handlePayout(path: string, request: Record<string, string>): string {
    const merchant = request.mch_id ? this.merchants.get(request.mch_id) : undefined;
    if (!merchant) return toV2Xml({ return_code: 'FAIL', return_msg: '商户号不存在' });
    if (!verifyV2(request, merchant.apiKey)) return toV2Xml({ return_code: 'FAIL', return_msg: '签名错误' });
    const missing = PAYOUT_REQUIRED[path]!.filter((k) => !request[k]);
    if (missing.length) return toV2Xml({ return_code: 'FAIL', return_msg: `缺少参数${missing.join(',')}` });
    const reply = (fields: Record<string, string | undefined>) => {
      const body: Record<string, string | undefined> = {
        return_code: 'SUCCESS',
        return_msg: 'OK',
        mch_id: merchant.mchId,
        nonce_str: nonceStr(),
        ...fields,
      };
      body.sign = signV2(body, merchant.apiKey, 'MD5');
      return toV2Xml(body);
    };
    const fail = (code: string, description: string) =>
      reply({ result_code: 'FAIL', err_code: code, err_code_des: description });
    if (path === GET_PUBLIC_KEY_PATH)
      return reply({ result_code: 'SUCCESS', pub_key: this.payoutPublicKeyPem() });

    const no = request.partner_trade_no!;
    if (!PARTNER_TRADE_NO.test(no)) return fail('PARAM_ERROR', 'partner_trade_no格式错误');
    const known = this.bankPayouts.get(no);
    if (path === QUERY_BANK_PATH) {
      if (!known || known.mchId !== merchant.mchId) return fail('NOT_FOUND', '数据不存在');
      const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
      return reply({
        result_code: 'SUCCESS',
        partner_trade_no: known.partnerTradeNo,
        payment_no: known.paymentNo,
        bank_no_md5: md5(known.bankNo),
        true_name_md5: md5(known.trueName),
        amount: String(known.amount),
        status: known.status,
        cmms_amt: '0',
        create_time: formatShanghaiDateTime(known.createdAt),
        pay_succ_time: known.paidAt === undefined ? undefined : formatShanghaiDateTime(known.paidAt),
        reason: known.reason,
      });
    }

    const bankNo = decryptFromMerchant(request.enc_bank_no!, this.keys().privateKey);
    const trueName = decryptFromMerchant(request.enc_true_name!, this.keys().privateKey);
    if (bankNo === null || trueName === null) return fail('PARAM_ERROR', '收款方银行卡号或姓名解密失败');
    if (!/^\d{12,19}$/.test(bankNo)) return fail('PARAM_ERROR', '收款方银行卡号格式错误');
    if (!WECHAT_BANK_CODES.has(request.bank_code!)) return fail('PARAM_ERROR', '不支持的银行编号');
    const amount = Number(request.amount);
    if (!/^\d+$/.test(request.amount!) || !Number.isSafeInteger(amount) || amount <= 0)
      return fail('PARAM_ERROR', 'amount须为正整数(分)');
    if (known) {
      // The same number again: WeChat answers the payment it took, never a second one.
      if (known.amount !== amount || known.bankNo !== bankNo || known.bankCode !== request.bank_code)
        return fail('PARAM_ERROR', '商户企业付款单号重复，且参数与原单不一致');
      known.requests += 1;
    }
    const trouble = this.payBankTroubles.shift();
    if (!known && (!trouble || trouble.taken)) {
      this.bankPayouts.set(no, {
        mchId: merchant.mchId,
        partnerTradeNo: no,
        paymentNo: `1000018301${randomBytes(9).toString('hex').slice(0, 18)}`,
        bankNo,
        trueName,
        bankCode: request.bank_code!,
        amount,
        desc: request.desc,
        status: this.settlePayoutsAtOnce ? 'SUCCESS' : 'PROCESSING',
        reason: undefined,
        createdAt: this.now(),
        paidAt: this.settlePayoutsAtOnce ? this.now() : undefined,
        requests: 1,
      });
    }
    if (trouble) return fail(trouble.code, trouble.description);
    const taken = this.bankPayouts.get(no)!;
    return reply({
      result_code: 'SUCCESS',
      partner_trade_no: no,
      amount: String(taken.amount),
      payment_no: taken.paymentNo,
      cmms_amt: '0',
    });
  }

  listRefunds(): Readonly<SandboxRefund>[] {
    return [...this.refunds.values()];
  }

  order(outTradeNo: string): Readonly<SandboxOrder> | undefined {
    return this.orders.get(outTradeNo);
  }

  listOrders(): Readonly<SandboxOrder>[] {
    return [...this.orders.values()];
  }

  private require(outTradeNo: string): SandboxOrder {
    const order = this.orders.get(outTradeNo);
    if (!order) throw new Error(`sandbox: no order ${outTradeNo}`);
    return order;
  }
}
