import { DomainError } from '../../core/domain-error.js';
import { FieldReader, type RawInput } from '../../core/field-reader.js';
import { CITIES } from './loan-order-catalog.js';
import type { Actor, LoanOrderDeps } from './loan-order-deps.js';
import { STAGE_LABELS, STAGES, type Stage } from './loan-order-state.js';
import { countDecisions, countOrders, type StatsRange, stageStays } from './loan-order-stats.repository.js';

const DAY_MS = 86_400_000;
/** Without `from`, the dashboard looks at the orders of the last 90 days. */
export const STATS_DEFAULT_DAYS = 90;
/**
 * The widest range one request may ask for: the statements read the range's orders and their
 * audit rows, so the range bounds the work (a year of a 1M-order book is about 500k orders).
 */
export const STATS_MAX_DAYS = 366;

export const STATS_FIELDS = { from: '开始时间', to: '结束时间' } as const;

export interface StageStats {
  stage: Stage;
  label: string;
  /** The range's orders now open at this stage (驳回 ones included), stopped here, approved. */
  open: number;
  stopped: number;
  approved: number;
  /** Decisions taken at this stage on the range's orders, and how many of them were each kind. */
  decisions: number;
  passed: number;
  returned: number;
  stops: number;
  /** returned / decisions, 4 decimals; null when no decision was taken. */
  bohui_rate: number | null;
  /** Finished stays at this stage, and their median and mean in hours (2 decimals); null when none. */
  stays: number;
  median_hours: number | null;
  mean_hours: number | null;
}

export interface CityStats {
  city: string;
  total: number;
  open: number;
  stopped: number;
  approved: number;
}

export interface LoanOrderStats {
  from: number;
  to: number;
  total: number;
  stages: StageStats[];
  cities: CityStats[];
  stage_cities: Array<{ stage: Stage; city: string; orders: number }>;
}

/** Looking at the loan book is for whoever works on it: any stage's role, or admin. */
function requireLoanStaff(actor: Actor): void {
  if (!actor.roles.some((role) => role === 'admin' || (STAGES as readonly string[]).includes(role))) {
    throw new DomainError('forbidden', '需要业务环节或管理员权限');
  }
}

function readRange(input: RawInput, now: number): StatsRange {
  const r = new FieldReader(input, STATS_FIELDS);
  // Without `to`, up to and including this millisecond: an order opened just now is counted.
  const to = r.int('to', { min: 1 }) ?? now + 1;
  const from = r.int('from', { min: 0 }) ?? to - STATS_DEFAULT_DAYS * DAY_MS;
  if (!r.failed('from') && !r.failed('to')) {
    if (from >= to) r.fail('from', '开始时间必须早于结束时间');
    else if (to - from > STATS_MAX_DAYS * DAY_MS) r.fail('from', `时间范围不能超过${STATS_MAX_DAYS}天`);
  }
  r.done();
  return { from, to };
}

const hours = (ms: number) => Math.round(ms / 36_000) / 100;

/** Where a move was taken from: the stage of an open position (`mianqian`, `kefu (bohui:…)`). */
const stageOfPosition = (position: string | null) => STAGES.find((s) => position?.split(' ')[0] === s);

/** The dashboard of the loan book: where the range's orders are, how often each stage returns them, how long they wait. */
export async function loanOrderStats(
  deps: LoanOrderDeps,
  actor: Actor,
  input: RawInput,
  now: number,
): Promise<LoanOrderStats> {
  requireLoanStaff(actor);
  const range = readRange(input, now);
  const [counts, decisions, stays] = await Promise.all([
    countOrders(deps.db, range),
    countDecisions(deps.db, range),
    stageStays(deps.db, range),
  ]);
  const stages = new Map<Stage, StageStats>(
    STAGES.map((stage) => [
      stage,
      {
        stage,
        label: STAGE_LABELS[stage],
        open: 0,
        stopped: 0,
        approved: 0,
        decisions: 0,
        passed: 0,
        returned: 0,
        stops: 0,
        bohui_rate: null,
        stays: 0,
        median_hours: null,
        mean_hours: null,
      },
    ]),
  );
  const emptyCity = (city: string): CityStats => ({ city, total: 0, open: 0, stopped: 0, approved: 0 });
  const cities = new Map(CITIES.map((city) => [city as string, emptyCity(city)]));
  const stageCities = new Map<string, { stage: Stage; city: string; orders: number }>();
  for (const { stage, state, city, n } of counts) {
    const kind = state === 'open' ? 'open' : state === 'stopped' ? 'stopped' : 'approved';
    stages.get(stage)![kind] += n;
    const byCity = cities.get(city) ?? emptyCity(city);
    byCity[kind] += n;
    byCity.total += n;
    cities.set(city, byCity);
    const key = `${stage}\u0000${city}`;
    const cell = stageCities.get(key) ?? { stage, city, orders: 0 };
    cell.orders += n;
    stageCities.set(key, cell);
  }
  for (const { action, from_state, n } of decisions) {
    const stage = stageOfPosition(from_state);
    if (!stage) continue;
    const row = stages.get(stage)!;
    row.decisions += n;
    if (action === 'pass') row.passed += n;
    else if (action === 'return_kefu') row.returned += n;
    else row.stops += n;
  }
  for (const row of stages.values()) {
    if (row.decisions > 0) row.bohui_rate = Math.round((row.returned / row.decisions) * 10_000) / 10_000;
  }
  for (const stay of stays) {
    const row = stages.get(stay.stage)!;
    row.stays = stay.stays;
    row.median_hours = hours(stay.medianMs);
    row.mean_hours = hours(stay.totalMs / stay.stays);
  }
  return {
    from: range.from,
    to: range.to,
    total: counts.reduce((sum, row) => sum + row.n, 0),
    stages: [...stages.values()],
    cities: [...cities.values()],
    stage_cities: [...stageCities.values()].sort(
      (a, b) => STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage) || (a.city < b.city ? -1 : 1),
    ),
  };
}
