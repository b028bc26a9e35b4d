import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { STAGES, STATS_FIELDS } from '../../../modules/loan-orders/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { FormValue } from '../schemas.js';
import { backOfficeResponses, LOAN_ORDER_TAGS, shanghaiTime, typed } from './shared.js';

export const LoanOrderStatsQuery = Type.Object({
  from: FormValue(15, `${STATS_FIELDS.from}（epoch 毫秒，含；默认结束时间前90天）`),
  to: FormValue(15, `${STATS_FIELDS.to}（epoch 毫秒，不含；默认现在，含此刻）`),
});

const Count = (description: string) => Type.Integer({ minimum: 0, description });
const HoursOrNull = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });

const StageStatsView = Type.Object(
  {
    stage: Type.String({ enum: [...STAGES] }),
    label: Type.String({ description: '环节名称' }),
    open: Count('范围内的订单现在在此环节未结（含驳回）'),
    stopped: Count('在此环节终止'),
    approved: Count('已审批完成（终审通过）'),
    decisions: Count('此环节对范围内订单作出的决定数（通过、驳回、终止）'),
    passed: Count('通过'),
    returned: Count('驳回（返回客服）'),
    stops: Count('终止'),
    bohui_rate: Type.Union([Type.Number(), Type.Null()], {
      description: '驳回率 = 驳回 / 决定数，4位小数；无决定为 null',
    }),
    stays: Count('已结束的停留次数'),
    median_hours: HoursOrNull('停留时长中位数（小时，2位小数）'),
    mean_hours: HoursOrNull('停留时长平均数（小时，2位小数）'),
  },
  { additionalProperties: false },
);

const LoanOrderStatsView = Type.Object(
  {
    from: Type.Integer({ description: '开始时间（epoch 毫秒，含）' }),
    to: Type.Integer({ description: '结束时间（epoch 毫秒，不含）' }),
    from_time: Type.String({ description: '开始时间（北京时间）' }),
    to_time: Type.String({ description: '结束时间（北京时间）' }),
    total: Count('范围内创建的订单数'),
    stages: Type.Array(StageStatsView),
    cities: Type.Array(
      Type.Object(
        {
          city: Type.String(),
          total: Count('订单数'),
          open: Count('未结'),
          stopped: Count('已终止'),
          approved: Count('已审批完成'),
        },
        { additionalProperties: false },
      ),
    ),
    stage_cities: Type.Array(
      Type.Object(
        { stage: Type.String({ enum: [...STAGES] }), city: Type.String(), orders: Count('订单数') },
        { additionalProperties: false },
      ),
      { description: '各环节各城市的订单数（现在所在环节，不分状态）' },
    ),
  },
  { additionalProperties: false },
);

/**
 * GET /api/stats/loan-orders?from=&to=: the dashboard of the orders created in [from, to) —
 * where they are, each stage's 驳回 rate, how long they stayed at each stage. Any stage's role
 * or admin (counts and durations only, no one's data).
 */
export function apiStatsLoanOrdersRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/stats/loan-orders',
    {
      schema: {
        tags: LOAN_ORDER_TAGS,
        summary: "Dashboard: the range's orders per stage and city, 驳回 rate and time spent per stage",
        querystring: LoanOrderStatsQuery,
        response: backOfficeResponses(LoanOrderStatsView),
      },
    },
    async (request) => {
      const stats = await ctx.modules.loanOrders.stats(currentStaff(request), request.query, ctx.clock.now());
      return ok({
        ...stats,
        from_time: shanghaiTime(stats.from) ?? '',
        to_time: shanghaiTime(stats.to) ?? '',
      });
    },
  );
}
