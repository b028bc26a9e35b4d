import { formatDecimal, parseDecimal } from './decimal.js';

/** Money is an integer number of fen everywhere inside. */
export const FEN_PER_YUAN = 100;
export const FEN_PER_WAN_YUAN = 1_000_000;

/** 万元 with at most 2 decimals → fen. */
export function parseWanYuan(input: string | number) {
  return parseDecimal(input, 6, { maxDecimals: 2 });
}

/** 元 with at most 2 decimals → fen. */
export function parseYuan(input: string | number) {
  return parseDecimal(input, 2);
}

export function fenToWanYuan(fen: number): number {
  return Number(formatDecimal(fen, 6));
}

/** Always two decimals, as payment APIs write yuan: 1 → "0.01". */
export function fenToYuanString(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const digits = String(Math.abs(fen)).padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}
