export type { PayoutProvider, PayoutRequest, PayoutResult } from './payout-provider.js';
export { PayoutSandbox } from './payout-sandbox.js';
