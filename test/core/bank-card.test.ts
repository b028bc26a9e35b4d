import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { luhnValid, maskCardNumber } from '../../src/core/bank-card.js';

describe('bank card numbers', () => {
  const cases: Array<[string, boolean]> = [
    ['6222020200000000006', true],
    ['6222080200000000003', true],
    ['4111111111111111', true],
    ['6222020200000000005', false],
    ['4111111111111112', false],
    ['62220202000', false], // too short
    ['62220202000000000060', false], // 20 digits
    ['622202020000000000a', false],
  ];
  for (const [number, valid] of cases) {
    it(`${number} is ${valid ? '' : 'not '}Luhn-valid`, () => assert.equal(luhnValid(number), valid));
  }
  it('masks all but the BIN and the last four', () => {
    assert.equal(maskCardNumber('6222020200000000006'), '622202*********0006');
    assert.equal(maskCardNumber('4111111111111111'), '411111******1111');
  });
});
