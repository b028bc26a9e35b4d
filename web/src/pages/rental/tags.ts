/** How the rental pages colour the states (labels in api/rental.ts). */
export const LEASE_STATUS_COLORS: Record<string, string> = {
  0: 'gold',
  1: 'blue',
  2: 'green',
  3: 'green',
  4: 'red',
  5: 'orange',
  6: 'default',
  9: 'default',
};
export const PAYMENT_STATUS_COLORS: Record<string, string> = {
  created: 'gold',
  paid: 'green',
  failed: 'red',
  credited: 'blue',
};
export const REFUND_STATE_COLORS: Record<string, string> = {
  requested: 'processing',
  succeeded: 'success',
  failed: 'error',
};
