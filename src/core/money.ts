import { type DecimalProblem, formatDecimal, parseDecimal } from './decimal.js';

// Money is integer fen everywhere inside, so sums and comparisons are exact.
export const FEN_PER_YUAN = 100;
export const FEN_PER_WAN_YUAN = 1_000_000;

type MoneyResult = { ok: true; value: number } | { ok: false; problem: DecimalProblem };

// Scale 6 turns 万元 straight into fen; amounts are quoted to 0.01 万元 (100 元), so finer input is refused.
export function parseWanYuan(input: string | number): MoneyResult {
  return parseDecimal(input, 6, { maxDecimals: 2 });
}

export function parseYuan(input: string | number): MoneyResult {
  return parseDecimal(input, 2);
}

export function fenToWanYuan(fen: number): number {
  return Number(formatDecimal(fen, 6));
}

// Payment APIs want yuan with exactly two decimals, so the shortest form from formatDecimal does not fit.
export function fenToYuanString(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not a whole number of fen: ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const digits = String(Math.abs(fen)).padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}
