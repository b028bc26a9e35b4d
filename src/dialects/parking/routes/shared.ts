import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FieldReader, isRawInput } from '../../../core/field-reader.js';
import { fenToYuanString } from '../../../core/money.js';
import type { ParkingCardView, ParkingUserView } from '../../../modules/parking/index.js';
import { FILE_KINDS } from '../../../platform/storage/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';

/** What family 5's route files share: tags, field labels, envelope and view schemas, presenters. */

/** One route file per endpoint; each registers its route on the scope it is given. */
export type ParkingRouteFile = (app: FastifyInstance, ctx: DialectContext) => void;

export const TAGS = ['Campus parking (family 5)'];
export const typed = (app: FastifyInstance) => app.withTypeProvider<TypeBoxTypeProvider>();

/** Every request field's Chinese name, as the spec labels it, for the messages of bad fields. */
export const PARKING_FIELD_LABELS: Readonly<Record<string, string>> = {
  carNum: '车牌号',
  name: '用户名',
  pmParkId: '停车场Id',
  phone: '手机号',
  duplicateCode: '职工工号',
  phoneCode: '验证码',
  isOverDuplicate: '是否覆盖职工工号',
  omPrCardId: '卡Id',
  pmSetrentUserinfoId: '用户ID',
  orgCode: '组织机构编码',
  addCarNums: '车牌号',
  delCarNums: '车牌号',
  userInfoId: '用户Id',
  pmSetrentId: '产品ID',
  productVId: '产品版本ID',
  priceType: '产品价格类型',
  userDepartment: '所属部门',
  extraDataJson: '文件信息',
  firstOrgName: '所属一级机构名称',
  firstOrgCode: '所属一级机构编号',
  secondOrgName: '所属二级机构名称',
  secondOrgCode: '所属二级机构编号',
  omPrOrderId: '订单ID',
  openId: '微信公众号ID',
  // The owner's document link and the WeChat login around the spec's calls.
  slot: '文件序号',
  redirect: '返回页面',
  open_id: '微信公众号ID',
  code: '微信授权码',
  state: '授权状态',
};

/**
 * The reader of a call's body, for a route that sets `attachValidation` and reads every field of
 * its schema with it: the reader refuses a field of the wrong type as the schema would, but names
 * it beside every other bad field, where the schema's refusal would name the wrong-typed ones
 * alone. A body that is not an object of fields is still refused whole (400).
 */
export function readBody(request: FastifyRequest): FieldReader {
  if (request.validationError && !isRawInput(request.body)) throw request.validationError;
  return new FieldReader(isRawInput(request.body) ? request.body : {}, PARKING_FIELD_LABELS);
}

/** A field as the page sends it: text (JSON or form), a number from JSON, or absent. */
export const Value = (maxLength: number, description: string) =>
  Type.Optional(Type.Union([Type.String({ maxLength }), Type.Number()], { description }));

const strict = { additionalProperties: false } as const;
const Str = (description: string) => Type.String({ description });

// --- Answers

export const Failure = Type.Object(
  {
    timestamp: Str('响应时间 (epoch ms)'),
    msg: Str('响应描述：every bad field, joined by ；'),
    isSuccess: Type.Literal('1'),
  },
  { ...strict, description: 'Failure: a refusal (200 when the spec describes it, else 4xx/5xx)' },
);

/** `{timestamp, msg, isSuccess: "0"}`: done, nothing to answer. */
export const Done = Type.Object(
  { timestamp: Str('响应时间 (epoch ms)'), msg: Str('响应描述'), isSuccess: Type.Literal('0') },
  { ...strict, description: 'Success' },
);

/** `{timestamp, msg, isSuccess: "0", resultData}` with the call's own top-level fields, if any. */
export const Success = <T extends TSchema, E extends Record<string, TSchema> = Record<never, TSchema>>(
  resultData: T,
  extra?: E,
) =>
  Type.Object(
    {
      timestamp: Str('响应时间 (epoch ms)'),
      msg: Str('响应描述'),
      isSuccess: Type.Literal('0'),
      ...(extra ?? ({} as E)),
      resultData,
    },
    { ...strict, description: 'Success' },
  );

