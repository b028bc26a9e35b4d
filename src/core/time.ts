/** China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact and fast. */
const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatShanghaiDateTime(ms: number): string {
  const d = beijingClock(ms);
  return `${formatUtcDate(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export function formatShanghaiDate(ms: number): string {
  return formatUtcDate(beijingClock(ms));
}

/** yyyyMMddHHmmss in Beijing time: WeChat Pay's time_end and time_expire, and payment numbers. */
export function formatShanghaiCompact(ms: number): string {
  return new Date(ms + OFFSET_MS).toISOString().replace(/\D/g, '').slice(0, 14);
}

// A Date whose UTC fields read as Beijing wall-clock time.
function beijingClock(ms: number): Date {
  const d = new Date(ms + OFFSET_MS);
  const year = d.getUTCFullYear();
  // Outside 0000–9999 (or NaN) the text would not be YYYY-MM-DD; a loud error beats a garbled date.
  if (!(year >= 0 && year <= 9999)) throw new RangeError(`time out of range: ${ms}`);
  return d;
}

function formatUtcDate(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function isCalendarDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Arithmetic rather than Date.UTC, which maps years 0–99 onto 1900–1999.
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** `YYYY-MM-DD` plus whole months, clamped to the target month's last day (01-31 + 1 → 02-28/29). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(d, daysInMonth(year, month)))}`;
}

export function shanghaiDayRange(date: string): { start: number; end: number } | null {
  if (!isCalendarDate(date)) return null;
  const start = Date.parse(`${date}T00:00:00Z`) - OFFSET_MS;
  return { start, end: start + DAY_MS };
}

export function parseShanghaiDateTime(text: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return null;
  const day = shanghaiDayRange(m[1]!);
  if (!day) return null;
  const [h, mi, s] = [Number(m[2]), Number(m[3]), Number(m[4] ?? '0')];
  // No 24:00 and no leap second: neither has a single unambiguous instant in epoch ms.
  if (h > 23 || mi > 59 || s > 59) return null;
  return day.start + ((h * 60 + mi) * 60 + s) * 1000;
}
