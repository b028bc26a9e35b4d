import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addMonths,
  formatShanghaiDate,
  formatShanghaiDateTime,
  isCalendarDate,
  parseShanghaiDateTime,
  shanghaiDayRange,
} from '../../src/core/time.js';

describe('formatShanghaiDateTime / formatShanghaiDate', () => {
  const cases: Array<[number, string]> = [
    [0, '1970-01-01 08:00:00'],
    [Date.parse('2016-01-06T03:18:30Z'), '2016-01-06 11:18:30'],
    [Date.parse('2024-05-31T15:59:59.999Z'), '2024-05-31 23:59:59'],
    [Date.parse('2024-05-31T16:00:00Z'), '2024-06-01 00:00:00'],
    [Date.parse('2024-02-28T16:00:00Z'), '2024-02-29 00:00:00'],
    [Date.parse('2023-12-31T16:00:00Z'), '2024-01-01 00:00:00'],
    [-8 * 3_600_000 - 1, '1969-12-31 23:59:59'],
    [Date.parse('0999-01-01T00:00:00Z'), '0999-01-01 08:00:00'],
  ];
  for (const [ms, text] of cases) {
    it(`${ms} → ${text}`, () => {
      assert.equal(formatShanghaiDateTime(ms), text);
      assert.equal(formatShanghaiDate(ms), text.slice(0, 10));
    });
  }

  it('throws rather than print a date that is not YYYY-MM-DD', () => {
    assert.throws(() => formatShanghaiDateTime(Number.NaN), RangeError);
    assert.throws(() => formatShanghaiDate(Number.POSITIVE_INFINITY), RangeError);
    assert.throws(() => formatShanghaiDate(Date.parse('+010000-01-01T00:00:00Z')), RangeError);
    assert.throws(() => formatShanghaiDate(Date.parse('-000001-06-01T00:00:00Z')), RangeError);
  });
});

describe('isCalendarDate', () => {
  const cases: Array<[string, boolean]> = [
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['2023-02-28', true],
    ['2024-12-31', true],
    ['2024-04-30', true],
    ['0024-02-29', true],
    ['0000-01-01', true],
    ['2023-02-29', false],
    ['1900-02-29', false],
    ['2024-04-31', false],
    ['2024-13-01', false],
    ['2024-00-10', false],
    ['2024-01-00', false],
    ['2024-01-32', false],
    ['2024-2-9', false],
    ['20240209', false],
    ['2024/02/09', false],
    [' 2024-02-09', false],
    ['2024-02-09 00:00:00', false],
    ['', false],
  ];
  for (const [date, expected] of cases) {
    it(`${JSON.stringify(date)} → ${expected}`, () => assert.equal(isCalendarDate(date), expected));
  }
});

describe('shanghaiDayRange', () => {
  const cases: Array<[string, { start: number; end: number } | null]> = [
    ['2024-06-01', { start: Date.parse('2024-05-31T16:00:00Z'), end: Date.parse('2024-06-01T16:00:00Z') }],
    ['1970-01-01', { start: -8 * 3_600_000, end: 16 * 3_600_000 }],
    ['2024-02-29', { start: Date.parse('2024-02-28T16:00:00Z'), end: Date.parse('2024-02-29T16:00:00Z') }],
    ['2024-13-01', null],
    ['2023-02-29', null],
    ['2024-6-1', null],
    ['', null],
  ];
  for (const [date, expected] of cases) {
    it(`${JSON.stringify(date)} → ${JSON.stringify(expected)}`, () =>
      assert.deepEqual(shanghaiDayRange(date), expected));
  }

  it('starts the day that formatShanghaiDate names and ends just after it', () => {
    const range = shanghaiDayRange('2024-06-01');
    assert.ok(range);
    assert.equal(formatShanghaiDateTime(range.start), '2024-06-01 00:00:00');
    assert.equal(formatShanghaiDateTime(range.end - 1), '2024-06-01 23:59:59');
    assert.equal(formatShanghaiDate(range.end), '2024-06-02');
  });
});

describe('parseShanghaiDateTime', () => {
  const cases: Array<[string, number | null]> = [
    ['2016-01-06 11:18:30', Date.parse('2016-01-06T03:18:30Z')],
    ['2016-01-06 11:18', Date.parse('2016-01-06T03:18:00Z')],
    ['1970-01-01 08:00:00', 0],
    ['2024-06-01 00:00:00', Date.parse('2024-05-31T16:00:00Z')],
    ['2024-12-31 23:59:59', Date.parse('2024-12-31T15:59:59Z')],
    [' 2016-01-06 11:18:30 ', Date.parse('2016-01-06T03:18:30Z')],
    ['2016-02-30 11:18:30', null],
    ['2016-01-06 24:00:00', null],
    ['2016-01-06 11:60:00', null],
    ['2016-01-06 11:18:60', null],
    ['2016-01-06T11:18:30', null],
    ['2016-01-06 11:18:30Z', null],
    ['2016-01-06 11:18:30.000', null],
    ['2016-01-06 1:18:30', null],
    ['2016-01-06', null],
    ['', null],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} → ${expected}`, () => assert.equal(parseShanghaiDateTime(text), expected));
  }

  it('reads back what formatShanghaiDateTime writes', () => {
    for (const ms of [0, Date.parse('2016-01-06T03:18:30Z'), Date.parse('2024-02-28T16:00:00Z')]) {
      assert.equal(parseShanghaiDateTime(formatShanghaiDateTime(ms)), ms);
    }
  });
});

describe('addMonths', () => {
  const cases: Array<[string, number, string]> = [
    ['2024-06-10', 3, '2024-09-10'],
    ['2024-11-30', 3, '2025-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2023-01-31', 1, '2023-02-28'],
    ['2024-12-15', 12, '2025-12-15'],
    ['2024-06-01', 0, '2024-06-01'],
  ];
  for (const [date, months, expected] of cases) {
    it(`${date} + ${months} months → ${expected}`, () => assert.equal(addMonths(date, months), expected));
  }
});
