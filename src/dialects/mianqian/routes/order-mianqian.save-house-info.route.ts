import type { FastifyInstance } from 'fastify';
import { HOUSE_INFO_FIELDS } from '../../../modules/loan-orders/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { orderForm } from '../schemas.js';
import { saveAtMianqian, typed, WORKBENCH_TAGS, workbenchResponses } from './shared.js';

/** The form's fields and labels are the module's HOUSE_INFO_FIELDS. */
export const SaveHouseInfoRequest = orderForm(HOUSE_INFO_FIELDS);

/** POST /order_mianqian/save_house_info: the house form. */
export function orderMianqianSaveHouseInfoRoute(app: FastifyInstance, ctx: DialectContext): void {
  const save = saveAtMianqian(ctx, ctx.modules.loanOrders.saveHouseInfo);
  typed(app).post(
    '/order_mianqian/save_house_info',
    {
      schema: {
        tags: WORKBENCH_TAGS,
        summary: '保存房产信息',
        body: SaveHouseInfoRequest,
        response: workbenchResponses(),
      },
    },
    (request) => save(request, request.body),
  );
}
