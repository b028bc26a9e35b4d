import { fenToYuanString, parseYuan } from '../../src/core/money';

/**
 * The APIs count money in integer fen; staff read 元 with two decimals and thousands grouped
 * (1234567 → "12,345.67"). The digits are the server's own (fenToYuanString), so a page never
 * shows an amount the server would round differently; no floating point is involved.
 */
export function formatFen(fen: number): string {
  const [whole = '0', cents = '00'] = fenToYuanString(fen).split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

/** `formatFen` with the unit, for amounts shown outside a column headed （元）. */
export const formatFenYuan = (fen: number): string => `${formatFen(fen)} 元`;

/**
 * What a clerk typed in 元 as fen for a request body, or undefined when it is not an amount of
 * at most two decimals above zero (the form says so on its field).
 */
export function yuanToFen(text: string): number | undefined {
  const parsed = parseYuan(text.trim());
  return parsed.ok && parsed.value > 0 ? parsed.value : undefined;
}
