import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FEN_PER_WAN_YUAN,
  FEN_PER_YUAN,
  fenToWanYuan,
  fenToYuanString,
  parseWanYuan,
  parseYuan,
} from '../../src/core/money.js';

type Result = ReturnType<typeof parseWanYuan>;

describe('units', () => {
  it('a 万元 is ten thousand yuan of 100 fen', () => {
    assert.equal(FEN_PER_YUAN, 100);
    assert.equal(FEN_PER_WAN_YUAN, 10_000 * FEN_PER_YUAN);
  });
});

describe('parseWanYuan (万元 → fen)', () => {
  const cases: Array<[string | number, Result]> = [
    ['1', { ok: true, value: 1_000_000 }],
    ['150.5', { ok: true, value: 150_500_000 }],
    ['0.01', { ok: true, value: 10_000 }],
    ['123.45', { ok: true, value: 123_450_000 }],
    ['123.450', { ok: true, value: 123_450_000 }],
    ['0', { ok: true, value: 0 }],
    [150.5, { ok: true, value: 150_500_000 }],
    [0.29, { ok: true, value: 290_000 }],
    ['0.001', { ok: false, problem: 'too_many_decimals' }],
    ['0.015', { ok: false, problem: 'too_many_decimals' }],
    [0.1 + 0.2, { ok: false, problem: 'too_many_decimals' }],
    ['1e3', { ok: false, problem: 'format' }],
    [1e21, { ok: false, problem: 'format' }],
    ['1,000', { ok: false, problem: 'format' }],
    ['+1', { ok: false, problem: 'format' }],
    ['-1', { ok: false, problem: 'format' }],
    [-1, { ok: false, problem: 'format' }],
    ['.5', { ok: false, problem: 'format' }],
    ['abc', { ok: false, problem: 'format' }],
    [Number.NaN, { ok: false, problem: 'format' }],
    ['9007199254.74', { ok: true, value: 9_007_199_254_740_000 }],
    ['9007199254.75', { ok: false, problem: 'too_large' }],
    ['99999999999', { ok: false, problem: 'too_large' }],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () =>
      assert.deepEqual(parseWanYuan(input), expected));
  }
});

describe('parseYuan (元 → fen)', () => {
  const cases: Array<[string | number, Result]> = [
    ['0.01', { ok: true, value: 1 }],
    ['1.13', { ok: true, value: 113 }],
    ['25000.50', { ok: true, value: 2_500_050 }],
    ['25000.5', { ok: true, value: 2_500_050 }],
    [19.99, { ok: true, value: 1999 }],
    ['19.999', { ok: false, problem: 'too_many_decimals' }],
    ['-0.01', { ok: false, problem: 'format' }],
    ['¥12', { ok: false, problem: 'format' }],
    ['90071992547409.92', { ok: false, problem: 'too_large' }],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () =>
      assert.deepEqual(parseYuan(input), expected));
  }
});

describe('fenToWanYuan', () => {
  const cases: Array<[number, number]> = [
    [123_450_000, 123.45],
    [150_500_000, 150.5],
    [10_000, 0.01],
    [1_000_000, 1],
    [0, 0],
    [1, 0.000001],
    [-10_000, -0.01],
  ];
  for (const [fen, wan] of cases) {
    it(`${fen} → ${wan}`, () => assert.equal(fenToWanYuan(fen), wan));
  }
  it('throws on fractional fen', () => assert.throws(() => fenToWanYuan(0.5), RangeError));
});

describe('fenToYuanString', () => {
  const cases: Array<[number, string]> = [
    [1, '0.01'],
    [10, '0.10'],
    [0, '0.00'],
    [100, '1.00'],
    [1234, '12.34'],
    [123_456, '1234.56'],
    [-1, '-0.01'],
    [-123_456, '-1234.56'],
  ];
  for (const [fen, text] of cases) {
    it(`${fen} → ${text}`, () => assert.equal(fenToYuanString(fen), text));
  }
  it('throws on fractional fen', () => {
    assert.throws(() => fenToYuanString(1.5), RangeError);
    assert.throws(() => fenToYuanString(Number.NaN), RangeError);
  });
});
