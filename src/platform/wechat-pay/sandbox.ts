import { randomBytes } from 'node:crypto';
import { formatShanghaiCompact } from '../../core/time.js';
import { nonceStr, type V2Merchant } from './v2-gateway.js';
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

const REQUIRED: Record<string, readonly string[]> = {
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
  private readonly merchants: Map<string, V2Merchant>;

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

    const outTradeNo = request.out_trade_no!;
    const existing = this.orders.get(outTradeNo);
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
