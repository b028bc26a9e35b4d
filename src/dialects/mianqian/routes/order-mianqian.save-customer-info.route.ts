import type { FastifyInstance } from 'fastify';
import { CUSTOMER_INFO_FIELDS } from '../../../modules/loan-orders/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { orderForm } from '../schemas.js';
import { saveAtMianqian, typed, WORKBENCH_TAGS, workbenchResponses } from './shared.js';

/** The form's fields and labels are the module's CUSTOMER_INFO_FIELDS. */
export const SaveCustomerInfoRequest = orderForm(CUSTOMER_INFO_FIELDS);

/** POST /order_mianqian/save_customer_info: borrower, spouse (link_*) and co-borrower (link2_*). */
export function orderMianqianSaveCustomerInfoRoute(app: FastifyInstance, ctx: DialectContext): void {
  const save = saveAtMianqian(ctx, ctx.modules.loanOrders.saveCustomerInfo);
  typed(app).post(
    '/order_mianqian/save_customer_info',
    {
      schema: {
        tags: WORKBENCH_TAGS,
        summary: '保存客户信息',
        body: SaveCustomerInfoRequest,
        response: workbenchResponses(),
      },
    },
    (request) => save(request, request.body),
  );
}
