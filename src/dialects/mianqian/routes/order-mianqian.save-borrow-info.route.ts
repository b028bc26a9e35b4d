import type { FastifyInstance } from 'fastify';
import { BORROW_INFO_FIELDS } from '../../../modules/loan-orders/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { orderForm } from '../schemas.js';
import { saveAtMianqian, typed, WORKBENCH_TAGS, workbenchResponses } from './shared.js';

/** The form's fields and labels are the module's BORROW_INFO_FIELDS. */
export const SaveBorrowInfoRequest = orderForm(BORROW_INFO_FIELDS);

/** POST /order_mianqian/save_borrow_info: the borrow form. */
export function orderMianqianSaveBorrowInfoRoute(app: FastifyInstance, ctx: DialectContext): void {
  const save = saveAtMianqian(ctx, ctx.modules.loanOrders.saveBorrowInfo);
  typed(app).post(
    '/order_mianqian/save_borrow_info',
    {
      schema: {
        tags: WORKBENCH_TAGS,
        summary: '保存借款信息',
        body: SaveBorrowInfoRequest,
        response: workbenchResponses(),
      },
    },
    (request) => save(request, request.body),
  );
}
