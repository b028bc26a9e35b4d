import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RawInput } from '../../../core/field-reader.js';
import {
  findCustomerByIdCard,
  getOrderDetail,
  moveOrder,
  readSonOrderId,
  saveBorrowInfo,
  saveCustomerInfo,
  saveHouseInfo,
  saveSuggestion,
  type Transition,
} from '../../../modules/loan-orders/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { detailEnvelopeJson, presentCustomer } from '../presenters.js';
import { Failure, FormValue, optionalFields, orderForm, SonOrderIdBody, Success } from '../schemas.js';

const TAGS = ['面签 workbench (family 1)'];
const Saved = Success(Type.Null());
const responses = (data: TSchema = Saved) => ({ 200: Type.Union([data, Failure]) });

const BORROW_FIELDS = [
  'user_realname',
  'loan_money',
  'loan_limit',
  'production_no',
  'yueding_lilv',
  'service_fee',
];
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

const TRANSITIONS: Array<[string, Transition, string]> = [
  ['order_pass', 'pass', '面签通过'],
  ['order_stop', 'stop', '订单终止'],
  ['order_return_kefu', 'return_kefu', '返回客服'],
];

export function workbenchRoutes(app: FastifyInstance, ctx: DialectContext): void {
  const deps = { db: ctx.db, pii: ctx.pii };

  app.get(
    '/order_mianqian/order_detail',
    {
      schema: {
        tags: TAGS,
        summary: '编辑信息展示页',
        querystring: Type.Object({ son_order_id: Type.String({ maxLength: 20 }) }),
        response: responses(Success(Type.Object({}, { additionalProperties: true }))),
      },
    },
    async (request, reply) => {
      const sonOrderId = readSonOrderId(request.query as RawInput);
      const detail = await getOrderDetail(deps, currentStaff(request), sonOrderId, ctx.clock.now());
      return reply.type('application/json; charset=utf-8').send(detailEnvelopeJson(detail));
    },
  );

  const saves: Array<[string, string, string[], typeof saveBorrowInfo]> = [
    ['save_borrow_info', '保存借款信息', BORROW_FIELDS, saveBorrowInfo],
    ['save_house_info', '保存房产信息', HOUSE_FIELDS, saveHouseInfo],
    ['save_customer_info', '保存客户信息', CUSTOMER_FIELDS, saveCustomerInfo],
    ['save_suggest', '保存面签建议', [], saveSuggestion],
  ];
  for (const [name, summary, fields, save] of saves) {
    app.post(
      `/order_mianqian/${name}`,
      {
        schema: {
          tags: TAGS,
          summary,
          body: orderForm({ ...optionalFields(fields, 200), mianqian_suggest: FormValue(1000) }),
          response: responses(),
        },
      },
      async (request) => {
        const body = request.body as RawInput;
        await save(deps, currentStaff(request), readSonOrderId(body), body, ctx.clock.now());
        return ok(null, '保存成功');
      },
    );
  }

  for (const [name, transition, done] of TRANSITIONS) {
    app.post(
      `/order_mianqian/${name}`,
      { schema: { tags: TAGS, summary: done, body: SonOrderIdBody, response: responses() } },
      async (request) => {
        const body = request.body as RawInput;
        const reason = typeof body.mianqian_suggest === 'string' ? body.mianqian_suggest : undefined;
        await moveOrder(
          deps,
          currentStaff(request),
          {
            sonOrderId: readSonOrderId(body),
            stage: 'mianqian',
            transition,
            reason,
            badRecord: body.bad_record === 1 || body.bad_record === '1',
          },
          ctx.clock.now(),
        );
        return ok(null, `${done}成功`);
      },
    );
  }

  const lookup = {
    schema: {
      tags: TAGS,
      summary: '根据身份证获取客户信息',
      querystring: Type.Object({ id_card: FormValue(32) }),
      response: responses(Success(Type.Object({}, { additionalProperties: true }))),
    },
  };
  const lookupHandler = async (request: FastifyRequest) => {
    const input = { ...(request.query as RawInput), ...((request.body as RawInput | undefined) ?? {}) };
    const view = await findCustomerByIdCard(deps, currentStaff(request), input, ctx.clock.now());
    return ok(presentCustomer(view));
  };
  app.get('/order_mianqian/get_customer_info_by_id_card', lookup, lookupHandler);
  app.post(
    '/order_mianqian/get_customer_info_by_id_card',
    { schema: { ...lookup.schema, body: Type.Object({ id_card: FormValue(32) }) } },
    lookupHandler,
  );
}
