import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BANKS, bankIcon, bankOfCard, findBank } from '../../../src/modules/partner/bank-catalog.js';

/** The 23 bank codes of family 4's table, in its order. */
const FAMILY_4_CODES = [
  'ICBC',
  'ABC',
  'BOC',
  'CCB',
  'BCOM',
  'CMBC',
  'CMB',
  'POST',
  'PAB',
  'CITIC',
  'CEB',
  'CIB',
  'GDB',
  'HXB',
  'NJCB',
  'SPDB',
  'BOB',
  'HZB',
  'NBCB',
  'CZB',
  'HSB',
  'CBHB',
  'HKBANK',
];

describe('bank catalog', () => {
  it('holds exactly the 23 banks of the code table, in order, each with a name and limits', () => {
    assert.deepEqual(
      BANKS.map((b) => b.code),
      FAMILY_4_CODES,
    );
    for (const bank of BANKS) {
      assert.match(bank.name, /银行$/, bank.code);
      assert.match(bank.title, /^单笔\d+[WK]\/日\d+[WK]\/月\d+[WK]$/, bank.code);
    }
    assert.deepEqual(
      [findBank('ICBC')?.name, findBank('POST')?.name, findBank('HKBANK')?.name],
      ['工商银行', '邮储银行', '汉口银行'],
    );
  });

  it('only names a card type a bank supports, and never one BIN for two banks', () => {
    const owner = new Map<string, string>();
    for (const bank of BANKS) {
      for (const [bin, cardType] of Object.entries(bank.bins)) {
        assert.match(bin, /^\d{6}$/, `${bank.code} ${bin}`);
        assert.ok(bank.cardTypes.includes(cardType), `${bank.code} ${bin} type ${cardType}`);
        assert.equal(owner.get(bin), undefined, `${bin} is both ${owner.get(bin)} and ${bank.code}`);
        owner.set(bin, bank.code);
      }
    }
  });

  it('says debit-only for the banks that take no credit cards', () => {
    assert.deepEqual(
      BANKS.filter((b) => !b.cardTypes.includes(1)).map((b) => b.code),
      ['POST', 'NJCB', 'BOB', 'HZB', 'NBCB', 'CZB', 'HSB', 'CBHB', 'HKBANK'],
    );
  });

  it('finds a bank by its exact code only', () => {
    assert.equal(findBank('CMB')?.name, '招商银行');
    assert.equal(findBank('cmb'), undefined);
    assert.equal(findBank('UNKNOWN'), undefined);
    assert.equal(findBank(''), undefined);
  });

  it('names the bank and card type from the first six digits, kept as a string', () => {
    const icbcDebit = bankOfCard('6222020200000000005');
    assert.deepEqual([icbcDebit?.bank.code, icbcDebit?.cardType], ['ICBC', 2]);
    const icbcCredit = bankOfCard('6253300000000000');
    assert.deepEqual([icbcCredit?.bank.code, icbcCredit?.cardType], ['ICBC', 1]);
    const cmbDebit = bankOfCard('6214830000000000000');
    assert.deepEqual([cmbDebit?.bank.code, cmbDebit?.cardType], ['CMB', 2]);
    const hzb = bankOfCard('6033670000000000');
    assert.deepEqual([hzb?.bank.code, hzb?.cardType], ['HZB', 2]);
  });

  it('answers nobody for a BIN it does not know, never a guess', () => {
    assert.equal(bankOfCard('6222030000000000000'), undefined);
    assert.equal(bankOfCard('4111111111111111'), undefined);
    assert.equal(bankOfCard('62220'), undefined, 'too short to hold a BIN');
    assert.equal(bankOfCard(''), undefined);
  });

  it('serves each bank icon under /app/banks/', () => {
    assert.equal(bankIcon('ICBC'), '/app/banks/ICBC.png');
    assert.equal(bankIcon('HKBANK'), '/app/banks/HKBANK.png');
  });
});
