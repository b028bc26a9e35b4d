import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDecimal, parseDecimal } from '../../src/core/decimal.js';
import { fenToWanYuan, fenToYuanString, parseWanYuan, parseYuan } from '../../src/core/money.js';

describe('parseWanYuan (万元 → fen)', () => {
  const cases: Array<[string | number, ReturnType<typeof parseWanYuan>]> = [
    ['1', { ok: true, value: 1_000_000 }],
    ['150.5', { ok: true, value: 150_500_000 }],
    ['0.01', { ok: true, value: 10_000 }],
    ['123.45', { ok: true, value: 123_450_000 }],
    ['123.450', { ok: true, value: 123_450_000 }],
    [150.5, { ok: true, value: 150_500_000 }],
    ['0.001', { ok: false, problem: 'too_many_decimals' }],
    [0.1 + 0.2, { ok: false, problem: 'too_many_decimals' }],
    ['1e3', { ok: false, problem: 'format' }],
    ['1,000', { ok: false, problem: 'format' }],
    ['+1', { ok: false, problem: 'format' }],
    ['-1', { ok: false, problem: 'format' }],
    ['.5', { ok: false, problem: 'format' }],
    ['abc', { ok: false, problem: 'format' }],
    [Number.NaN, { ok: false, problem: 'format' }],
    ['99999999999', { ok: false, problem: 'too_large' }],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () =>
      assert.deepEqual(parseWanYuan(input), expected));
  }
});

describe('parseYuan and parseDecimal', () => {
  it('reads yuan to fen exactly', () => {
    assert.deepEqual(parseYuan('0.01'), { ok: true, value: 1 });
    assert.deepEqual(parseYuan('25000.50'), { ok: true, value: 2_500_050 });
    assert.deepEqual(parseYuan('19.999'), { ok: false, problem: 'too_many_decimals' });
  });
  it('keeps a sign only when allowed, and honours max', () => {
    assert.deepEqual(parseDecimal('-3.2', 2, { allowNegative: true }), { ok: true, value: -320 });
    assert.deepEqual(parseDecimal('100.01', 4, { max: 1_000_000 }), { ok: false, problem: 'too_large' });
    assert.deepEqual(parseDecimal('100', 4, { max: 1_000_000 }), { ok: true, value: 1_000_000 });
  });
});

describe('formatting fen back', () => {
  it('renders the shortest decimal', () => {
    assert.equal(formatDecimal(1_234_500, 4), '123.45');
    assert.equal(formatDecimal(1200, 2), '12');
    assert.equal(formatDecimal(-5, 2), '-0.05');
    assert.equal(formatDecimal(0, 2), '0');
  });
  it('converts fen to 万元 and to a yuan string', () => {
    assert.equal(fenToWanYuan(150_500_000), 150.5);
    assert.equal(fenToWanYuan(10_000), 0.01);
    assert.equal(fenToYuanString(1), '0.01');
    assert.equal(fenToYuanString(123_456), '1234.56');
  });
});
