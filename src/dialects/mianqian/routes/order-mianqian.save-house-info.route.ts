import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { FormValue, optionalFields, orderForm } from '../schemas.js';
import { saveAtMianqian, WORKBENCH_TAGS, workbenchResponses } from './shared.js';

const HOUSE_FIELDS = [
  'house_cert_no',
  'house_province',
  'house_city',
  'house_address',
  'house_type',
  'guihuayongtu',
  'house_size',
  'built_in',
  'mortgage_type',
  'before_one_arrived',
  'before_two_arrived',
  'pg_money_shilian',
  'pg_money_renda',
];

export const SaveHouseInfoRequest = orderForm({
  ...optionalFields(HOUSE_FIELDS, 200),
  mianqian_suggest: FormValue(1000),
});

/** POST /order_mianqian/save_house_info: the house form. */
export function orderMianqianSaveHouseInfoRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.post(
    '/order_mianqian/save_house_info',
    {
      schema: {
        tags: WORKBENCH_TAGS,
        summary: '保存房产信息',
        body: SaveHouseInfoRequest,
        response: workbenchResponses(),
      },
    },
    saveAtMianqian(ctx, ctx.modules.loanOrders.saveHouseInfo),
  );
}
