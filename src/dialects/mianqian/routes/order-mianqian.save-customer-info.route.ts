import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { FormValue, optionalFields, orderForm } from '../schemas.js';
import { saveAtMianqian, WORKBENCH_TAGS, workbenchResponses } from './shared.js';

const PERSON = [
  'name',
  'mobile',
  'id_card',
  'domicile',
  'age',
  'sex',
  'unit',
  'is_execute',
  'unit_is_execute',
];
const CUSTOMER_FIELDS = [
  ...PERSON,
  ...PERSON.map((f) => `link_${f}`),
  ...PERSON.map((f) => `link2_${f}`),
  'emergency_mobile',
  'emergency_relationship',
  'month_income',
  'address',
  'second_address',
  'marital_tatus',
  'marry_date',
  'lihun_date',
  'emergency_contact',
  'property2_owner',
  'common_proportion',
  'gongjie_status',
];

export const SaveCustomerInfoRequest = orderForm({
  ...optionalFields(CUSTOMER_FIELDS, 200),
  mianqian_suggest: FormValue(1000),
});

/** POST /order_mianqian/save_customer_info: borrower, spouse (link_*) and co-borrower (link2_*). */
export function orderMianqianSaveCustomerInfoRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.post(
    '/order_mianqian/save_customer_info',
    {
      schema: {
        tags: WORKBENCH_TAGS,
        summary: '保存客户信息',
        body: SaveCustomerInfoRequest,
        response: workbenchResponses(),
      },
    },
    saveAtMianqian(ctx, ctx.modules.loanOrders.saveCustomerInfo),
  );
}
