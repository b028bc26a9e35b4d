import { type KeyObject, randomBytes } from 'node:crypto';
import type { V3Request, V3Response } from './v3-gateway.js';
import { encryptV3Resource, parseV3AuthorizationHeader, signV3Response, verifyV3Request } from './v3-sign.js';

/** Delivers a v3 notify (JSON body, signed headers) and answers the merchant's HTTP status. */
export type V3NotifyDelivery = (
  url: string,
  headers: Record<string, string>,
  body: string,
) => Promise<number>;

interface V3Order {
  outTradeNo: string;
  total: number;
  openId: string;
  notifyUrl: string;
  state: 'NOTPAY' | 'SUCCESS' | 'PAYERROR' | 'CLOSED';
  transactionId: string | undefined;
}

interface V3Refund {
  outRefundNo: string;
  outTradeNo: string;
  refund: number;
  refundId: string;
  notifyUrl: string;
  status: 'PROCESSING' | 'SUCCESS' | 'ABNORMAL' | 'CLOSED';
  successTime: string | undefined;
}

export interface V3SandboxMerchant {
  appId: string;
  mchId: string;
  merchantPublicKey: KeyObject;
  apiV3Key: string;
}

/**
 * The v3 (JSAPI) side of the WeChat Pay sandbox: it checks our signed requests with the
 * merchant's public key, signs its answers and notifies with its own platform key, and
 * encrypts notify resources with the APIv3 key — the same wire protocol as WeChat.
 */
export class WechatPayV3Sandbox {
  private readonly orders = new Map<string, V3Order>();
  private readonly refunds = new Map<string, V3Refund>();

  constructor(
    private readonly merchant: V3SandboxMerchant,
    private readonly platformPrivateKey: KeyObject,
    private readonly deliver: V3NotifyDelivery,
    private readonly nowSeconds: () => number,
  ) {}

  async handle(request: V3Request): Promise<V3Response> {
    const auth = parseV3AuthorizationHeader(request.headers.authorization ?? '');
    const signedOk =
      auth?.mchid === this.merchant.mchId &&
      verifyV3Request({
        ...request,
        header: request.headers.authorization ?? '',
        publicKey: this.merchant.merchantPublicKey,
        nowSeconds: this.nowSeconds(),
      });
    if (!signedOk) return this.answer(401, { code: 'SIGN_ERROR', message: '签名错误' });
    if (request.method === 'POST' && request.pathWithQuery === '/v3/pay/transactions/jsapi')
      return this.jsapi(request.body);
    if (request.method === 'POST' && request.pathWithQuery === '/v3/refund/domestic/refunds')
      return this.refundRequest(request.body);
    const refundQuery = /^\/v3\/refund\/domestic\/refunds\/([^/?]+)$/.exec(request.pathWithQuery);
    if (request.method === 'GET' && refundQuery) {
      const refund = this.refunds.get(decodeURIComponent(refundQuery[1]!));
      if (!refund) return this.answer(404, { code: 'RESOURCE_NOT_EXISTS', message: '退款单不存在' });
      return this.answer(200, this.refundResource(refund));
    }
    const query = /^\/v3\/pay\/transactions\/out-trade-no\/([^?]+)\?mchid=(\w+)$/.exec(request.pathWithQuery);
    if (request.method === 'GET' && query) {
      const order = this.orders.get(decodeURIComponent(query[1]!));
      if (!order) return this.answer(404, { code: 'ORDER_NOT_EXIST', message: '订单不存在' });
      return this.answer(200, this.transaction(order));
    }
    const close = /^\/v3\/pay\/transactions\/out-trade-no\/([^/?]+)\/close$/.exec(request.pathWithQuery);
    if (request.method === 'POST' && close) {
      const order = this.orders.get(decodeURIComponent(close[1]!));
      if (!order) return this.answer(404, { code: 'ORDER_NOT_EXIST', message: '订单不存在' });
      if (order.state === 'SUCCESS') return this.answer(400, { code: 'ORDERPAID', message: '订单已支付' });
      order.state = 'CLOSED';
      return { status: 204, headers: this.signedHeaders(''), body: '' };
    }
    return this.answer(404, { code: 'NOT_FOUND', message: '接口不存在' });
  }

