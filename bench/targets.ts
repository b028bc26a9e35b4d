/** A performance target; every bound given must hold. */
export interface Target {
  /** req/s at least this fraction of the bare route's req/s in the same run. */
  minRatio?: number;
  maxP99Ms?: number;
  minRps?: number;
}

export const LIST_TARGET: Target = { minRatio: 0.05, maxP99Ms: 50 };
export const DETAIL_TARGET: Target = { minRatio: 0.1 };
export const SAVE_TARGET: Target = { minRps: 1000 };

export function describeTarget(target: Target): string {
  return [
    target.minRatio === undefined ? '' : `≥ ${target.minRatio} × bare`,
    target.maxP99Ms === undefined ? '' : `p99 ≤ ${target.maxP99Ms} ms`,
    target.minRps === undefined ? '' : `≥ ${target.minRps} req/s`,
  ]
    .filter(Boolean)
    .join(', ');
}

export function meetsTarget(target: Target, measured: { rps: number; ratio: number; p99: number }): boolean {
  return (
    (target.minRatio === undefined || measured.ratio >= target.minRatio) &&
    (target.maxP99Ms === undefined || measured.p99 <= target.maxP99Ms) &&
    (target.minRps === undefined || measured.rps >= target.minRps)
  );
}
