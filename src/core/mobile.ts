// Segment lists (133, 199, …) are not checked: they go stale and would reject live numbers.
const MOBILE = /^1[3-9]\d{9}$/;

export function normalizeMobile(input: string): string | null {
  // People write the country code as "+86 138…" as often as "+86138…", so a gap after it is allowed.
  const digits = input.trim().replace(/^(?:\+86|0086)\s*/, '');
  return MOBILE.test(digits) ? digits : null;
}

// The marketplace shows mobiles with the last three digits hidden.
export function maskMobile(mobile: string): string {
  return `${mobile.slice(0, -3)}***`;
}
