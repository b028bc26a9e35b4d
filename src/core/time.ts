/** China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact and fast. */
const OFFSET_MS = 8 * 3_600_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatShanghaiDateTime(ms: number): string {
  const d = new Date(ms + OFFSET_MS);
  return `${formatUtcDate(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export function formatShanghaiDate(ms: number): string {
  return formatUtcDate(new Date(ms + OFFSET_MS));
}

function formatUtcDate(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function isCalendarDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
}

/** The Beijing day `YYYY-MM-DD` as [start, end) in epoch ms. */
export function shanghaiDayRange(date: string): { start: number; end: number } | null {
  if (!isCalendarDate(date)) return null;
  const start = Date.parse(`${date}T00:00:00Z`) - OFFSET_MS;
  return { start, end: start + 86_400_000 };
}

/** `YYYY-MM-DD HH:mm[:ss]` read as Beijing time. */
export function parseShanghaiDateTime(text: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m || !isCalendarDate(m[1]!)) return null;
  const [h, mi, s] = [Number(m[2]), Number(m[3]), Number(m[4] ?? '0')];
  if (h > 23 || mi > 59 || s > 59) return null;
  return Date.parse(`${m[1]}T00:00:00Z`) - OFFSET_MS + ((h * 60 + mi) * 60 + s) * 1000;
}
