import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { readSonOrderId, STAGE_LABELS, STAGES } from '../../../modules/loan-orders/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { detailEnvelopeJson } from '../presenters.js';
import { Success } from '../schemas.js';
import { OrderDetailView } from '../views.js';
import { LOAN_ORDER_TAGS, SonOrderIdParams, typed, workbenchResponses } from './shared.js';

const Stage = Type.String({ enum: [...STAGES] });

const OrderPosition = Type.Object({
  stage: Type.Union([Stage], { description: '所在环节' }),
  stage_label: Type.String(),
  state: Type.String({
    enum: ['open', 'stopped', 'approved'],
    description: 'open 进行中 stopped 已终止 approved 审批通过',
  }),
  is_bohui: Type.Integer({ description: '1 驳回（退回客服待改）' }),
  bohui_stage: Type.Union([Stage, Type.Null()], { description: '退回它的环节' }),
});

const StaffOrderView = Type.Object({ position: OrderPosition, ...OrderDetailView.properties });

/**
 * GET /api/loan-orders/:son_order_id: the order page of the back office for any loan stage's
 * clerk — where the order is, then everything `order_detail` shows (which only the 面签 role
 * may read, as the spec's workbench).
 */
export function apiLoanOrdersIdRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/loan-orders/:son_order_id',
    {
      schema: {
        tags: LOAN_ORDER_TAGS,
        summary: "One order as its stage's clerk reads it: where it is and the whole detail (any stage role)",
        params: SonOrderIdParams,
        // The workbench's response type, as order_detail: the answer is JSON text built around the catalogs.
        response: workbenchResponses(Success(StaffOrderView)),
      },
    },
    async (request, reply) => {
      const sonOrderId = readSonOrderId(request.params);
      const detail = await ctx.modules.loanOrders.staffDetail(
        currentStaff(request),
        sonOrderId,
        ctx.clock.now(),
      );
      const { stage, state, is_bohui, bohui_stage } = detail.order;
      const position = {
        stage,
        stage_label: STAGE_LABELS[stage],
        state,
        is_bohui: Number(is_bohui),
        bohui_stage,
      };
      return reply.type('application/json; charset=utf-8').send(detailEnvelopeJson(detail, { position }));
    },
  );
}
