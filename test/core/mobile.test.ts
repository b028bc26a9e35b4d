import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskMobile, normalizeMobile } from '../../src/core/mobile.js';

describe('normalizeMobile', () => {
  const cases: Array<[string, string | null]> = [
    ['13812345678', '13812345678'],
    ['19912345678', '19912345678'],
    ['16612345678', '16612345678'],
    ['+8613812345678', '13812345678'],
    ['008613812345678', '13812345678'],
    [' 13812345678 ', '13812345678'],
    ['12812345678', null],
    ['1381234567', null],
    ['138123456789', null],
    ['+85213812345678', null],
    ['1381234567a', null],
    ['', null],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${expected}`, () => assert.equal(normalizeMobile(input), expected));
  }
});

describe('maskMobile', () => {
  it('hides the last three digits the way the marketplace does', () => {
    assert.equal(maskMobile('13245678901'), '13245678***');
  });
});
