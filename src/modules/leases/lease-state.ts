/**
 * Lease order states: the spec names 1–4; before them an order is unpaid, after them it is
 * moving out (5) and then moved out (6, reached only from 5 by completeRetirement). Only 长租 (modes 2 and 3) in states 1–4 may ask to move out.
 */
export const LEASE_STATUS = {
  unpaid: 0,
  paid: 1,
  movedIn: 2,
  renewed: 3,
  overdue: 4,
  retiring: 5,
  /** 退租完成: the retirement was completed; the tenant's held deposit is refunded then. */
  retired: 6,
  expired: 9,
} as const;

/** A tenant's lease in one of these still runs (or may): their held deposit stays for it. */
export const RUNNING_STATUSES: readonly number[] = [0, 1, 2, 3, 4, 5];

export const RETIRABLE_STATUSES: readonly number[] = [1, 2, 3, 4];
export const LONG_TERM_MODES: readonly number[] = [2, 3];

/** 租房方式 0 短租合租 1 短租整租 2 长租整租 3 长租合租. */
export const RENTAL_MODES: readonly number[] = [0, 1, 2, 3];

export const INSTALLMENT_UNPAID = 0;
export const INSTALLMENT_PAID = 1;
