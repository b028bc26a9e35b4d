import { type TSchema, Type } from '@sinclair/typebox';
import {
  BORROW_INFO_FIELDS,
  CUSTOMER_INFO_FIELDS,
  DESK_LIST_FIELDS,
  HOUSE_INFO_FIELDS,
  ORDER_CREATE_FIELDS,
  STAGES,
  WORKBENCH_FIELDS,
} from '../../modules/loan-orders/index.js';
import { labelledProperties } from '../shared/labelled-fields.js';

/**
 * The `data` family 1 answers with, route by route, for the OpenAPI document: what the
 * presenters and handlers build. test/contract/response-schemas.test.ts holds every recorded
 * answer against these schemas.
 */

const Nullable = <T extends TSchema>(schema: T, description?: string) =>
  Type.Union([schema, Type.Null()], description === undefined ? {} : { description });
/** A time as Asia/Shanghai `YYYY-MM-DD HH:mm:ss`. */
const DateTime = Type.String({ description: 'Asia/Shanghai, YYYY-MM-DD HH:mm:ss' });
/** A PHP array as PHP's json_encode writes it: a list when its keys are 0…n-1, else an object. */
const PhpArray = Type.Union([Type.Array(Type.String()), Type.Record(Type.String(), Type.String())]);

/** A staff account as login and /api/auth/me show it. */
export const StaffView = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  display_name: Type.String(),
  roles: Type.Array(Type.String()),
});

/** A staff account as /api/staff lists and creates it (the module's own field names). */
export const StaffAccount = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.String()),
});

/** An account as /api/staff lists it and PATCH /api/staff/:id answers it: with whether it is disabled. */
export const ManagedStaffAccount = Type.Composite([
  StaffAccount,
  Type.Object({ disabled: Type.Boolean({ description: '已停用（不能登录）' }) }),
]);

/** Where an order stands after a back-office move. */
export const TransitionResultView = Type.Object({
  son_order_id: Type.String({ description: WORKBENCH_FIELDS.son_order_id }),
  stage: Type.String({ enum: [...STAGES] }),
  state: Type.String({ description: 'open | stopped | approved' }),
  is_bohui: Type.Integer(),
});

/** One line of an order's audit trail. */
export const AuditEntryView = Type.Object({
  id: Type.Integer(),
  actor: Type.String({ description: 'staff:<id>, system, partner:<ua> …' }),
  entity: Type.String(),
  entity_id: Type.String(),
  action: Type.String(),
  from_state: Nullable(Type.String()),
  to_state: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  created_at: DateTime,
});

/** One order of a stage's queue. */
export const StageQueueRowView = Type.Object({
  son_order_id: Type.String({ description: WORKBENCH_FIELDS.son_order_id }),
  customer_name: Nullable(Type.String(), ORDER_CREATE_FIELDS.customer_name),
  city: Type.String({ description: ORDER_CREATE_FIELDS.city }),
  is_bohui: Type.Integer({ description: DESK_LIST_FIELDS.is_bohui }),
  bohui_stage: Nullable(Type.String({ enum: [...STAGES] })),
  appointment_time: Nullable(DateTime, ORDER_CREATE_FIELDS.appointment_time),
  created_at: DateTime,
});

/** Integer-coded fields of the customer form (flags, age, sex, catalog codes). */
const CUSTOMER_CODES = new Set([
  'age',
  'sex',
  'is_execute',
  'unit_is_execute',
  'marital_tatus',
  'gongjie_status',
]);

/**
 * The borrower, spouse (link_*) and co-borrower (link2_*) as get_customer_info_by_id_card and
 * order_detail show them: every field of the customer form, null when not given.
 */
export const CustomerInfoView = Type.Object(
  labelledProperties(CUSTOMER_INFO_FIELDS, (label, field) => {
    const base = field.replace(/^link2?_/, '');
    if (CUSTOMER_CODES.has(base)) return Nullable(Type.Integer(), label);
    if (field === 'month_income') return Nullable(Type.Number(), label);
    return Nullable(Type.String(), label);
  }),
);

const borrow = BORROW_INFO_FIELDS;
const house = HOUSE_INFO_FIELDS;

