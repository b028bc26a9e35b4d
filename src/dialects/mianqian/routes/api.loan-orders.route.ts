import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../../core/domain-error.js';
import type { RawInput } from '../../../core/field-reader.js';
import { isStage, STAGES } from '../../../modules/loan-orders/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { FormValue } from '../schemas.js';
import { backOfficeResponses, LOAN_ORDER_TAGS, shanghaiTime } from './shared.js';

export const CreateOrderRequest = Type.Object(
  {
    order_type: FormValue(1),
    city: FormValue(10),
    appointment_time: FormValue(19),
    customer_name: FormValue(30),
    user_realname: FormValue(20),
    user_mobile: FormValue(20),
  },
  { additionalProperties: true },
);

export const StageQueueQuery = Type.Object({
  stage: Type.String({ enum: [...STAGES] }),
  page_num: FormValue(7),
});

/**
 * POST /api/loan-orders: 客服 opens an order. GET /api/loan-orders: the open orders waiting at a
 * stage. What the spec assumes but does not show; same envelope as the rest of family 1.
 */
export function apiLoanOrdersRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.post(
    '/api/loan-orders',
    {
      schema: {
        tags: LOAN_ORDER_TAGS,
        summary: '客服 opens an order',
        body: CreateOrderRequest,
        response: backOfficeResponses(Type.Object({ son_order_id: Type.String() })),
      },
    },
    async (request) =>
      ok(
        await ctx.modules.loanOrders.create(currentStaff(request), request.body as RawInput, ctx.clock.now()),
        '创建成功',
      ),
  );

  app.get(
    '/api/loan-orders',
    {
      schema: {
        tags: LOAN_ORDER_TAGS,
        summary: 'The open orders waiting at a stage (the caller must hold that stage role)',
        querystring: StageQueueQuery,
        response: backOfficeResponses(),
      },
    },
    async (request) => {
      const query = request.query as RawInput & { stage: string };
      if (!isStage(query.stage))
        throw DomainError.validation([{ field: 'stage', error: '阶段不在可选范围内' }]);
      const page = await ctx.modules.loanOrders.stageQueue(currentStaff(request), query.stage, query);
      return ok({
        total: page.total,
        page_count: page.page_count,
        order_list: page.rows.map((row) => ({
          ...row,
          appointment_time: shanghaiTime(row.appointment_time),
          created_at: shanghaiTime(row.created_at),
        })),
      });
    },
  );
}
