import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDecimal, parseDecimal } from '../../src/core/decimal.js';

type Opts = Parameters<typeof parseDecimal>[2];
type Result = ReturnType<typeof parseDecimal>;

describe('parseDecimal', () => {
  const cases: Array<[string | number, number, Opts, Result]> = [
    ['12', 2, {}, { ok: true, value: 1200 }],
    ['12.5', 2, {}, { ok: true, value: 1250 }],
    ['0.01', 2, {}, { ok: true, value: 1 }],
    ['0.29', 2, {}, { ok: true, value: 29 }],
    ['1.13', 2, {}, { ok: true, value: 113 }],
    ['007.50', 2, {}, { ok: true, value: 750 }],
    ['  3.2\n', 2, {}, { ok: true, value: 320 }],
    ['0', 2, {}, { ok: true, value: 0 }],
    ['12', 0, {}, { ok: true, value: 12 }],
    ['12.0', 0, {}, { ok: true, value: 12 }],
    ['12.5', 0, {}, { ok: false, problem: 'too_many_decimals' }],
    ['1.230', 2, {}, { ok: true, value: 123 }],
    ['1.235', 2, {}, { ok: false, problem: 'too_many_decimals' }],
    ['1.5', 4, { maxDecimals: 1 }, { ok: true, value: 15_000 }],
    ['1.55', 4, { maxDecimals: 1 }, { ok: false, problem: 'too_many_decimals' }],
    ['1.50', 4, { maxDecimals: 1 }, { ok: true, value: 15_000 }],
    // maxDecimals above scale cannot keep digits the scale has no room for.
    ['1.005', 2, { maxDecimals: 4 }, { ok: false, problem: 'too_many_decimals' }],
    ['-3.2', 2, { allowNegative: true }, { ok: true, value: -320 }],
    ['-3.2', 2, {}, { ok: false, problem: 'format' }],
    ['-0.00', 2, { allowNegative: true }, { ok: true, value: 0 }],
    ['+1', 2, {}, { ok: false, problem: 'format' }],
    ['1e3', 2, {}, { ok: false, problem: 'format' }],
    ['1,000', 2, {}, { ok: false, problem: 'format' }],
    ['1 000', 2, {}, { ok: false, problem: 'format' }],
    ['.5', 2, {}, { ok: false, problem: 'format' }],
    ['5.', 2, {}, { ok: false, problem: 'format' }],
    ['--1', 2, { allowNegative: true }, { ok: false, problem: 'format' }],
    ['１２', 2, {}, { ok: false, problem: 'format' }],
    ['', 2, {}, { ok: false, problem: 'format' }],
    ['abc', 2, {}, { ok: false, problem: 'format' }],
    [12.5, 2, {}, { ok: true, value: 1250 }],
    [0.29, 2, {}, { ok: true, value: 29 }],
    [-1.5, 1, { allowNegative: true }, { ok: true, value: -15 }],
    [-1.5, 1, {}, { ok: false, problem: 'format' }],
    [0.1 + 0.2, 2, {}, { ok: false, problem: 'too_many_decimals' }],
    [1e21, 0, {}, { ok: false, problem: 'format' }],
    [1e-7, 8, {}, { ok: false, problem: 'format' }],
    [Number.NaN, 2, {}, { ok: false, problem: 'format' }],
    [Number.POSITIVE_INFINITY, 2, {}, { ok: false, problem: 'format' }],
    ['90071992547409.91', 2, {}, { ok: true, value: Number.MAX_SAFE_INTEGER }],
    ['90071992547409.92', 2, {}, { ok: false, problem: 'too_large' }],
    ['12345678901234567', 0, {}, { ok: false, problem: 'too_large' }],
    ['000000000000000000001', 0, {}, { ok: true, value: 1 }],
    ['100', 4, { max: 1_000_000 }, { ok: true, value: 1_000_000 }],
    ['100.01', 4, { max: 1_000_000 }, { ok: false, problem: 'too_large' }],
    // max bounds the magnitude, so a large negative is refused as well.
    ['-100.01', 4, { max: 1_000_000, allowNegative: true }, { ok: false, problem: 'too_large' }],
  ];
  for (const [input, scale, opts, expected] of cases) {
    it(`${JSON.stringify(input)} at scale ${scale} ${JSON.stringify(opts)} → ${JSON.stringify(expected)}`, () =>
      assert.deepEqual(parseDecimal(input, scale, opts), expected));
  }

  it('does not produce -0', () => {
    const parsed = parseDecimal('-0', 2, { allowNegative: true });
    assert.ok(parsed.ok && Object.is(parsed.value, 0));
  });

  it('throws on a scale that is not a small whole number', () => {
    assert.throws(() => parseDecimal('1', -1), RangeError);
    assert.throws(() => parseDecimal('1', 1.5), RangeError);
  });
});

describe('formatDecimal', () => {
  const cases: Array<[number, number, string]> = [
    [1_234_500, 4, '123.45'],
    [1200, 2, '12'],
    [-5, 2, '-0.05'],
    [-1250, 2, '-12.5'],
    [0, 2, '0'],
    [-0, 2, '0'],
    [1, 6, '0.000001'],
    [123, 0, '123'],
    [Number.MAX_SAFE_INTEGER, 2, '90071992547409.91'],
  ];
  for (const [scaled, scale, text] of cases) {
    it(`(${scaled}, ${scale}) → ${text}`, () => assert.equal(formatDecimal(scaled, scale), text));
  }

  it('round-trips with parseDecimal', () => {
    for (const text of ['0.01', '12', '12.5', '-3.07', '90071992547409.91']) {
      const parsed = parseDecimal(text, 2, { allowNegative: true });
      assert.ok(parsed.ok);
      assert.equal(formatDecimal(parsed.value, 2), text);
    }
  });

  it('throws rather than print a value that is not a safe integer', () => {
    assert.throws(() => formatDecimal(1.5, 2), RangeError);
    assert.throws(() => formatDecimal(Number.NaN, 2), RangeError);
    assert.throws(() => formatDecimal(2 ** 53, 2), RangeError);
    assert.throws(() => formatDecimal(1, -1), RangeError);
  });
});
