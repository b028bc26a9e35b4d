/**
 * Mainland licence plates as GA 36 writes them, normalised (case, spaces, the separator dot)
 * and classified; anything else is refused. What is accepted:
 *
 * | kind          | shape                                                    | example    |
 * |---------------|----------------------------------------------------------|------------|
 * | ordinary      | province, issuing letter, 5 of [A-HJ-NP-Z0-9]            | 京A12345   |
 * | suffixed      | province, letter, 4 of them, then 挂 学 警 港 澳          | 粤Z1234港  |
 * | consulate     | province, letter, 4 of them, then 领                      | 沪A1234领  |
 * | embassy       | 使 then 6 digits, or 6 digits then 使                      | 使014578   |
 * | new energy    | small: province, letter, D/F (or A–K), a letter or digit, 4 digits | 京AD12345 |
 * |               | large: province, letter, 5 digits, then D or F           | 京A12345D  |
 *
 * The issuing letter and the serial never use I or O (they read as 1 and 0).
 */

export const PLATE_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';

export type PlateKind =
  | 'ordinary'
  | 'suffixed'
  | 'consulate'
  | 'embassy'
  | 'new_energy_small'
  | 'new_energy_large';

const P = `[${PLATE_PROVINCES}]`;
const LETTER = '[A-HJ-NP-Z]';
const SERIAL = '[A-HJ-NP-Z0-9]';

const ORDINARY = new RegExp(`^${P}${LETTER}${SERIAL}{5}$`, 'u');

const SHAPES: ReadonlyArray<[PlateKind, RegExp]> = [
  ['ordinary', ORDINARY],
  ['suffixed', new RegExp(`^${P}${LETTER}${SERIAL}{4}[挂学警港澳]$`, 'u')],
  ['consulate', new RegExp(`^${P}${LETTER}${SERIAL}{4}领$`, 'u')],
  ['embassy', /^(?:使\d{6}|\d{6}使)$/u],
  ['new_energy_small', new RegExp(`^${P}${LETTER}[A-HJK]${SERIAL}\\d{4}$`, 'u')],
  ['new_energy_large', new RegExp(`^${P}${LETTER}\\d{5}[DF]$`, 'u')],
];

/** The plate as stored and compared: no whitespace or separator dot, Latin letters upper case. */
export function normalizePlateText(input: string): string {
  return input
    .replace(/[\s·•.\-\u3000]/gu, '')
    .replace(/[ａ-ｚＡ-Ｚ０-９]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .toUpperCase();
}

/** The normalised plate and its kind, or undefined when it is no GA 36 plate. */
export function parsePlate(input: string): { plate: string; kind: PlateKind } | undefined {
  // Most plates arrive as they are stored, and an ordinary plate's shape admits nothing that
  // normalising would change (no space, dot, small or full-width letter): one test, no rewriting.
  if (ORDINARY.test(input)) return { plate: input, kind: 'ordinary' };
  const plate = normalizePlateText(input);
  for (const [kind, shape] of SHAPES) if (shape.test(plate)) return { plate, kind };
  return undefined;
}

/** The normalised plate, or null when `input` is no GA 36 plate. */
export function normalizePlate(input: string): string | null {
  return parsePlate(input)?.plate ?? null;
}
