import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskMobile, normalizeMobile } from '../../src/core/mobile.js';

describe('normalizeMobile', () => {
  const cases: Array<[string, string | null]> = [
    ['13812345678', '13812345678'],
    ['19912345678', '19912345678'],
    ['16612345678', '16612345678'],
    ['14712345678', '14712345678'],
    ['+8613812345678', '13812345678'],
    ['008613812345678', '13812345678'],
    ['+86 13812345678', '13812345678'],
    ['0086  13812345678', '13812345678'],
    [' 13812345678 ', '13812345678'],
    ['\t+8613812345678\n', '13812345678'],
    ['12812345678', null],
    ['10012345678', null],
    ['23812345678', null],
    ['1381234567', null],
    ['138123456789', null],
    ['+861381234567', null],
    ['8613812345678', null],
    ['+85213812345678', null],
    ['+86+8613812345678', null],
    ['138 1234 5678', null],
    ['138-1234-5678', null],
    ['1381234567a', null],
    ['+86', null],
    ['', null],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${expected}`, () => assert.equal(normalizeMobile(input), expected));
  }
});

describe('maskMobile', () => {
  const cases: Array<[string, string]> = [
    ['13245678901', '13245678***'],
    ['19912345678', '19912345***'],
  ];
  for (const [input, masked] of cases) {
    it(`${input} → ${masked}`, () => assert.equal(maskMobile(input), masked));
  }
});