/** order_detail's `data`: the catalogs first, then the order as the spec's detail page shows it. */
export const OrderDetailView = Type.Object({
  production_list: Type.Array(
    Type.Object({ id: Type.Integer(), name: Type.String(), type: Type.Integer() }),
    { description: '产品列表' },
  ),
  order_type_list: Type.Union(PhpArray.anyOf, { description: '订单性质' }),
  house_type_list: Type.Record(Type.String(), PhpArray, { description: '房产性质, by city code' }),
  guihuayongtu_list: Type.Record(Type.String(), PhpArray, { description: '规划用途, by city code' }),
  mortgage_type_list: Type.Union(PhpArray.anyOf, { description: '抵押类型' }),
  marital_tatus_list: Type.Union(PhpArray.anyOf, { description: '婚姻状况' }),
  loan_limit_list: Type.Array(Type.Integer(), { description: '借款期限' }),
  city_data: Type.Record(Type.String(), Type.Array(Type.String()), { description: '城市 → 区域' }),
  user_info: Type.Object(
    {
      u_id: Nullable(Type.Integer()),
      realname: Nullable(Type.String(), borrow.user_realname),
      u_mobile: Nullable(Type.String(), ORDER_CREATE_FIELDS.user_mobile),
    },
    { description: '中介' },
  ),
  order_info: Type.Object({
    son_order_id: Type.Integer({ description: WORKBENCH_FIELDS.son_order_id }),
    order_type: Type.Integer({ description: ORDER_CREATE_FIELDS.order_type }),
    appointment_time: Nullable(DateTime, ORDER_CREATE_FIELDS.appointment_time),
    mianqian_opt_time: Nullable(DateTime, DESK_LIST_FIELDS.mianqian_opt_time),
    loan_money: Nullable(Type.Number(), `${borrow.loan_money}（万元）`),
    loan_limit: Nullable(Type.Integer(), borrow.loan_limit),
    production_no: Nullable(Type.Integer(), borrow.production_no),
    yueding_lilv: Nullable(Type.Number(), borrow.yueding_lilv),
    service_fee: Nullable(Type.Number(), borrow.service_fee),
  }),
  house_info: Type.Object({
    house_cert_no: Nullable(Type.String(), house.house_cert_no),
    house_province: Type.String({ description: house.house_province }),
    house_city: Nullable(Type.String(), house.house_city),
    house_address: Nullable(Type.String(), house.house_address),
    house_type: Nullable(Type.Integer(), house.house_type),
    guihuayongtu: Nullable(Type.Integer(), house.guihuayongtu),
    house_size: Nullable(Type.Number(), house.house_size),
    built_in: Nullable(Type.Integer(), house.built_in),
    mortgage_type: Nullable(Type.Integer(), house.mortgage_type),
    before_one_arrived: Nullable(Type.Number(), `${house.before_one_arrived}（万元）`),
    before_two_arrived: Nullable(Type.Number(), `${house.before_two_arrived}（万元）`),
    pg_money_shilian: Nullable(Type.Number(), `${house.pg_money_shilian}（万元）`),
    pg_money_renda: Nullable(Type.Number(), `${house.pg_money_renda}（万元）`),
  }),
  customer_info: CustomerInfoView,
  pic_data: Type.Array(
    Type.Object({
      hpc_id: Type.Integer(),
      hpc_name: Type.String(),
      son_cate_list: Type.Array(
        Type.Object({ hpc_id: Type.Integer(), hpc_name: Type.String(), pic_num: Type.Integer() }),
      ),
    }),
    { description: '图片分类' },
  ),
  suggest_list: Type.Array(
    Type.Object({ content: Type.String(), suggest_type: Type.Integer(), create_time: Nullable(DateTime) }),
    { description: '建议记录' },
  ),
});

/** A partner of family 4 as the admin lists it (never its key). */
export const PartnerView = Type.Object({
  id: Type.Integer(),
  ua: Type.String(),
  calls: Type.String({ description: '* or a JSON list of calls' }),
  callback_url: Nullable(Type.String()),
  disabled: Type.Integer(),
  created_at: Type.Integer({ description: 'epoch milliseconds' }),
});

/** The admission rules and product in force for family 4. */
export const PartnerRulesView = Type.Object({
  min_age: Type.Integer(),
  max_age: Type.Integer(),
  refuse_days: Type.Integer(),
  allow_rebind: Type.Boolean(),
  bind_sms: Type.Boolean(),
  product: Type.Object({
    amount: Type.Integer(),
    min_amount: Type.Integer(),
    terms: Type.Array(Type.Integer()),
    term_type: Type.Integer(),
    loan_mode: Type.Integer(),
  }),
});

/** A blacklist entry: the reason only, the person is kept as hashes. */
export const BlacklistEntryView = Type.Object({
  id: Type.Integer(),
  reason: Type.String(),
  created_at: DateTime,
});

/** One of our callbacks to the platform, with its delivery attempts. */
export const PartnerCallbackView = Type.Object({
  id: Type.Integer(),
  ua: Type.String(),
  call: Type.String(),
  args: Type.Unknown({ description: 'the callback arguments, as sent' }),
  dedupe_key: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('dead')]),
  attempts: Type.Integer(),
  next_attempt_at: Nullable(DateTime),
  last_error: Nullable(Type.String()),
  created_at: DateTime,
  delivered_at: Nullable(DateTime),
});
