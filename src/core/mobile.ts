/**
 * Mainland mobile numbers: 11 digits starting 13–19, after an optional +86 / 0086. Segment
 * lists are not used: they go stale and reject live numbers.
 */
export function normalizeMobile(input: string): string | null {
  const digits = input.trim().replace(/^(\+86|0086)/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

/** The way the marketplace shows it: the last three digits hidden. */
export function maskMobile(mobile: string): string {
  return `${mobile.slice(0, -3)}***`;
}
