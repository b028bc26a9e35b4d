import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ageOn, idCardCheckDigit, maskIdCard, parseResidentId } from '../../src/core/id-card.js';

const NOW = Date.parse('2024-06-01T10:00:00+08:00');

describe('parseResidentId (GB 11643-1999)', () => {
  const valid: Array<[string, string, string, 1 | 2]> = [
    ['11010519491231002X', '11010519491231002X', '1949-12-31', 2],
    ['440524188001010014', '440524188001010014', '1880-01-01', 1],
    ['11010519491231002x', '11010519491231002X', '1949-12-31', 2],
    [' 110105197806120031 ', '110105197806120031', '1978-06-12', 1],
    ['110105200002290013', '110105200002290013', '2000-02-29', 1],
  ];
  for (const [input, number, birthDate, sex] of valid) {
    it(`accepts ${input.trim()}`, () => {
      assert.deepEqual(parseResidentId(input, NOW), { ok: true, value: { number, birthDate, sex } });
    });
  }

  const invalid: Array<[string, string]> = [
    ['110105194912310021', 'check_digit'],
    [`99010519491231002${idCardCheckDigit('99010519491231002')}`, 'province'],
    ['110105194902300012', 'birth_date'],
    ['110105190002290017', 'birth_date'], // 1900 was not a leap year
    ['110105202506010010', 'birth_date'], // after NOW
    ['11010519491231002', 'format'],
    ['1101051949123100XX', 'format'],
    ['11010519491231002Y', 'format'],
    ['', 'format'],
  ];
  for (const [input, problem] of invalid) {
    it(`refuses ${input || '(empty)'} for ${problem}`, () => {
      assert.deepEqual(parseResidentId(input, NOW), { ok: false, problem });
    });
  }

  it('computes the check character from the weights', () => {
    assert.equal(idCardCheckDigit('11010519491231002'), 'X');
    assert.equal(idCardCheckDigit('44052418800101001'), '4');
  });
});

describe('ageOn', () => {
  it('counts full years on the Beijing date', () => {
    assert.equal(ageOn('1949-12-31', NOW), 74);
    assert.equal(ageOn('2000-06-01', NOW), 24);
    assert.equal(ageOn('2000-06-02', NOW), 23);
    // 2024-05-31 16:30 UTC is already 06-01 in Beijing.
    assert.equal(ageOn('2000-06-01', Date.parse('2024-05-31T16:30:00Z')), 24);
  });
});

describe('maskIdCard', () => {
  it('hides the last four characters', () => {
    assert.equal(maskIdCard('610121190001091234'), '61012119000109****');
  });
});
