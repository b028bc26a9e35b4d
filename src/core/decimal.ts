export type DecimalProblem = 'format' | 'too_many_decimals' | 'too_large';

/**
 * A decimal written in plain notation, as an integer × 10^scale, without floating point ever
 * touching the value: the digits are moved, not multiplied.
 */
export function parseDecimal(
  input: string | number,
  scale: number,
  opts: { maxDecimals?: number; allowNegative?: boolean; max?: number } = {},
): { ok: true; value: number } | { ok: false; problem: DecimalProblem } {
  if (typeof input === 'number' && !Number.isFinite(input)) return { ok: false, problem: 'format' };
  const text = typeof input === 'number' ? String(input) : input.trim();
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m || (m[1] && !opts.allowNegative)) return { ok: false, problem: 'format' };
  const fraction = m[3] ?? '';
  if (
    fraction.length > (opts.maxDecimals ?? scale) &&
    !/^0*$/.test(fraction.slice(opts.maxDecimals ?? scale))
  ) {
    return { ok: false, problem: 'too_many_decimals' };
  }
  if (fraction.length > scale && !/^0*$/.test(fraction.slice(scale)))
    return { ok: false, problem: 'too_many_decimals' };
  const digits = (m[2]! + fraction.padEnd(scale, '0').slice(0, scale)).replace(/^0+(?=\d)/, '');
  if (digits.length > 16) return { ok: false, problem: 'too_large' };
  const magnitude = Number(digits);
  if (!Number.isSafeInteger(magnitude) || (opts.max !== undefined && magnitude > opts.max)) {
    return { ok: false, problem: 'too_large' };
  }
  return { ok: true, value: m[1] && magnitude !== 0 ? -magnitude : magnitude };
}

/** The shortest decimal text of an integer × 10^-scale: (1234500, 4) → "123.45". */
export function formatDecimal(scaled: number, scale: number): string {
  const sign = scaled < 0 ? '-' : '';
  const digits = String(Math.abs(scaled)).padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return fraction ? `${sign}${whole}.${fraction}` : `${sign}${whole}`;
}
