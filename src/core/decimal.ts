export type DecimalProblem = 'format' | 'too_many_decimals' | 'too_large';

/**
 * The digits are moved, never multiplied, so floating point never touches the value: "0.29" × 100
 * in binary is 28.999999999999996.
 */
export function parseDecimal(
  input: string | number,
  scale: number,
  opts: { maxDecimals?: number; allowNegative?: boolean; max?: number } = {},
): { ok: true; value: number } | { ok: false; problem: DecimalProblem } {
  checkScale(scale);
  if (typeof input === 'number' && !Number.isFinite(input)) return { ok: false, problem: 'format' };
  // String(n) is the shortest text that round-trips, so 150.5 reads as "150.5" and 0.1 + 0.2 keeps its noise.
  const text = typeof input === 'number' ? String(input) : input.trim();
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m || (m[1] && !opts.allowNegative)) return { ok: false, problem: 'format' };
  const fraction = m[3] ?? '';
  // Trailing zeros carry no precision ("150.500" from a BigDecimal serializer), so only significant places count.
  const allowed = Math.min(opts.maxDecimals ?? scale, scale);
  if (!/^0*$/.test(fraction.slice(allowed))) return { ok: false, problem: 'too_many_decimals' };
  const digits = (m[2]! + fraction.padEnd(scale, '0').slice(0, scale)).replace(/^0+(?=\d)/, '');
  // Past 16 digits Number() itself would round before the safety check could see it.
  if (digits.length > 16) return { ok: false, problem: 'too_large' };
  const magnitude = Number(digits);
  if (!Number.isSafeInteger(magnitude) || (opts.max !== undefined && magnitude > opts.max)) {
    return { ok: false, problem: 'too_large' };
  }
  // "-0.00" must come out as 0, not -0, which strict equality checks treat as a different value.
  return { ok: true, value: m[1] && magnitude !== 0 ? -magnitude : magnitude };
}

export function formatDecimal(scaled: number, scale: number): string {
  checkScale(scale);
  // A fractional or unsafe input would print as "1.5" or "1e+21" and come out as a wrong amount.
  if (!Number.isSafeInteger(scaled)) throw new RangeError(`not a safe integer: ${scaled}`);
  const sign = scaled < 0 ? '-' : '';
  const digits = String(Math.abs(scaled)).padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return fraction ? `${sign}${whole}.${fraction}` : `${sign}${whole}`;
}

// A bad scale is a programming error, not bad input, so it throws instead of returning a problem.
function checkScale(scale: number): void {
  if (!Number.isInteger(scale) || scale < 0 || scale > 15) throw new RangeError(`bad scale: ${scale}`);
}
