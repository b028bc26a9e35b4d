import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResidentId } from '../../src/core/id-card.js';
import { ageOn, idCardCheckDigit, maskIdCard, parseResidentId } from '../../src/core/id-card.js';

// 2024-06-01 10:00 in Beijing.
const NOW = Date.parse('2024-06-01T10:00:00+08:00');
// 2024-05-31 23:59:59 in Beijing, one second before its June 1.
const LAST_SECOND_OF_MAY_31 = Date.parse('2024-05-31T15:59:59Z');
// 2024-06-01 00:30 in Beijing, still 2024-05-31 in UTC.
const EARLY_JUNE_1 = Date.parse('2024-05-31T16:30:00Z');

describe('idCardCheckDigit', () => {
  const cases: Array<[string, string]> = [
    ['11010519491231002', 'X'],
    ['44052418800101001', '4'],
    ['99010519491231002', '3'],
    ['11010519491231001', '1'],
    ['11010520000229002', '1'],
  ];
  for (const [first17, check] of cases) {
    it(`${first17} → ${check}`, () => assert.equal(idCardCheckDigit(first17), check));
  }
});

describe('parseResidentId (GB 11643-1999)', () => {
  const valid: Array<[string, number, ResidentId]> = [
    ['11010519491231002X', NOW, { number: '11010519491231002X', birthDate: '1949-12-31', sex: 2 }],
    ['440524188001010014', NOW, { number: '440524188001010014', birthDate: '1880-01-01', sex: 1 }],
    ['11010519491231002x', NOW, { number: '11010519491231002X', birthDate: '1949-12-31', sex: 2 }],
    [' 110105194912310011 ', NOW, { number: '110105194912310011', birthDate: '1949-12-31', sex: 1 }],
    ['110105200002290021', NOW, { number: '110105200002290021', birthDate: '2000-02-29', sex: 2 }],
    ['110105180001010010', NOW, { number: '110105180001010010', birthDate: '1800-01-01', sex: 1 }],
    ['910105194912310029', NOW, { number: '910105194912310029', birthDate: '1949-12-31', sex: 2 }],
    ['710105194912310021', NOW, { number: '710105194912310021', birthDate: '1949-12-31', sex: 2 }],
    // Born "today" on the Beijing calendar, though UTC is still on the previous day.
    ['110105202406010013', EARLY_JUNE_1, { number: '110105202406010013', birthDate: '2024-06-01', sex: 1 }],
  ];
  for (const [input, now, value] of valid) {
    it(`accepts ${JSON.stringify(input)}`, () => {
      assert.deepEqual(parseResidentId(input, now), { ok: true, value });
    });
  }

  // Every refused number except the check_digit and format cases carries its correct check character,
  // so only the named rule can be what refuses it.
  const invalid: Array<[string, number, string, string]> = [
    ['110105194912310021', NOW, 'check_digit', 'wrong check digit (should be X)'],
    ['11010519491231002Y', NOW, 'format', 'check character not a digit or X'],
    ['990105194912310023', NOW, 'province', 'province 99'],
    ['160105194912310029', NOW, 'province', 'province 16, between 15 and 21'],
    ['100105194912310028', NOW, 'province', 'province 10, below 11'],
    ['830105194912310029', NOW, 'province', 'province 83, after 82'],
    ['110105194902300012', NOW, 'birth_date', 'February 30'],
    ['110105190002290017', NOW, 'birth_date', '1900-02-29, 1900 not a leap year'],
    ['110105202406020019', NOW, 'birth_date', 'day after now'],
    ['110105202406010013', LAST_SECOND_OF_MAY_31, 'birth_date', 'Beijing date is still the day before'],
    ['110105179912310016', NOW, 'birth_date', 'before 1800'],
    ['11010519491231002', NOW, 'format', '17 characters'],
    ['11010519491231002X1', NOW, 'format', '19 characters'],
    ['1101051949123100XX', NOW, 'format', 'X before the last position'],
    ['11010A19491231002X', NOW, 'format', 'letter in the region'],
    ['110105 19491231002X', NOW, 'format', 'space inside'],
    ['', NOW, 'format', 'empty'],
  ];
  for (const [input, now, problem, why] of invalid) {
    it(`refuses ${JSON.stringify(input)} for ${problem}: ${why}`, () => {
      assert.deepEqual(parseResidentId(input, now), { ok: false, problem });
    });
  }
});

describe('ageOn', () => {
  const cases: Array<[string, number, number, string]> = [
    ['1949-12-31', NOW, 74, 'birthday later this year'],
    ['2000-06-01', NOW, 24, 'birthday today'],
    ['2000-06-02', NOW, 23, 'birthday tomorrow'],
    ['2024-06-01', NOW, 0, 'born today'],
    ['2000-06-01', EARLY_JUNE_1, 24, 'already the birthday in Beijing, not yet in UTC'],
    ['2000-06-01', LAST_SECOND_OF_MAY_31, 23, 'last second before the birthday in Beijing'],
    ['2000-02-29', Date.parse('2023-02-28T12:00:00+08:00'), 22, 'leapling on 28 Feb of a common year'],
    ['2000-02-29', Date.parse('2023-03-01T00:00:00+08:00'), 23, 'leapling on 1 Mar of a common year'],
    ['2000-02-29', Date.parse('2024-02-29T00:00:00+08:00'), 24, 'leapling on 29 Feb'],
  ];
  for (const [birthDate, now, age, why] of cases) {
    it(`${birthDate} → ${age} (${why})`, () => assert.equal(ageOn(birthDate, now), age));
  }

  it('throws on a date that does not exist', () => {
    assert.throws(() => ageOn('2000-02-30', NOW), RangeError);
    assert.throws(() => ageOn('20000601', NOW), RangeError);
  });
});

describe('maskIdCard', () => {
  const cases: Array<[string, string]> = [
    ['610121190001091234', '61012119000109****'],
    ['11010519491231002X', '11010519491231****'],
  ];
  for (const [input, masked] of cases) {
    it(`${input} → ${masked}`, () => assert.equal(maskIdCard(input), masked));
  }
});
