/**
 * An invitation's life:
 *
 * | from     | event                                   | to        |
 * |----------|-----------------------------------------|-----------|
 * | (none)   | CREATE                                  | inviting  |
 * | inviting | MODIFY (acceptances given are reset)    | inviting  |
 * | inviting | a party accepts, others still pending   | inviting  |
 * | inviting | the last party accepts                  | signed    |
 * | inviting | a party declines                        | declined  |
 * | inviting | the deadline passes (close-overdue job) | timed_out |
 *
 * signed, declined and timed_out are final: nothing moves them. Past its deadline an invitation
 * that the job has not reached yet is already treated as timed out (no accept, no MODIFY).
 */
export const ESCROW_STATES = ['inviting', 'signed', 'declined', 'timed_out'] as const;
export type EscrowState = (typeof ESCROW_STATES)[number];

export const ESCROW_PARTY_ROLES = ['buyer', 'landlord'] as const;
export type EscrowPartyRole = (typeof ESCROW_PARTY_ROLES)[number];

export const ESCROW_STATE_LABELS: Record<EscrowState, string> = {
  inviting: '待应约',
  signed: '已应约',
  declined: '已拒绝',
  timed_out: '已超时',
};

/** The state as of `now`: an inviting invitation past its deadline is timed out. */
export function effectiveState(order: { state: EscrowState; deadline_at: number }, now: number): EscrowState {
  return order.state === 'inviting' && now >= order.deadline_at ? 'timed_out' : order.state;
}

/** Why an invitation in `state` cannot change any more, or undefined when it still can. */
export function refusalOf(state: EscrowState): string | undefined {
  switch (state) {
    case 'inviting':
      return undefined;
    case 'signed':
      return '各方均已应约，邀约不能再变更';
    case 'declined':
      return '邀约已被拒绝，不能再变更';
    case 'timed_out':
      return '邀约已超时，不能再变更';
  }
}
