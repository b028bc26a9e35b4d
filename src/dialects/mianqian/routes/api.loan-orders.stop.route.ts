import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import {
  LOAN_ORDER_TAGS,
  moveAtItsStage,
  SonOrderIdParams,
  TransitionBody,
  transitionResponses,
  typed,
} from './shared.js';

/** POST /api/loan-orders/:son_order_id/stop at the order's current stage (needs that stage's role). */
export function apiLoanOrdersStopRoute(app: FastifyInstance, ctx: DialectContext): void {
  const move = moveAtItsStage(ctx, 'stop');
  typed(app).post(
    '/api/loan-orders/:son_order_id/stop',
    {
      schema: {
        tags: LOAN_ORDER_TAGS,
        summary: "stop the order at its current stage (needs that stage's role)",
        params: SonOrderIdParams,
        body: TransitionBody,
        response: transitionResponses,
      },
    },
    (request) => move(request, request.params, request.body),
  );
}
