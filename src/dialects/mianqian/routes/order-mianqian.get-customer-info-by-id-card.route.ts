import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { presentCustomer } from '../presenters.js';
import { FormValue, Success } from '../schemas.js';
import { queryAndBody, WORKBENCH_TAGS, workbenchResponses } from './shared.js';

export const CustomerByIdCardRequest = Type.Object({ id_card: FormValue(32) });

/** GET or POST /order_mianqian/get_customer_info_by_id_card: the borrower from their newest order. */
export function orderMianqianGetCustomerInfoByIdCardRoute(app: FastifyInstance, ctx: DialectContext): void {
  const schema = {
    tags: WORKBENCH_TAGS,
    summary: '根据身份证获取客户信息',
    querystring: CustomerByIdCardRequest,
    response: workbenchResponses(Success(Type.Object({}, { additionalProperties: true }))),
  };
  const handler = async (request: FastifyRequest) => {
    const view = await ctx.modules.loanOrders.customerByIdCard(
      currentStaff(request),
      queryAndBody(request),
      ctx.clock.now(),
    );
    return ok(presentCustomer(view));
  };
  app.get('/order_mianqian/get_customer_info_by_id_card', { schema }, handler);
  app.post(
    '/order_mianqian/get_customer_info_by_id_card',
    { schema: { ...schema, body: Type.Object({ id_card: FormValue(32) }) } },
    handler,
  );
}
