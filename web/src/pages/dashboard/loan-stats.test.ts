import type { LoanOrderStats, StageStats } from '../../api/stats';
import {
  beijingDays,
  bohuiRates,
  defaultDays,
  stageCities,
  stageHours,
  stageStates,
  summary,
  undecidedStages,
} from './loan-stats';

const stage = (stage: string, label: string, figures: Partial<StageStats> = {}): StageStats => ({
  stage,
  label,
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
  ...figures,
});

const STATS: LoanOrderStats = {
  from: 0,
  to: 1,
  from_time: '',
  to_time: '',
  total: 12,
  stages: [
    stage('mianqian', '面签', {
      open: 5,
      stopped: 1,
      decisions: 4,
      passed: 3,
      returned: 1,
      bohui_rate: 0.25,
      stays: 4,
      median_hours: 2.5,
      mean_hours: 3.75,
    }),
    stage('zhongshen', '终审', { open: 2, approved: 4, decisions: 4, passed: 4, bohui_rate: 0 }),
    stage('quanzheng', '权证'),
  ],
  cities: [],
  stage_cities: [
    { stage: 'zhongshen', city: '上海市', orders: 6 },
    { stage: 'mianqian', city: '北京市', orders: 6 },
  ],
};

describe('the loan dashboard from GET /api/stats/loan-orders', () => {
  it('sums the cards over the stages; the 驳回 rate is returns over decisions, none without a decision', () => {
    expect(summary(STATS)).toEqual({ total: 12, open: 7, stopped: 1, approved: 4, bohuiRate: 1 / 8 });
    expect(summary({ ...STATS, stages: [stage('kefu', '客服', { open: 3 })] }).bohuiRate).toBeNull();
  });

  it('stacks each stage by where its orders are now', () => {
    expect(stageStates(STATS).filter((bar) => bar.stage === '终审')).toEqual([
      { stage: '终审', state: '未结', orders: 2 },
      { stage: '终审', state: '已终止', orders: 0 },
      { stage: '终审', state: '已审批', orders: 4 },
    ]);
  });

  it('names stages in Chinese, in workflow order, per city', () => {
    expect(stageCities(STATS)).toEqual([
      { stage: '面签', city: '北京市', orders: 6 },
      { stage: '终审', city: '上海市', orders: 6 },
    ]);
  });

  it('tells a stage without decisions from a 驳回 rate of 0', () => {
    expect(bohuiRates(STATS)).toEqual([
      { stage: '面签', percent: 25, text: '25.0%（1/4）' },
      { stage: '终审', percent: 0, text: '0.0%（0/4）' },
    ]);
    expect(undecidedStages(STATS)).toEqual(['权证']);
  });

  it('charts the hours of stages with a finished stay only', () => {
    expect(stageHours(STATS)).toEqual([
      { stage: '面签', measure: '中位数', hours: 2.5 },
      { stage: '面签', measure: '平均数', hours: 3.75 },
    ]);
  });

  it('maps Beijing days to the epoch range [first midnight, midnight after the last)', () => {
    expect(beijingDays('2026-11-01', '2026-11-30')).toEqual({
      from: Date.UTC(2026, 9, 31, 16),
      to: Date.UTC(2026, 10, 30, 16),
    });
    // 01:00 on 1 Dec in Beijing is still 30 Nov in UTC: the days are Beijing's.
    expect(defaultDays(Date.UTC(2026, 10, 30, 17))).toEqual(['2026-09-03', '2026-12-01']);
  });
});
