import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { presentDeskRow } from '../presenters.js';
import { FormValue } from '../schemas.js';
import { queryAndBody, WORKBENCH_TAGS, workbenchResponses } from './shared.js';

export const ListQuery = Type.Object(
  {
    customer_name: FormValue(30),
    customer_mobile: FormValue(20),
    user_name: FormValue(20),
    user_mobile: FormValue(20),
    city_key: FormValue(10),
    appointment_time: FormValue(10),
    mianqian_opt_time: FormValue(10),
    is_bohui: FormValue(1),
    page_num: FormValue(7),
  },
  { additionalProperties: true },
);

const ListRow = Type.Object({
  son_order_id: Type.String(),
  customer_name: Type.String(),
  customer_mobile: Type.String(),
  user_name: Type.String(),
  user_mobile: Type.String(),
  house_address: Type.String(),
  is_bohui: Type.String(),
  is_bohui_text: Type.String(),
  appointment_time: Type.String(),
  face_trial_time: Type.String(),
  mianqian_opt_time: Type.String(),
});

export const ListResponse = Type.Object({
  bohui_count: Type.Integer(),
  page_count: Type.Integer(),
  order_list: Type.Array(ListRow),
});

/** GET or POST /order_mianshen/ajax_get_list: the 面签 desk list (URL as the spec gives it). */
export function orderMianshenAjaxGetListRoute(app: FastifyInstance, ctx: DialectContext): void {
  // The spec shows this list bare, without the {code, data} envelope; failures still use it.
  const list = async (request: FastifyRequest) => {
    const page = await ctx.modules.loanOrders.desk(currentStaff(request), 'mianqian', queryAndBody(request));
    return {
      bohui_count: page.bohui_count,
      page_count: page.page_count,
      order_list: page.rows.map(presentDeskRow),
    };
  };
  const schema = {
    tags: WORKBENCH_TAGS,
    summary: 'ajax列表 (面签 desk)',
    querystring: ListQuery,
    response: workbenchResponses(ListResponse),
  };
  app.get('/order_mianshen/ajax_get_list', { schema }, list);
  app.post('/order_mianshen/ajax_get_list', { schema: { ...schema, body: ListQuery } }, list);
}
