/**
 * Lease order states: the spec names 1–4; before them an order is unpaid, after them it is
 * moving out. Only 长租 (modes 2 and 3) in states 1–4 may ask to move out.
 */
export const LEASE_STATUS = {
  unpaid: 0,
  paid: 1,
  movedIn: 2,
  renewed: 3,
  overdue: 4,
  retiring: 5,
  expired: 9,
} as const;

export const RETIRABLE_STATUSES: readonly number[] = [1, 2, 3, 4];
export const LONG_TERM_MODES: readonly number[] = [2, 3];

/** 租房方式 0 短租合租 1 短租整租 2 长租整租 3 长租合租. */
export const RENTAL_MODES: readonly number[] = [0, 1, 2, 3];

export const INSTALLMENT_UNPAID = 0;
export const INSTALLMENT_PAID = 1;