export const answers = <T extends TSchema>(success: T) => ({
  200: Type.Union([success, Failure]),
  default: Failure,
});

const Nullable = (description: string) => Type.Union([Type.String(), Type.Null()], { description });

export const CardInfo = Type.Object(
  {
    omPrCardId: Str('卡ID'),
    productId: Str('产品ID'),
    productVId: Str('产品版本ID'),
    productName: Str('产品名称'),
    amount: Str('产品单价 (元)'),
    unitType: Str('产品计数单位 1小时 2天 3周 4月 5年'),
    rentType: Str('产品类型'),
    lastOrderId: Str('订单Id'),
    orderRemark: Str('订单备注'),
    cmUserId: Str('C端用户ID'),
    userInfoId: Str('用户ID'),
    userName: Str('用户姓名'),
    startDt: Str('开始时间 (epoch ms)'),
    endDt: Str('结束时间 (epoch ms)'),
    renewEndDt: Str('续费结束时间 (epoch ms)'),
    state: Str('状态 -1购买超时 0新建 1有效 2续费中'),
    remark: Str('备注'),
    createDt: Str('卡创建时间 (epoch ms)'),
    cardType: Str('卡类型 1vip 2业主 3包月车'),
    auditStateBeforePay: Str('支付前审核状态 01未审核 02审核中 03已审核 04审核拒绝'),
    isExpire: Str('卡状态 0使用中 1已过期 2审核中 3已审核 4审核拒绝'),
    orderState: Str('支付状态 01下单成功 03已经支付 21已经申请退款 22已退款 81已经超时'),
    orderAmount: Type.Number({ description: '订单金额 (元)' }),
    ifHasConflictProcess: Str('是否有流程冲突 true/false'),
  },
  strict,
);

export const PlateInfo = Type.Object(
  { carNum: Str('车牌号'), channel: Str('渠道 (9: 线上添加，可删除)') },
  strict,
);

const userFields = {
  pmSetrentUserinfoId: Str('用户ID'),
  name: Str('用户姓名'),
  phone: Str('用户手机号'),
  address: Str('用户地址'),
  idcard: Str('用户身份证号'),
  driveLicence: Str('驾驶证号'),
  content: Str('备注'),
  code: Str('不可重复职工编号'),
  department: Str('所属部门'),
  orgCode: Str('组织机构编码'),
  isSingle: Str('是否为单一车场用户 0是 1否'),
  isDrop: Str('是否删除 0是 1否'),
  carNums: Str('车牌号，逗号分隔'),
  ifBuyBeiLiRentOnline: Type.Boolean({ description: '是否在线办理过北理包月' }),
  firstOrgName: Str('一级组织机构名称'),
  firstOrgCode: Str('一级组织机构编号'),
  secondOrgName: Str('二级组织机构名称'),
  secondOrgCode: Str('二级组织机构编号'),
  duplicateCode: Str('可重复职工工号'),
  ifHasConflictProcess: Str('是否有流程冲突 true/false'),
};

export const UserInfo = Type.Object({ ...userFields, cardList: Type.Array(CardInfo) }, strict);
export const UserInfoWithPlates = Type.Object(
  { ...userFields, pmSetRentCarInfoList: Type.Array(PlateInfo), cardList: Type.Array(CardInfo) },
  strict,
);

export { Nullable, strict };

/**
 * A 200 that is an uploaded document, not JSON: its bytes under the type they showed at upload
 * (JPEG, PNG or PDF), one OpenAPI media type each. The content map is fastify's and OpenAPI's own
 * way to declare a non-JSON answer; the headers say how it is served. `json` is what the same
 * status answers in JSON instead, if anything (family 5 refuses with 200 where its spec does).
 */
