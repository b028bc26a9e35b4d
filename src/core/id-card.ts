import { formatShanghaiDate, isCalendarDate } from './time.js';

export type IdCardProblem = 'format' | 'province' | 'birth_date' | 'check_digit';

export interface ResidentId {
  number: string;
  /** YYYY-MM-DD */
  birthDate: string;
  /** GB/T 2261.1: 1 male (odd 17th digit), 2 female. */
  sex: 1 | 2;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
// Province-level codes only: county lists change and abolished counties stay on valid cards.
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71, 81, 82, 91,
]);
// 1800, not 1900: the standard's own worked example (440524188001010014) is born in 1880.
const EARLIEST_BIRTH = '1800-01-01';

// Exported so seeds and tests can build valid numbers instead of hard-coding them.
export function idCardCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

export function parseResidentId(
  input: string,
  now: number,
): { ok: true; value: ResidentId } | { ok: false; problem: IdCardProblem } {
  // Forms and OCR hand over a lowercase x as often as an uppercase one; both mean check value 10.
  const number = input.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(number)) return { ok: false, problem: 'format' };
  if (!PROVINCES.has(Number(number.slice(0, 2)))) return { ok: false, problem: 'province' };
  const birthDate = `${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}`;
  // Compared on the Beijing date: a child born today in China is valid even while it is still yesterday in UTC.
  if (!isCalendarDate(birthDate) || birthDate < EARLIEST_BIRTH || birthDate > formatShanghaiDate(now)) {
    return { ok: false, problem: 'birth_date' };
  }
  if (idCardCheckDigit(number) !== number[17]) return { ok: false, problem: 'check_digit' };
  return { ok: true, value: { number, birthDate, sex: Number(number[16]) % 2 === 1 ? 1 : 2 } };
}

// Age is reckoned on the Beijing calendar date; someone born on 29 February turns a year older on 1 March
// in common years, because 02-28 still sorts before 02-29.
export function ageOn(birthDate: string, now: number): number {
  if (!isCalendarDate(birthDate)) throw new RangeError(`not a calendar date: ${birthDate}`);
  const today = formatShanghaiDate(now);
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

// The marketplace shows ID numbers with the last four characters hidden.
export function maskIdCard(idNumber: string): string {
  return `${idNumber.slice(0, -4)}****`;
}
