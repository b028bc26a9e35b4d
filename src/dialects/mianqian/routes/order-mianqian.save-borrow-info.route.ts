import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { FormValue, optionalFields, orderForm } from '../schemas.js';
import { saveAtMianqian, WORKBENCH_TAGS, workbenchResponses } from './shared.js';

const BORROW_FIELDS = [
  'user_realname',
  'loan_money',
  'loan_limit',
  'production_no',
  'yueding_lilv',
  'service_fee',
];

export const SaveBorrowInfoRequest = orderForm({
  ...optionalFields(BORROW_FIELDS, 200),
  mianqian_suggest: FormValue(1000),
});

/** POST /order_mianqian/save_borrow_info: the borrow form. */
export function orderMianqianSaveBorrowInfoRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.post(
    '/order_mianqian/save_borrow_info',
    {
      schema: {
        tags: WORKBENCH_TAGS,
        summary: '保存借款信息',
        body: SaveBorrowInfoRequest,
        response: workbenchResponses(),
      },
    },
    saveAtMianqian(ctx, ctx.modules.loanOrders.saveBorrowInfo),
  );
}
