import { apiGet } from './client';

/** One stage of GET /api/stats/loan-orders (docs/backoffice-api.md, the loan dashboard). */
export interface StageStats {
  stage: string;
  /** The stage's Chinese name, as the server names it. */
  label: string;
  open: number;
  stopped: number;
  approved: number;
  decisions: number;
  passed: number;
  returned: number;
  stops: number;
  /** returned / decisions; null when the stage took no decision. */
  bohui_rate: number | null;
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
  /** Epoch ms, [from, to). */
  from: number;
  to: number;
  from_time: string;
  to_time: string;
  total: number;
  stages: StageStats[];
  cities: CityStats[];
  stage_cities: { stage: string; city: string; orders: number }[];
}

/** The orders created in [from, to) (epoch ms; the server defaults to the last 90 days, at most 366). */
export const loanOrderStats = (range: { from?: number; to?: number } = {}) =>
  apiGet<LoanOrderStats>('/api/stats/loan-orders', range);
