/**
 * Family 5's states: a monthly card's and an order's, with the only transitions allowed.
 *
 * Card (parking_cards.state):
 *
 * | from | event                                              | to |
 * |------|----------------------------------------------------|----|
 * | (none) | first order placed                               |  0 |
 * |  0   | its first order is paid                            |  1 |
 * |  1   | a renewal order is opened                          |  2 |
 * |  2   | the renewal is paid, or the renewal order closes   |  1 |
 * |  0   | the first order times out                          | -1 |
 * | -1   | the driver places a new first-purchase order         |  0 |
 *
 * Expiry is not a state: a valid card whose end_dt has passed is shown isExpire "1".
 *
 * Order (parking_orders.state):
 *
 * | from | event                  | to |
 * |------|------------------------|----|
 * | (none) | placed               | 01 |
 * | 01   | paid                   | 03 |
 * | 01   | timed out / closed     | 81 |
 * | 03   | refund requested       | 21 |
 * | 21   | refunded               | 22 |
 * | 21   | refund failed          | 03 |
 */

export const PARKING_CARD_STATES = [-1, 0, 1, 2] as const;
export type ParkingCardState = (typeof PARKING_CARD_STATES)[number];

export const PARKING_CARD_STATE_LABELS: Record<ParkingCardState, string> = {
  [-1]: '已超时',
  0: '新建',
  1: '有效',
  2: '续费中',
};

export type ParkingCardEvent =
  | 'first_paid'
  | 'renewal_opened'
  | 'renewal_paid'
  | 'renewal_closed'
  | 'first_timed_out'
  | 'first_reopened';

export const PARKING_CARD_TRANSITIONS: ReadonlyArray<{
  from: ParkingCardState;
  event: ParkingCardEvent;
  to: ParkingCardState;
}> = [
  { from: 0, event: 'first_paid', to: 1 },
  { from: 1, event: 'renewal_opened', to: 2 },
  { from: 2, event: 'renewal_paid', to: 1 },
  { from: 2, event: 'renewal_closed', to: 1 },
  { from: 0, event: 'first_timed_out', to: -1 },
  // A timed-out first purchase is not the end: the driver may buy again, a new first purchase.
  { from: -1, event: 'first_reopened', to: 0 },
];

export const PARKING_ORDER_STATES = ['01', '03', '21', '22', '81'] as const;
export type ParkingOrderState = (typeof PARKING_ORDER_STATES)[number];

export const PARKING_ORDER_STATE_LABELS: Record<ParkingOrderState, string> = {
  '01': '待支付',
  '03': '已支付',
  '21': '退款中',
  '22': '已退款',
  '81': '已关闭',
};

export type ParkingOrderEvent = 'paid' | 'timed_out' | 'refund_requested' | 'refunded' | 'refund_failed';

export const PARKING_ORDER_TRANSITIONS: ReadonlyArray<{
  from: ParkingOrderState;
  event: ParkingOrderEvent;
  to: ParkingOrderState;
}> = [
  { from: '01', event: 'paid', to: '03' },
  { from: '01', event: 'timed_out', to: '81' },
  { from: '03', event: 'refund_requested', to: '21' },
  { from: '21', event: 'refunded', to: '22' },
  { from: '21', event: 'refund_failed', to: '03' },
];

/** 01 未审核, 02 审核中, 03 已审核, 04 审核拒绝. */
export const PARKING_AUDIT_STATES = ['01', '02', '03', '04'] as const;
export type ParkingAuditState = (typeof PARKING_AUDIT_STATES)[number];

export const PARKING_AUDIT_STATE_LABELS: Record<ParkingAuditState, string> = {
  '01': '未审核',
  '02': '审核中',
  '03': '已审核',
  '04': '审核拒绝',
};

/** The state a card moves to on `event`, or undefined when `event` cannot happen in `from`. */
export function nextCardState(from: ParkingCardState, event: ParkingCardEvent): ParkingCardState | undefined {
  return PARKING_CARD_TRANSITIONS.find((t) => t.from === from && t.event === event)?.to;
}

/** The state an order moves to on `event`, or undefined when `event` cannot happen in `from`. */
export function nextOrderState(
  from: ParkingOrderState,
  event: ParkingOrderEvent,
): ParkingOrderState | undefined {
  return PARKING_ORDER_TRANSITIONS.find((t) => t.from === from && t.event === event)?.to;
}

/** Whether a card is past its end as of `now` (isExpire "1"); a card without an end is not. */
export function isCardExpired(card: { end_dt: number | null }, now: number): boolean {
  return card.end_dt !== null && card.end_dt < now;
}
