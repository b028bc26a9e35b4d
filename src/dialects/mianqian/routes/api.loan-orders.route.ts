import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../../core/domain-error.js';
import {
  DESK_LIST_FIELDS,
  isStage,
  ORDER_CREATE_FIELDS,
  STAGES,
  WORKBENCH_FIELDS,
} from '../../../modules/loan-orders/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { BACK_OFFICE_QUERY_FIELDS } from '../back-office-labels.js';
import { ok } from '../envelope.js';
import { FormValue, formFields } from '../schemas.js';
import { StageQueueRowView } from '../views.js';
import { backOfficeResponses, LOAN_ORDER_TAGS, shanghaiTime, typed } from './shared.js';

export const CreateOrderRequest = Type.Object(
  formFields(ORDER_CREATE_FIELDS, {
    order_type: 1,
    city: 10,
    appointment_time: 19,
    customer_name: 30,
    user_realname: 20,
    user_mobile: 20,
  }),
  { additionalProperties: true },
);

export const CreatedOrder = Type.Object({
  son_order_id: Type.String({ description: WORKBENCH_FIELDS.son_order_id }),
});

export const StageQueueQuery = Type.Object({
  stage: Type.String({ enum: [...STAGES], description: BACK_OFFICE_QUERY_FIELDS.stage }),
  page_num: FormValue(7, DESK_LIST_FIELDS.page_num),
});

export const StageQueueResponse = Type.Object({
  total: Type.Integer(),
  page_count: Type.Integer(),
  order_list: Type.Array(StageQueueRowView),
});

/**
 * POST /api/loan-orders: 客服 opens an order. GET /api/loan-orders: the open orders waiting at a
 * stage. What the spec assumes but does not show; same envelope as the rest of family 1.
 */
export function apiLoanOrdersRoute(app: FastifyInstance, ctx: DialectContext): void {
  const api = typed(app);
  api.post(
    '/api/loan-orders',
    {
      schema: {
        tags: LOAN_ORDER_TAGS,
        summary: '客服 opens an order',
        body: CreateOrderRequest,
        response: backOfficeResponses(CreatedOrder),
      },
    },
    async (request) =>
      ok(
        await ctx.modules.loanOrders.create(currentStaff(request), request.body, ctx.clock.now()),
        '创建成功',
      ),
  );

  api.get(
    '/api/loan-orders',
    {
      schema: {
        tags: LOAN_ORDER_TAGS,
        summary: 'The open orders waiting at a stage (the caller must hold that stage role)',
        querystring: StageQueueQuery,
        response: backOfficeResponses(StageQueueResponse),
      },
    },
    async (request) => {
      const { query } = request;
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
