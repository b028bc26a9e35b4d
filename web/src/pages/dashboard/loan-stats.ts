import dayjs from 'dayjs';
import type { LoanOrderStats } from '../../api/stats';
// For its dayjs plugins (utc, timezone): the range is counted in Beijing days.
import '../../time';

const BEIJING = 'Asia/Shanghai';

/**
 * The route's [from, to) for the Beijing days picked, both included: from the first day's
 * midnight to the midnight after the last, whatever the clerk's computer's time zone.
 */
export function beijingDays(first: string, last: string): { from: number; to: number } {
  return {
    from: dayjs.tz(first, BEIJING).valueOf(),
    to: dayjs.tz(last, BEIJING).add(1, 'day').valueOf(),
  };
}

/** The Beijing days the dashboard opens on: the last 90, today included (the route's default). */
export function defaultDays(now = Date.now()): [string, string] {
  const today = dayjs(now).tz(BEIJING);
  return [today.subtract(89, 'day').format('YYYY-MM-DD'), today.format('YYYY-MM-DD')];
}

/** The statistic cards: the cohort, where it is now, and the 驳回 rate over every stage's decisions. */
export function summary(stats: LoanOrderStats) {
  const sum = (pick: (s: LoanOrderStats['stages'][number]) => number) =>
    stats.stages.reduce((total, stage) => total + pick(stage), 0);
  const decisions = sum((s) => s.decisions);
  return {
    total: stats.total,
    open: sum((s) => s.open),
    stopped: sum((s) => s.stopped),
    approved: sum((s) => s.approved),
    bohuiRate: decisions === 0 ? null : sum((s) => s.returned) / decisions,
  };
}

/** Where the cohort is now, stage by stage (stacked): open, stopped there, approved. */
export function stageStates(stats: LoanOrderStats) {
  return stats.stages.flatMap((s) => [
    { stage: s.label, state: '未结', orders: s.open },
    { stage: s.label, state: '已终止', orders: s.stopped },
    { stage: s.label, state: '已审批', orders: s.approved },
  ]);
}

/** Orders per current stage and city (grouped), stages by their Chinese names in workflow order. */
export function stageCities(stats: LoanOrderStats) {
  const labels = new Map(stats.stages.map((s) => [s.stage, s.label]));
  const order = new Map(stats.stages.map((s, i) => [s.stage, i]));
  return [...stats.stage_cities]
    .sort((a, b) => (order.get(a.stage) ?? 0) - (order.get(b.stage) ?? 0))
    .map((row) => ({ stage: labels.get(row.stage) ?? row.stage, city: row.city, orders: row.orders }));
}

/**
 * The 驳回 rate of each stage that took a decision, as a percentage with the counts it comes
 * from. A stage without a decision has no rate (not a rate of 0): it is left out of the chart
 * and named beside it (undecidedStages).
 */
export function bohuiRates(stats: LoanOrderStats) {
  return stats.stages.flatMap((s) =>
    s.bohui_rate === null
      ? []
      : [
          {
            stage: s.label,
            percent: Math.round(s.bohui_rate * 10_000) / 100,
            text: `${(s.bohui_rate * 100).toFixed(1)}%（${s.returned}/${s.decisions}）`,
          },
        ],
  );
}

export const undecidedStages = (stats: LoanOrderStats): string[] =>
  stats.stages.filter((s) => s.bohui_rate === null).map((s) => s.label);

/** Hours spent at each stage (median and mean, grouped); stages without a finished stay are left out. */
export function stageHours(stats: LoanOrderStats) {
  return stats.stages.flatMap((s) =>
    s.median_hours === null || s.mean_hours === null
      ? []
      : [
          { stage: s.label, measure: '中位数', hours: s.median_hours },
          { stage: s.label, measure: '平均数', hours: s.mean_hours },
        ],
  );
}
