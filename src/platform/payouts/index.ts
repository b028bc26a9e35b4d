export type { PayoutProvider, PayoutRequest, PayoutResult } from './payout-provider.js';
export { PayoutSandbox } from './payout-sandbox.js';
export { WECHAT_BANK_CODES, wechatBankCode } from './wechat-bank-codes.js';
export { WechatBankPayoutProvider } from './wechat-bank-payout.js';
