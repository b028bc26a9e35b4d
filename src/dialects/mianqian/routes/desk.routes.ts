import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RawInput } from '../../../core/field-reader.js';
import { CITIES, deskSummary, listDesk } from '../../../modules/loan-orders/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { presentDeskRow } from '../presenters.js';
import { Failure, FormValue, Success } from '../schemas.js';

const TAGS = ['面签 workbench (family 1)'];

const ListQuery = Type.Object(
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

const ListResponse = Type.Object({
  bohui_count: Type.Integer(),
  page_count: Type.Integer(),
  order_list: Type.Array(ListRow),
});

export function deskRoutes(app: FastifyInstance, ctx: DialectContext): void {
  const deps = { db: ctx.db, pii: ctx.pii };

  app.get(
    '/order_mianqian/index',
    {
      schema: {
        tags: TAGS,
        summary: '面签入口页',
        response: {
          200: Type.Union([
            Success(
              Type.Object({
                bohui_count: Type.Integer(),
                city_list: Type.Record(Type.String(), Type.String()),
              }),
            ),
            Failure,
          ]),
        },
      },
    },
    async (request) => {
      const summary = await deskSummary(deps, currentStaff(request), 'mianqian');
      return ok({
        bohui_count: summary.bohui_count,
        city_list: Object.fromEntries(CITIES.map((c) => [c, c])),
      });
    },
  );

  // The spec shows this list bare, without the {code, data} envelope; failures still use it.
  const list = async (request: FastifyRequest) => {
    const input = { ...(request.query as RawInput), ...((request.body as RawInput | undefined) ?? {}) };
    const page = await listDesk(deps, currentStaff(request), 'mianqian', input);
    return {
      bohui_count: page.bohui_count,
      page_count: page.page_count,
      order_list: page.rows.map(presentDeskRow),
    };
  };
  const schema = {
    tags: TAGS,
    summary: 'ajax列表 (面签 desk)',
    querystring: ListQuery,
    response: { 200: Type.Union([ListResponse, Failure]) },
  };
  app.get('/order_mianshen/ajax_get_list', { schema }, list);
  app.post('/order_mianshen/ajax_get_list', { schema: { ...schema, body: ListQuery } }, list);
}
