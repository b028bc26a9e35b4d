import { describe, expect, it } from 'vitest';
import { formatFen, formatFenYuan, yuanToFen } from './format-money';

describe('formatFen', () => {
  it('shows fen as 元 with two decimals, thousands grouped', () => {
    expect(formatFen(0)).toBe('0.00');
    expect(formatFen(7)).toBe('0.07');
    expect(formatFen(30_000)).toBe('300.00');
    expect(formatFen(10_000_000)).toBe('100,000.00');
    expect(formatFen(300_000_001)).toBe('3,000,000.01');
    expect(formatFen(-123_456)).toBe('-1,234.56');
    expect(formatFenYuan(50_000)).toBe('500.00 元');
  });

  it('refuses what is not a whole number of fen rather than show a rounded amount', () => {
    expect(() => formatFen(1.5)).toThrow(RangeError);
  });
});

describe('yuanToFen', () => {
  it('reads 元 with at most two decimals, exactly', () => {
    expect(yuanToFen('1')).toBe(100);
    expect(yuanToFen(' 0.1 ')).toBe(10);
    expect(yuanToFen('19.99')).toBe(1999);
    expect(yuanToFen('100000')).toBe(10_000_000);
  });

  it('answers nothing for an amount a request cannot carry', () => {
    expect(yuanToFen('')).toBeUndefined();
    expect(yuanToFen('0')).toBeUndefined();
    expect(yuanToFen('-1')).toBeUndefined();
    expect(yuanToFen('1.234')).toBeUndefined();
    expect(yuanToFen('一百')).toBeUndefined();
  });
});
