import { constants, type KeyObject, privateDecrypt, publicEncrypt } from 'node:crypto';
import { nonceStr, type V2Transport } from './v2-gateway.js';
import { signV2, verifyV2 } from './v2-sign.js';
import { parseV2Xml, toV2Xml } from './v2-xml.js';

/**
 * WeChat Pay v2 企业付款到银行卡 (paying a bank card from the merchant's balance):
 * `POST /mmpaysptrans/pay_bank`, `POST /mmpaysptrans/query_bank`, and the RSA public key the card
 * number and the name are encrypted with, `POST https://fraud.mch.weixin.qq.com/risk/getpublickey`.
 * Signed the v2 way with MD5 (these calls carry `mch_id` but no `appid`), and live all three
 * need the merchant's client certificate (the transport's).
 */
export const PAY_BANK_PATH = '/mmpaysptrans/pay_bank';
export const QUERY_BANK_PATH = '/mmpaysptrans/query_bank';
export const GET_PUBLIC_KEY_PATH = '/risk/getpublickey';
/** getpublickey lives on another host than the rest of the API. */
export const GET_PUBLIC_KEY_BASE = 'https://fraud.mch.weixin.qq.com';

/** `partner_trade_no`: 8 to 32 letters and digits. */
export const PARTNER_TRADE_NO = /^[0-9A-Za-z]{8,32}$/;

/**
 * What WeChat wants in `enc_bank_no` and `enc_true_name`: RSA with its public key, OAEP padding
 * (RSA_PKCS1_OAEP_PADDING, SHA-1), base64.
 */
export function encryptForWechat(text: string, publicKey: KeyObject): string {
  return publicEncrypt(
    { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    Buffer.from(text, 'utf8'),
  ).toString('base64');
}

/** The other side of encryptForWechat (what WeChat, or the sandbox, does); null when it fails. */
export function decryptFromMerchant(base64: string, privateKey: KeyObject): string | null {
  try {
    return privateDecrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      Buffer.from(base64, 'base64'),
    ).toString('utf8');
  } catch {
    return null;
  }
}

export interface BankMerchant {
  mchId: string;
  apiKey: string;
}

/**
 * One answer of these APIs: its fields, and whether it was signed (and the signature checked).
 * A signature that does not match throws; an answer may come unsigned (a FAIL).
 */
export interface BankAnswer {
  fields: Record<string, string>;
  signed: boolean;
}

export function createV2BankGateway(
  merchant: BankMerchant,
  transport: V2Transport,
  keyTransport = transport,
) {
  async function call(via: V2Transport, path: string, fields: Record<string, string | number | undefined>) {
    const request: Record<string, string | number | undefined> = {
      mch_id: merchant.mchId,
      nonce_str: nonceStr(),
      ...fields,
    };
    request.sign = signV2(request, merchant.apiKey, 'MD5');
    const text = await via(path, toV2Xml(request));
    const answer = parseV2Xml(text);
    if (!answer) throw new Error(`微信支付应答无法解析：${text.slice(0, 100)}`);
    const signed = answer.sign !== undefined && answer.sign !== '';
    if (signed && !verifyV2(answer, merchant.apiKey)) throw new Error('微信支付应答签名错误');
    if (answer.mch_id !== undefined && answer.mch_id !== merchant.mchId)
      throw new Error('微信支付应答的商户号不是本商户');
    return { fields: answer, signed } satisfies BankAnswer;
  }
  return {
    /** Asks WeChat to pay: `encBankNo` and `encTrueName` already encrypted with its public key. */
    payBank(input: {
      partnerTradeNo: string;
      encBankNo: string;
      encTrueName: string;
      bankCode: string;
      amount: number;
      desc?: string | undefined;
    }): Promise<BankAnswer> {
      return call(transport, PAY_BANK_PATH, {
        partner_trade_no: input.partnerTradeNo,
        enc_bank_no: input.encBankNo,
        enc_true_name: input.encTrueName,
        bank_code: input.bankCode,
        amount: input.amount,
        desc: input.desc,
      });
    },

    /** A payment's state: `status` PROCESSING, SUCCESS, FAILED or BANK_FAIL (when result_code is SUCCESS). */
    queryBank(partnerTradeNo: string): Promise<BankAnswer> {
      return call(transport, QUERY_BANK_PATH, { partner_trade_no: partnerTradeNo });
    },

    /** The PEM (PKCS#1) RSA public key WeChat wants card numbers and names encrypted with. */
    async getPublicKey(): Promise<string> {
      const { fields } = await call(keyTransport, GET_PUBLIC_KEY_PATH, { sign_type: 'MD5' });
      if (fields.return_code !== 'SUCCESS' || fields.result_code !== 'SUCCESS' || !fields.pub_key)
        throw new Error(
          `微信支付未给出RSA公钥：${fields.err_code_des ?? fields.err_code ?? fields.return_msg ?? '未知原因'}`,
        );
      return fields.pub_key;
    },
  };
}

export type V2BankGateway = ReturnType<typeof createV2BankGateway>;