  private jsapi(body: string): V3Response {
    let input: {
      appid?: string;
      mchid?: string;
      out_trade_no?: string;
      notify_url?: string;
      amount?: { total?: number };
      payer?: { openid?: string };
      description?: string;
    };
    try {
      input = JSON.parse(body);
    } catch {
      return this.answer(400, { code: 'PARAM_ERROR', message: '请求体不是JSON' });
    }
    const total = input.amount?.total;
    const problem =
      input.appid !== this.merchant.appId || input.mchid !== this.merchant.mchId
        ? 'appid和mchid不匹配'
        : !input.out_trade_no || !/^[0-9A-Za-z_\-|*]{6,32}$/.test(input.out_trade_no)
          ? 'out_trade_no格式错误'
          : !Number.isSafeInteger(total) || (total ?? 0) <= 0
            ? 'amount.total须为正整数(分)'
            : !input.payer?.openid
              ? '缺少payer.openid'
              : !input.notify_url || input.notify_url.includes('?')
                ? 'notify_url格式错误'
                : !input.description || [...input.description].length > 127
                  ? 'description格式错误'
                  : undefined;
    if (problem) return this.answer(400, { code: 'PARAM_ERROR', message: problem });
    const existing = this.orders.get(input.out_trade_no!);
    if (existing?.state === 'SUCCESS')
      return this.answer(400, { code: 'ORDERPAID', message: '该订单已支付' });
    this.orders.set(input.out_trade_no!, {
      outTradeNo: input.out_trade_no!,
      total: total!,
      openId: input.payer!.openid!,
      notifyUrl: input.notify_url!,
      state: 'NOTPAY',
      transactionId: undefined,
    });
    return this.answer(200, { prepay_id: `wx${randomBytes(14).toString('hex')}` });
  }

  private refundRequest(body: string): V3Response {
    let input: {
      out_trade_no?: string;
      out_refund_no?: string;
      notify_url?: string;
      amount?: { refund?: number; total?: number; currency?: string };
    };
    try {
      input = JSON.parse(body);
    } catch {
      return this.answer(400, { code: 'PARAM_ERROR', message: '请求体不是JSON' });
    }
    const refund = input.amount?.refund;
    const total = input.amount?.total;
    const problem =
      !input.out_refund_no || !/^[0-9A-Za-z_\-|*@]{1,64}$/.test(input.out_refund_no)
        ? 'out_refund_no格式错误'
        : !Number.isSafeInteger(refund) || (refund ?? 0) <= 0
          ? 'amount.refund须为正整数(分)'
          : !Number.isSafeInteger(total) || (total ?? 0) < (refund ?? 0)
            ? 'amount.total须为正整数且不小于退款金额'
            : input.amount?.currency !== 'CNY'
              ? 'amount.currency须为CNY'
              : undefined;
    if (problem) return this.answer(400, { code: 'PARAM_ERROR', message: problem });
    const order = input.out_trade_no ? this.orders.get(input.out_trade_no) : undefined;
    if (!order) return this.answer(404, { code: 'RESOURCE_NOT_EXISTS', message: '订单不存在' });
    if (order.state !== 'SUCCESS')
      return this.answer(400, { code: 'INVALID_REQUEST', message: '订单未支付' });
    if (order.total !== total)
      return this.answer(400, { code: 'PARAM_ERROR', message: '订单金额与原订单不一致' });
    const known = this.refunds.get(input.out_refund_no!);
    if (known && (known.outTradeNo !== order.outTradeNo || known.refund !== refund))
      return this.answer(400, { code: 'INVALID_REQUEST', message: '同一退款单号的退款金额须一致' });
    if (!known) {
      if (this.refundedTotal(order.outTradeNo) + refund! > order.total)
        return this.answer(400, { code: 'INVALID_REQUEST', message: '申请退款金额超过订单可退金额' });
      this.refunds.set(input.out_refund_no!, {
        outRefundNo: input.out_refund_no!,
        outTradeNo: order.outTradeNo,
        refund: refund!,
        refundId: `50${randomBytes(14).toString('hex').slice(0, 26)}`,
        notifyUrl: input.notify_url ?? order.notifyUrl,
        status: 'PROCESSING',
        successTime: undefined,
      });
    }
    return this.answer(200, this.refundResource(this.refunds.get(input.out_refund_no!)!));
  }

  /** The JSAPI orders the sandbox holds, oldest first. */
  listOrders(): Readonly<V3Order>[] {
    return [...this.orders.values()];
  }

  /** Fen refunded or being refunded from an order (closed or abnormal refunds do not count). */
  refundedTotal(outTradeNo: string): number {
    let sum = 0;
    for (const r of this.refunds.values())
      if (r.outTradeNo === outTradeNo && (r.status === 'PROCESSING' || r.status === 'SUCCESS'))
        sum += r.refund;
    return sum;
  }

  /** WeChat finishes a refund and sends its encrypted, signed notify (unless `notify: false`). */
  async settleRefund(
    outRefundNo: string,
    outcome: 'SUCCESS' | 'ABNORMAL' | 'CLOSED' = 'SUCCESS',
    options: { notify?: boolean } = {},
  ): Promise<number | undefined> {
    const refund = this.refunds.get(outRefundNo);
    if (!refund) throw new Error(`sandbox: no v3 refund ${outRefundNo}`);
    if (refund.status === 'PROCESSING') {
      refund.status = outcome;
      if (outcome === 'SUCCESS') refund.successTime = new Date(this.nowSeconds() * 1000).toISOString();
    }
    if (options.notify === false) return undefined;
    const { headers, body } = this.refundNotify(outRefundNo);
    return this.deliver(refund.notifyUrl, headers, body);
  }

