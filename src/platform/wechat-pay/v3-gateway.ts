import { randomBytes } from 'node:crypto';
import { DomainError } from '../../core/domain-error.js';
import type { RefundAnswer, RefundState } from './v2-gateway.js';
import {
  decryptV3Resource,
  jsapiPayParams,
  type KeyInput,
  type V3Resource,
  v3AuthorizationHeader,
  verifyV3Response,
} from './v3-sign.js';

export interface V3Request {
  method: 'GET' | 'POST';
  pathWithQuery: string;
  headers: Record<string, string>;
  body: string;
}

export interface V3Response {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends one v3 request (to WeChat or the sandbox) and answers the raw response. */
export type V3Transport = (request: V3Request) => Promise<V3Response>;

export interface V3Merchant {
  appId: string;
  mchId: string;
  /** Serial number of the merchant certificate whose private key signs our requests. */
  serialNo: string;
  privateKey: KeyInput;
  apiV3Key: string;
  /** WeChat's platform public key, which signs answers and notifies. */
  platformPublicKey: KeyInput;
}

export interface V3Transaction {
  out_trade_no: string;
  transaction_id?: string;
  trade_state: string;
  amount?: { total?: number; payer_total?: number };
}

const header = (headers: Record<string, string>, name: string) =>
  headers[name] ?? headers[name.toLowerCase()] ?? '';

/**
 * A WeChat Pay v3 client for JSAPI (openId) payments: every request signed with the merchant
 * key, every answer and notify verified against the platform key, notifies decrypted.
 */
export function createV3Gateway(merchant: V3Merchant, transport: V3Transport, nowSeconds: () => number) {
  async function send(
    method: 'GET' | 'POST',
    pathWithQuery: string,
    payload?: unknown,
  ): Promise<{ status: number; parsed: Record<string, unknown> }> {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const authorization = v3AuthorizationHeader({
      mchId: merchant.mchId,
      serialNo: merchant.serialNo,
      method,
      pathWithQuery,
      body,
      timestamp: nowSeconds(),
      nonce: randomBytes(16).toString('hex'),
      privateKey: merchant.privateKey,
    });
    const response = await transport({
      method,
      pathWithQuery,
      headers: { authorization, accept: 'application/json', 'content-type': 'application/json' },
      body,
    });
    const verified = verifyV3Response({
      timestamp: header(response.headers, 'Wechatpay-Timestamp'),
      nonce: header(response.headers, 'Wechatpay-Nonce'),
      signature: header(response.headers, 'Wechatpay-Signature'),
      body: response.body,
      publicKey: merchant.platformPublicKey,
      nowSeconds: nowSeconds(),
    });
    if (!verified) throw new DomainError('bad_signature', '微信支付应答签名错误');
    const parsed = (response.body ? JSON.parse(response.body) : {}) as Record<string, unknown>;
    return { status: response.status, parsed };
  }

  async function call(
    method: 'GET' | 'POST',
    pathWithQuery: string,
    payload?: unknown,
  ): Promise<Record<string, unknown>> {
    const { status, parsed } = await send(method, pathWithQuery, payload);
    if (status >= 300)
      throw new DomainError('bad_request', `微信支付请求失败：${String(parsed.message ?? status)}`);
    return parsed;
  }

  return {
    merchant,

    async jsapiOrder(order: {
      description: string;
      outTradeNo: string;
      total: number;
      notifyUrl: string;
      openId: string;
      timeExpire: string;
    }): Promise<string> {
      const answer = await call('POST', '/v3/pay/transactions/jsapi', {
        appid: merchant.appId,
        mchid: merchant.mchId,
        description: order.description.slice(0, 127),
        out_trade_no: order.outTradeNo,
        time_expire: order.timeExpire,
        notify_url: order.notifyUrl,
        amount: { total: order.total, currency: 'CNY' },
        payer: { openid: order.openId },
      });
      if (typeof answer.prepay_id !== 'string') throw new DomainError('bad_request', '微信支付下单失败');
      return answer.prepay_id;
    },

    async queryOrder(outTradeNo: string): Promise<V3Transaction> {
      return (await call(
        'GET',
        `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${merchant.mchId}`,
      )) as unknown as V3Transaction;
    },

    /** Closes an unpaid order; false when WeChat refuses (already paid, or no such order). */
    async closeOrder(outTradeNo: string): Promise<boolean> {
      try {
        await call('POST', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}/close`, {
          mchid: merchant.mchId,
        });
        return true;
      } catch (error) {
        if (error instanceof DomainError) return false;
        throw error;
      }
    },

    /**
     * POST /v3/refund/domestic/refunds: refunds `refund` fen of the order. Answers `accepted`
     * (its outcome comes by notify or query) or WeChat's refusal (a 4xx code and message); a 5xx
     * or a lost answer throws, and the same out_refund_no may be sent again.
     */
    async refund(input: {
      outTradeNo: string;
      outRefundNo: string;
      total: number;
      refund: number;
      notifyUrl?: string;
    }): Promise<RefundAnswer> {
      const { status, parsed } = await send('POST', '/v3/refund/domestic/refunds', {
        out_trade_no: input.outTradeNo,
        out_refund_no: input.outRefundNo,
        ...(input.notifyUrl ? { notify_url: input.notifyUrl } : {}),
        amount: { refund: input.refund, total: input.total, currency: 'CNY' },
      });
      if (status < 300) {
        if (parsed.status === 'CLOSED' || parsed.status === 'ABNORMAL')
          return { accepted: false, code: String(parsed.status), message: '退款关闭或异常' };
        return { accepted: true, refundId: typeof parsed.refund_id === 'string' ? parsed.refund_id : null };
      }
      if (status >= 500)
        throw new DomainError('bad_request', `微信支付退款失败：${String(parsed.message ?? status)}`);
      return { accepted: false, code: String(parsed.code ?? status), message: String(parsed.message ?? '') };
    },

    /** A refund's state at WeChat, in v2's words: SUCCESS, REFUNDCLOSE, PROCESSING, CHANGE, NOTEXIST. */
    async queryRefund(outRefundNo: string): Promise<RefundState> {
      const { status, parsed } = await send(
        'GET',
        `/v3/refund/domestic/refunds/${encodeURIComponent(outRefundNo)}`,
      );
      if (status === 404) return { status: 'NOTEXIST', refundId: null };
      if (status >= 300) return { status: 'UNKNOWN', refundId: null };
      return {
        status: V3_REFUND_STATUS[String(parsed.status)] ?? 'UNKNOWN',
        refundId: typeof parsed.refund_id === 'string' ? parsed.refund_id : null,
      };
    },

    pageParams(prepayId: string, timestamp: number) {
      return jsapiPayParams({
        appId: merchant.appId,
        prepayId,
        timestamp,
        nonce: randomBytes(16).toString('hex'),
        privateKey: merchant.privateKey,
      });
    },

    /**
     * A notify's event type and decrypted resource, or null when its signature, freshness or
     * encryption is wrong: `TRANSACTION.*` carries a transaction, `REFUND.*` a refund.
     */
    readNotifyEvent(
      headers: Record<string, string>,
      body: string,
    ): { eventType: string; resource: Record<string, unknown> } | null {
      const verified = verifyV3Response({
        timestamp: header(headers, 'Wechatpay-Timestamp'),
        nonce: header(headers, 'Wechatpay-Nonce'),
        signature: header(headers, 'Wechatpay-Signature'),
        body,
        publicKey: merchant.platformPublicKey,
        nowSeconds: nowSeconds(),
      });
      if (!verified) return null;
      try {
        const envelope = JSON.parse(body) as { event_type?: unknown; resource?: V3Resource };
        if (!envelope.resource) return null;
        const resource = JSON.parse(decryptV3Resource(envelope.resource, merchant.apiV3Key));
        if (!resource || typeof resource !== 'object') return null;
        return { eventType: String(envelope.event_type ?? ''), resource };
      } catch {
        return null;
      }
    },

    /** A notify's transaction, or null when its signature, freshness or encryption is wrong. */
    readNotify(headers: Record<string, string>, body: string): V3Transaction | null {
      const verified = verifyV3Response({
        timestamp: header(headers, 'Wechatpay-Timestamp'),
        nonce: header(headers, 'Wechatpay-Nonce'),
        signature: header(headers, 'Wechatpay-Signature'),
        body,
        publicKey: merchant.platformPublicKey,
        nowSeconds: nowSeconds(),
      });
      if (!verified) return null;
      try {
        const envelope = JSON.parse(body) as { resource?: V3Resource };
        if (!envelope.resource) return null;
        return JSON.parse(decryptV3Resource(envelope.resource, merchant.apiV3Key)) as V3Transaction;
      } catch {
        return null;
      }
    },
  };
}

export type V3Gateway = ReturnType<typeof createV3Gateway>;

/** v3 refund states in v2's words, so one reconciliation reads both. */
const V3_REFUND_STATUS: Record<string, string> = {
  SUCCESS: 'SUCCESS',
  CLOSED: 'REFUNDCLOSE',
  PROCESSING: 'PROCESSING',
  ABNORMAL: 'CHANGE',
};

/** The refund of a v3 refund notify (decrypted), in v2's words. */
export function v3RefundOfNotify(resource: Record<string, unknown>): {
  outRefundNo: string;
  status: string;
  refundId: string | null;
  refund: number;
} {
  const amount = (resource.amount ?? {}) as { refund?: unknown };
  return {
    outRefundNo: String(resource.out_refund_no ?? ''),
    status: V3_REFUND_STATUS[String(resource.refund_status)] ?? 'UNKNOWN',
    refundId: typeof resource.refund_id === 'string' ? resource.refund_id : null,
    refund: Number(amount.refund),
  };
}
