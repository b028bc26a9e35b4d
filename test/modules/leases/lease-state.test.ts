import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  INSTALLMENT_PAID,
  INSTALLMENT_UNPAID,
  LEASE_STATUS,
  LONG_TERM_MODES,
  RENTAL_MODES,
  RETIRABLE_STATUSES,
} from '../../../src/modules/leases/lease-state.js';

describe('lease states', () => {
  it('numbers the states as the spec does: 1–4 named, 0 before them, 5, 6 and 9 after', () => {
    assert.deepEqual(LEASE_STATUS, {
      unpaid: 0,
      paid: 1,
      movedIn: 2,
      renewed: 3,
      overdue: 4,
      retiring: 5,
      retired: 6,
      expired: 9,
    });
  });

  it('lets only 长租 (modes 2 整租 and 3 合租) in states 1–4 ask to move out', () => {
    assert.equal(RETIRABLE_STATUSES.includes(LEASE_STATUS.unpaid), false);
    assert.equal(RETIRABLE_STATUSES.includes(LEASE_STATUS.retiring), false, 'already moving out');
    assert.equal(RETIRABLE_STATUSES.includes(LEASE_STATUS.expired), false);
    assert.deepEqual(RETIRABLE_STATUSES, [
      LEASE_STATUS.paid,
      LEASE_STATUS.movedIn,
      LEASE_STATUS.renewed,
      LEASE_STATUS.overdue,
    ]);
    assert.deepEqual(LONG_TERM_MODES, [2, 3]);
  });

  it('has the four rental modes 0 短租合租, 1 短租整租, 2 长租整租, 3 长租合租, of which 0 and 1 are short', () => {
    assert.deepEqual(RENTAL_MODES, [0, 1, 2, 3]);
    assert.deepEqual(
      RENTAL_MODES.filter((m) => !LONG_TERM_MODES.includes(m)),
      [0, 1],
    );
  });

  it('marks installments 0 unpaid, 1 paid', () => {
    assert.deepEqual([INSTALLMENT_UNPAID, INSTALLMENT_PAID], [0, 1]);
  });
});