  /** The refund notify WeChat would send now (REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED). */
  refundNotify(outRefundNo: string): { headers: Record<string, string>; body: string } {
    const refund = this.refunds.get(outRefundNo);
    if (!refund) throw new Error(`sandbox: no v3 refund ${outRefundNo}`);
    const resource = encryptV3Resource({
      plaintext: JSON.stringify({ mchid: this.merchant.mchId, ...this.refundResource(refund) }),
      apiV3Key: this.merchant.apiV3Key,
      nonce: randomBytes(6).toString('hex'),
      associatedData: 'refund',
    });
    const body = JSON.stringify({
      id: randomBytes(8).toString('hex'),
      create_time: new Date(this.nowSeconds() * 1000).toISOString(),
      resource_type: 'encrypt-resource',
      event_type: `REFUND.${refund.status}`,
      summary: '退款结果通知',
      resource,
    });
    return { headers: this.signedHeaders(body), body };
  }

  listRefunds(): Readonly<V3Refund>[] {
    return [...this.refunds.values()];
  }

  private refundResource(refund: V3Refund) {
    const order = this.orders.get(refund.outTradeNo)!;
    return {
      refund_id: refund.refundId,
      out_refund_no: refund.outRefundNo,
      transaction_id: order.transactionId,
      out_trade_no: order.outTradeNo,
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
      status: refund.status,
      refund_status: refund.status,
      success_time: refund.successTime,
      amount: {
        total: order.total,
        refund: refund.refund,
        payer_total: order.total,
        payer_refund: refund.refund,
        currency: 'CNY',
      },
    };
  }

  /** The payer pays (or the payment fails); WeChat then sends the encrypted, signed notify. */
  async settle(
    outTradeNo: string,
    outcome: 'SUCCESS' | 'PAYERROR',
    overrides: { signWith?: KeyObject } = {},
  ): Promise<number> {
    const order = this.orders.get(outTradeNo);
    if (!order) throw new Error(`sandbox: no v3 order ${outTradeNo}`);
    if (order.state === 'NOTPAY') {
      order.state = outcome;
      if (outcome === 'SUCCESS') order.transactionId = `4200${randomBytes(12).toString('hex').slice(0, 24)}`;
    }
    const { headers, body } = this.notify(order, overrides.signWith);
    return this.deliver(order.notifyUrl, headers, body);
  }

  /** The notify WeChat would send now, for tests that tamper with it. */
  notify(order: V3Order | string, signWith?: KeyObject): { headers: Record<string, string>; body: string } {
    const o = typeof order === 'string' ? this.orders.get(order)! : order;
    const resource = encryptV3Resource({
      plaintext: JSON.stringify({ ...this.transaction(o), payer: { openid: o.openId } }),
      apiV3Key: this.merchant.apiV3Key,
      nonce: randomBytes(6).toString('hex'),
      associatedData: 'transaction',
    });
    const body = JSON.stringify({
      id: randomBytes(8).toString('hex'),
      create_time: new Date(this.nowSeconds() * 1000).toISOString(),
      resource_type: 'encrypt-resource',
      event_type: o.state === 'SUCCESS' ? 'TRANSACTION.SUCCESS' : 'TRANSACTION.PAYERROR',
      summary: o.state === 'SUCCESS' ? '支付成功' : '支付失败',
      resource,
    });
    return { headers: this.signedHeaders(body, signWith), body };
  }

  private transaction(order: V3Order) {
    return {
      appid: this.merchant.appId,
      mchid: this.merchant.mchId,
      out_trade_no: order.outTradeNo,
      transaction_id: order.transactionId,
      trade_type: 'JSAPI',
      trade_state: order.state,
      amount: { total: order.total, payer_total: order.total, currency: 'CNY' },
    };
  }

  private signedHeaders(body: string, signWith?: KeyObject): Record<string, string> {
    const timestamp = this.nowSeconds();
    const nonce = randomBytes(16).toString('hex');
    return {
      'wechatpay-timestamp': String(timestamp),
      'wechatpay-nonce': nonce,
      'wechatpay-serial': 'SANDBOX_PLATFORM',
      'wechatpay-signature': signV3Response({
        timestamp,
        nonce,
        body,
        privateKey: signWith ?? this.platformPrivateKey,
      }),
    };
  }

  private answer(status: number, payload: unknown): V3Response {
    const body = JSON.stringify(payload);
    return { status, headers: this.signedHeaders(body), body };
  }
}
