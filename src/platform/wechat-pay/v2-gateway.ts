import { randomBytes } from 'node:crypto';
import { DomainError } from '../../core/domain-error.js';
import { decryptRefundReqInfo } from './v2-refund.js';
import { signV2, type V2SignType, verifyV2 } from './v2-sign.js';
import { parseV2Xml, toV2Xml } from './v2-xml.js';

/** Sends one v2 request body to a path of the WeChat Pay API and answers the response body. */
export type V2Transport = (path: string, xml: string) => Promise<string>;

export interface V2Merchant {
  appId: string;
  mchId: string;
  apiKey: string;
  signType: V2SignType;
}

export interface AppPayParams {
  appid: string;
  partnerid: string;
  prepayid: string;
  noncestr: string;
  timestamp: number;
  package: 'Sign=WXPay';
  sign: string;
}

export function nonceStr(): string {
  return randomBytes(16).toString('hex');
}

/**
 * A WeChat Pay v2 client: signs every request, verifies every answer's signature, and turns
 * a FAIL into a DomainError the caller can report.
 */
export function createV2Gateway(merchant: V2Merchant, transport: V2Transport) {
  async function call(
    path: string,
    fields: Record<string, string | number | undefined>,
  ): Promise<Record<string, string>> {
    const request: Record<string, string | number | undefined> = {
      appid: merchant.appId,
      mch_id: merchant.mchId,
      nonce_str: nonceStr(),
      sign_type: merchant.signType === 'MD5' ? undefined : merchant.signType,
      ...fields,
    };
    request.sign = signV2(request, merchant.apiKey, merchant.signType);
    const answer = parseV2Xml(await transport(path, toV2Xml(request)));
    if (!answer) throw new DomainError('bad_request', '微信支付应答无法解析');
    if (answer.return_code !== 'SUCCESS') {
      throw new DomainError('bad_request', `微信支付通信失败：${answer.return_msg ?? '未知原因'}`);
    }
    if (!verifyV2(answer, merchant.apiKey)) throw new DomainError('bad_signature', '微信支付应答签名错误');
    return answer;
  }

  return {
    merchant,

    /** Answers the prepay_id, or throws with WeChat's own reason. */
    async unifiedOrder(order: {
      body: string;
      outTradeNo: string;
      totalFee: number;
      clientIp: string;
      notifyUrl: string;
      tradeType: 'APP' | 'JSAPI' | 'NATIVE' | 'MWEB';
      openId?: string;
      timeExpire?: string;
      attach?: string;
    }): Promise<string> {
      const answer = await call('/pay/unifiedorder', {
        body: order.body,
        out_trade_no: order.outTradeNo,
        total_fee: order.totalFee,
        spbill_create_ip: order.clientIp,
        notify_url: order.notifyUrl,
        trade_type: order.tradeType,
        openid: order.openId,
        time_expire: order.timeExpire,
        attach: order.attach,
      });
      if (answer.result_code !== 'SUCCESS' || !answer.prepay_id) {
        throw new DomainError(
          'bad_request',
          `微信支付下单失败：${answer.err_code_des ?? answer.err_code ?? '未知原因'}`,
        );
      }
      return answer.prepay_id;
    },

    /** trade_state and the amounts WeChat holds for an order. */
    async orderQuery(outTradeNo: string): Promise<Record<string, string>> {
      const answer = await call('/pay/orderquery', { out_trade_no: outTradeNo });
      if (answer.result_code !== 'SUCCESS') {
        // ORDERNOTEXIST: WeChat never saw the order, which for us means it was never paid.
        return { trade_state: answer.err_code === 'ORDERNOTEXIST' ? 'NOTPAY' : 'UNKNOWN', ...answer };
      }
      return answer;
    },

    /** False when WeChat will not close it — typically because it was paid meanwhile. */
    async closeOrder(outTradeNo: string): Promise<boolean> {
      const answer = await call('/pay/closeorder', { out_trade_no: outTradeNo });
      return answer.result_code === 'SUCCESS' || answer.err_code === 'ORDERCLOSED';
    },

    /**
     * Asks WeChat to refund `refundFee` of the order (secapi/pay/refund; live, the merchant's
     * client certificate is needed). Answers `accepted` (WeChat took it, its outcome comes by
     * notify or refund query) or WeChat's refusal: `err_code` and its description. The same
     * out_refund_no sent again is WeChat's idempotent retry.
     */
    async refund(input: {
      outTradeNo: string;
      outRefundNo: string;
      totalFee: number;
      refundFee: number;
      notifyUrl?: string;
    }): Promise<RefundAnswer> {
      const answer = await call('/secapi/pay/refund', {
        out_trade_no: input.outTradeNo,
        out_refund_no: input.outRefundNo,
        total_fee: input.totalFee,
        refund_fee: input.refundFee,
        notify_url: input.notifyUrl,
      });
      if (answer.result_code === 'SUCCESS') return { accepted: true, refundId: answer.refund_id ?? null };
      return {
        accepted: false,
        code: answer.err_code ?? 'UNKNOWN',
        message: answer.err_code_des ?? answer.err_code ?? '未知原因',
      };
    },

    /** A refund's state at WeChat: SUCCESS, REFUNDCLOSE, PROCESSING, CHANGE, or NOTEXIST. */
    async refundQuery(outRefundNo: string): Promise<RefundState> {
      const answer = await call('/pay/refundquery', { out_refund_no: outRefundNo });
      if (answer.result_code !== 'SUCCESS') {
        return { status: answer.err_code === 'REFUNDNOTEXIST' ? 'NOTEXIST' : 'UNKNOWN', refundId: null };
      }
      return { status: answer.refund_status_0 ?? 'UNKNOWN', refundId: answer.refund_id_0 ?? null };
    },

    /** The refund of a refund notify (req_info decrypted), or null when it is not ours. */
    readRefundNotify(fields: Record<string, string>): Record<string, string> | null {
      if (fields.appid !== merchant.appId || fields.mch_id !== merchant.mchId || !fields.req_info)
        return null;
      return decryptRefundReqInfo(fields.req_info, merchant.apiKey);
    },

    /** The parameters the app hands to the WeChat SDK, signed over exactly those six fields. */
    appPayParams(prepayId: string, timestampSeconds: number, nonce: string = nonceStr()): AppPayParams {
      const params = {
        appid: merchant.appId,
        partnerid: merchant.mchId,
        prepayid: prepayId,
        noncestr: nonce,
        timestamp: timestampSeconds,
        package: 'Sign=WXPay' as const,
      };
      return { ...params, sign: signV2(params, merchant.apiKey, 'MD5') };
    },
  };
}

export type V2Gateway = ReturnType<typeof createV2Gateway>;

/** WeChat's answer to a refund request (v2 and v3 alike). */
export type RefundAnswer =
  | { accepted: true; refundId: string | null }
  | { accepted: false; code: string; message: string };

/** A refund's state as WeChat reports it, in v2's words (v3's CLOSED and ABNORMAL map onto them). */
export interface RefundState {
  status: string;
  refundId: string | null;
}

/** The reply WeChat expects to a notify. */
export function notifyReply(ok: boolean, message = ok ? 'OK' : 'FAIL'): string {
  return toV2Xml({ return_code: ok ? 'SUCCESS' : 'FAIL', return_msg: message });
}
