import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { orderForm } from '../schemas.js';
import { saveAtMianqian, typed, WORKBENCH_TAGS, workbenchResponses } from './shared.js';

export const SaveSuggestRequest = orderForm({});

/** POST /order_mianqian/save_suggest: the 面签 suggestion (≤ 1000 characters). */
export function orderMianqianSaveSuggestRoute(app: FastifyInstance, ctx: DialectContext): void {
  const save = saveAtMianqian(ctx, ctx.modules.loanOrders.saveSuggestion);
  typed(app).post(
    '/order_mianqian/save_suggest',
    {
      schema: {
        tags: WORKBENCH_TAGS,
        summary: '保存面签建议',
        body: SaveSuggestRequest,
        response: workbenchResponses(),
      },
    },
    (request) => save(request, request.body),
  );
}
