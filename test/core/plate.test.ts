import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { normalizePlate, parsePlate } from '../../src/core/plate.js';

describe('parsePlate', () => {
  const valid: Array<[string, string, string]> = [
    ['京A12345', '京A12345', 'ordinary'],
    ['京L78023', '京L78023', 'ordinary'],
    ['沪B0X9Z8', '沪B0X9Z8', 'ordinary'],
    ['粤BABCDE', '粤BABCDE', 'ordinary'],
    ['京a12345', '京A12345', 'ordinary'],
    [' 京A 12345 ', '京A12345', 'ordinary'],
    ['京A·12345', '京A12345', 'ordinary'],
    ['京Ａ１２３４５', '京A12345', 'ordinary'],
    ['琼Z1234挂', '琼Z1234挂', 'suffixed'],
    ['京A1234学', '京A1234学', 'suffixed'],
    ['京A1234警', '京A1234警', 'suffixed'],
    ['粤Z1234港', '粤Z1234港', 'suffixed'],
    ['粤Z1234澳', '粤Z1234澳', 'suffixed'],
    ['沪A1234领', '沪A1234领', 'consulate'],
    ['使014578', '使014578', 'embassy'],
    ['224001使', '224001使', 'embassy'],
    ['京AD12345', '京AD12345', 'new_energy_small'],
    ['京AF12345', '京AF12345', 'new_energy_small'],
    ['京ADA1234', '京ADA1234', 'new_energy_small'],
    ['沪AK12345', '沪AK12345', 'new_energy_small'],
    ['京A12345D', '京A12345D', 'new_energy_large'],
    ['京A1234D', '京A1234D', 'ordinary'],
    ['粤B12345F', '粤B12345F', 'new_energy_large'],
    ['京ad12345', '京AD12345', 'new_energy_small'],
  ];
  for (const [input, plate, kind] of valid) {
    it(`accepts ${JSON.stringify(input)} as ${kind} ${plate}`, () =>
      assert.deepEqual(parsePlate(input), { plate, kind }));
  }

  const invalid: string[] = [
    '',
    '京A1234',
    '京A123456',
    'AA12345',
    '港A12345',
    '京112345',
    '京I12345',
    '京O12345',
    '京AI2345',
    '京A1234O',
    '京A12345挂',
    '京A123挂4',
    '京A1234使',
    '京AD1234A',
    '京AL12345',
    '京AI12345',
    '京A1234DF',
    '京A12345G',
    '京AD123456',
    '使01457',
    '使A12345',
    '京A-12345X',
    '京A12!45',
    '12345',
  ];
  for (const input of invalid) {
    it(`refuses ${JSON.stringify(input)}`, () => assert.equal(parsePlate(input), undefined));
  }
});

describe('parsePlate, its shortcut for a plate already in stored form', () => {
  it('answers what normalising first answers, for any mix of plate characters', () => {
    // A leading space can only be stripped, so it sends the input the long way round.
    const char = fc.constantFrom(...'京沪粤使AaDdFfIiOo0123459 .·Ａ１挂学领');
    fc.assert(
      fc.property(fc.array(char, { maxLength: 9 }), (chars) => {
        const input = chars.join('');
        assert.deepEqual(parsePlate(input), parsePlate(` ${input}`));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('normalizePlate', () => {
  it('answers the stored form or null', () => {
    assert.equal(normalizePlate(' 京 a 12345'), '京A12345');
    assert.equal(normalizePlate('京A1234'), null);
  });
});
