import { randomBytes } from 'node:crypto';
import { DomainError } from '../../core/domain-error.js';
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
  async function call(
    method: 'GET' | 'POST',
    pathWithQuery: string,
    payload?: unknown,
  ): Promise<Record<string, unknown>> {
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
    if (response.status >= 300)
      throw new DomainError('bad_request', `微信支付请求失败：${String(parsed.message ?? response.status)}`);
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

    pageParams(prepayId: string, timestamp: number) {
      return jsapiPayParams({
        appId: merchant.appId,
        prepayId,
        timestamp,
        nonce: randomBytes(16).toString('hex'),
        privateKey: merchant.privateKey,
      });
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
