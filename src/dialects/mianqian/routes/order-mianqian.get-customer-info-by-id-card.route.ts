import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RawInput } from '../../../core/field-reader.js';
import { CUSTOMER_INFO_FIELDS } from '../../../modules/loan-orders/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { presentCustomer } from '../presenters.js';
import { FormValue, Success } from '../schemas.js';
import { CustomerInfoView } from '../views.js';
import { queryAndBody, typed, WORKBENCH_TAGS, workbenchResponses } from './shared.js';

export const CustomerByIdCardRequest = Type.Object({ id_card: FormValue(32, CUSTOMER_INFO_FIELDS.id_card) });

/** GET or POST /order_mianqian/get_customer_info_by_id_card: the borrower from their newest order. */
export function orderMianqianGetCustomerInfoByIdCardRoute(app: FastifyInstance, ctx: DialectContext): void {
  const api = typed(app);
  const schema = {
    tags: WORKBENCH_TAGS,
    summary: '根据身份证获取客户信息',
    querystring: CustomerByIdCardRequest,
    response: workbenchResponses(Success(CustomerInfoView)),
  };
  const answer = async (request: FastifyRequest, input: RawInput) =>
    ok(
      presentCustomer(
        await ctx.modules.loanOrders.customerByIdCard(currentStaff(request), input, ctx.clock.now()),
      ),
    );
  api.get('/order_mianqian/get_customer_info_by_id_card', { schema }, (request) =>
    answer(request, queryAndBody(request.query, undefined)),
  );
  api.post(
    '/order_mianqian/get_customer_info_by_id_card',
    { schema: { ...schema, body: CustomerByIdCardRequest } },
    (request) => answer(request, queryAndBody(request.query, request.body)),
  );
}
