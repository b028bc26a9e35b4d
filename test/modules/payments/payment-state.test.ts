import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isFinal,
  isSettledWithMoney,
  PAYMENT_CHANNELS,
  PAYMENT_STATUSES,
} from '../../../src/modules/payments/payment-state.js';

describe('payment states', () => {
  it('has the five statuses and three channels', () => {
    assert.deepEqual(PAYMENT_STATUSES, ['created', 'paid', 'failed', 'closed', 'credited']);
    assert.deepEqual(PAYMENT_CHANNELS, ['wechat_app', 'wechat_jsapi', 'deposit']);
  });

  it('treats every status but created as final', () => {
    assert.deepEqual(
      PAYMENT_STATUSES.map((s) => [s, isFinal(s)]),
      [
        ['created', false],
        ['paid', true],
        ['failed', true],
        ['closed', true],
        ['credited', true],
      ],
    );
  });

  it('counts money received only for paid and credited: those never move again', () => {
    assert.deepEqual(
      PAYMENT_STATUSES.filter((s) => isSettledWithMoney(s)),
      ['paid', 'credited'],
    );
  });
});
