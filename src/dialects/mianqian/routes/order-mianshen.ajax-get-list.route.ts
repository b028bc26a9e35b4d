import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RawInput } from '../../../core/field-reader.js';
import { DESK_LIST_FIELDS } from '../../../modules/loan-orders/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { presentDeskRow } from '../presenters.js';
import { formFields } from '../schemas.js';
import { queryAndBody, typed, WORKBENCH_TAGS, workbenchResponses } from './shared.js';

export const ListQuery = Type.Object(
  formFields(DESK_LIST_FIELDS, {
    customer_name: 30,
    customer_mobile: 20,
    user_name: 20,
    user_mobile: 20,
    city_key: 10,
    appointment_time: 10,
    mianqian_opt_time: 10,
    is_bohui: 1,
    page_num: 7,
  }),
  { additionalProperties: true },
);

export const ListRow = Type.Object({
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
  const list = async (request: FastifyRequest, input: RawInput) => {
    const page = await ctx.modules.loanOrders.desk(currentStaff(request), 'mianqian', input);
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
  const api = typed(app);
  api.get('/order_mianshen/ajax_get_list', { schema }, (request) =>
    list(request, queryAndBody(request.query, undefined)),
  );
  api.post('/order_mianshen/ajax_get_list', { schema: { ...schema, body: ListQuery } }, (request) =>
    list(request, queryAndBody(request.query, request.body)),
  );
}
