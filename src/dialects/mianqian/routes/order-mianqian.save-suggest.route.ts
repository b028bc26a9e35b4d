import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { FormValue, orderForm } from '../schemas.js';
import { saveAtMianqian, WORKBENCH_TAGS, workbenchResponses } from './shared.js';

export const SaveSuggestRequest = orderForm({ mianqian_suggest: FormValue(1000) });

/** POST /order_mianqian/save_suggest: the 面签 suggestion (≤ 1000 characters). */
export function orderMianqianSaveSuggestRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.post(
    '/order_mianqian/save_suggest',
    {
      schema: {
        tags: WORKBENCH_TAGS,
        summary: '保存面签建议',
        body: SaveSuggestRequest,
        response: workbenchResponses(),
      },
    },
    saveAtMianqian(ctx, ctx.modules.loanOrders.saveSuggestion),
  );
}
