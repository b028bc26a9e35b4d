/** How the escrow pages colour the states (labels in api/escrow.ts). */
export const ESCROW_STATE_COLORS: Record<string, string> = {
  inviting: 'processing',
  signed: 'success',
  declined: 'error',
};
export const RELEASE_STATE_COLORS: Record<string, string> = {
  requested: 'gold',
  approved: 'green',
  rejected: 'default',
};
export const PAYOUT_STATE_COLORS: Record<string, string> = {
  pending: 'processing',
  paid: 'success',
  failed: 'error',
};
export const PARTY_DECISION_COLORS: Record<string, string> = {
  pending: 'processing',
  accepted: 'success',
  declined: 'error',
};