export function storedDocument(
  description: string,
  { headers = {}, json }: { headers?: Readonly<Record<string, string>>; json?: TSchema } = {},
) {
  const bytes = Type.String({ format: 'binary', description: '文件内容' });
  return {
    description,
    headers: Object.fromEntries(
      Object.entries({
        'x-content-type-options': 'nosniff：浏览器不猜测类型',
        'cache-control': 'private, no-store',
        ...headers,
      }).map(([name, what]) => [name, Type.String({ description: what })]),
    ),
    content: {
      ...Object.fromEntries(Object.values(FILE_KINDS).map((kind) => [kind.contentType, { schema: bytes }])),
      ...(json ? { 'application/json': { schema: json } } : {}),
    },
  };
}

// --- Presenters: the module's views in the spec's words (times epoch-ms strings, money yuan)

const ms = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));

/**
 * isExpire folds the review of the card's open (01) order into the card's state, as the spec
 * lists it: 2 审核中, 3 已审核 (not paid yet), 4 审核拒绝; else 1 past its end, 0 in use. A refused
 * order is closed (81), so the card shows its own state again and auditStateBeforePay says 04.
 */
function isExpire(view: ParkingCardView): string {
  const order = view.lastOrder;
  if (order?.is_audit_before_pay && order.state === '01') {
    if (order.audit_state === '02') return '2';
    if (order.audit_state === '03') return '3';
    if (order.audit_state === '04') return '4';
  }
  return view.expired ? '1' : '0';
}

export function presentCard(user: ParkingUserView, view: ParkingCardView) {
  const { card, product, version, lastOrder } = view;
  const unitPrice = lastOrder?.price_type === '02' ? version?.outside_price_fen : version?.inside_price_fen;
  return {
    omPrCardId: card.id,
    productId: card.product_id,
    productVId: card.product_v_id,
    productName: product?.name ?? '',
    amount: fenToYuanString(unitPrice ?? 0),
    unitType: product?.unit_type ?? '',
    rentType: product?.rent_type ?? '',
    lastOrderId: card.last_order_id ?? '',
    orderRemark: '',
    cmUserId: '',
    userInfoId: user.user.id,
    userName: user.user.name,
    startDt: ms(card.start_dt),
    endDt: ms(card.end_dt),
    renewEndDt: ms(card.renew_end_dt),
    state: String(card.state),
    remark: card.remark,
    createDt: ms(card.created_at),
    cardType: card.card_type,
    auditStateBeforePay: lastOrder?.is_audit_before_pay ? lastOrder.audit_state : '',
    isExpire: isExpire(view),
    orderState: lastOrder?.state ?? '',
    orderAmount: lastOrder ? lastOrder.amount_fen / 100 : 0,
    ifHasConflictProcess: String(view.hasOpenOrder),
  };
}

function presentUserFields(view: ParkingUserView) {
  const u = view.user;
  return {
    pmSetrentUserinfoId: u.id,
    name: u.name,
    phone: view.phone,
    address: u.address ?? '',
    idcard: '',
    driveLicence: '',
    content: '',
    code: u.code ?? '',
    department: u.department ?? '',
    orgCode: u.second_org_code ?? u.first_org_code ?? '',
    isSingle: '0',
    isDrop: '1',
    carNums: view.plates.map((p) => p.car_num).join(','),
    ifBuyBeiLiRentOnline: view.boughtOnline,
    firstOrgName: u.first_org_name ?? '',
    firstOrgCode: u.first_org_code ?? '',
    secondOrgName: u.second_org_name ?? '',
    secondOrgCode: u.second_org_code ?? '',
    duplicateCode: u.duplicate_code ?? '',
    ifHasConflictProcess: String(view.hasConflict),
  };
}

export function presentUser(view: ParkingUserView) {
  return { ...presentUserFields(view), cardList: view.cards.map((c) => presentCard(view, c)) };
}

export function presentUserWithPlates(view: ParkingUserView) {
  return {
    ...presentUserFields(view),
    pmSetRentCarInfoList: view.plates.map((p) => ({ carNum: p.car_num, channel: p.channel })),
    cardList: view.cards.map((c) => presentCard(view, c)),
  };
}
