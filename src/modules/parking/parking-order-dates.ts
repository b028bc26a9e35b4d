/**
 * A permit's term on the Asia/Shanghai calendar (UTC+8 all year, no daylight saving): hours,
 * days and weeks are fixed lengths; a month or a year lands on the same day of the month and the
 * same time of day, or on the month's last day when it has no such day (31 Jan + 1 month = 29 Feb
 * in a leap year).
 */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The spec's unitType: 1 小时, 2 天, 3 周, 4 月, 5 年. */
export const PARKING_UNIT_TYPES = ['1', '2', '3', '4', '5'] as const;
export type ParkingUnitType = (typeof PARKING_UNIT_TYPES)[number];

/** Each unitType's Chinese name, as the back office shows and exports it. */
export const PARKING_UNIT_LABELS: Readonly<Record<ParkingUnitType, string>> = {
  '1': '小时',
  '2': '天',
  '3': '周',
  '4': '月',
  '5': '年',
};

export function isParkingUnitType(value: string): value is ParkingUnitType {
  return (PARKING_UNIT_TYPES as readonly string[]).includes(value);
}

/** `start` plus `count` units of `unitType`. */
export function addParkingUnits(start: number, unitType: ParkingUnitType, count: number): number {
  switch (unitType) {
    case '1':
      return start + count * HOUR;
    case '2':
      return start + count * DAY;
    case '3':
      return start + count * 7 * DAY;
    case '4':
      return addShanghaiMonths(start, count);
    case '5':
      return addShanghaiMonths(start, count * 12);
  }
}

function addShanghaiMonths(start: number, months: number): number {
  const local = new Date(start + SHANGHAI_OFFSET_MS);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(local.getUTCDate(), lastDay);
  const target = Date.UTC(
    year,
    month,
    day,
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
    local.getUTCMilliseconds(),
  );
  return target - SHANGHAI_OFFSET_MS;
}

/**
 * The term an order buys: a renewal runs on from the card's end if that is still ahead, else
 * from `now`; a first purchase starts `now`.
 */
export function termOf(
  input: { cardEnd: number | null; renewal: boolean; unitType: ParkingUnitType; units: number },
  now: number,
): { start: number; end: number } {
  const start = input.renewal && input.cardEnd !== null && input.cardEnd > now ? input.cardEnd : now;
  return { start, end: addParkingUnits(start, input.unitType, input.units) };
}
