import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { DomainError } from '../../../core/domain-error.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { fail, ok } from '../envelope.js';
import { PARKING_ORDER_FIELDS } from '../parking-admin-labels.js';
import { Failure } from '../schemas.js';
import { backOfficeResponses, typed } from './shared.js';

export const PARKING_ORDER_TAGS = ['Back-office: parking orders, review and refunds (parking role or admin)'];

const Ms = (description: string) => Type.Integer({ description: `${description}（epoch 毫秒）` });
const MsOrNull = (description: string) => Type.Union([Ms(description), Type.Null()]);
const Text = (description: string) => Type.Union([Type.String(), Type.Null()], { description });

export const ParkingOrderIdParams = Type.Object({
  id: Type.String({ pattern: '^[0-9a-f]{32}$', description: '订单ID (omPrOrderId)' }),
});

export const ParkingOrderView = Type.Object(
  {
    id: Type.String({ description: '订单ID (omPrOrderId)' }),
    park_id: Type.String({ description: '停车场ID (pmParkId)' }),
    card_id: Type.String({ description: '卡ID (omPrCardId)' }),
    user_id: Type.String({ description: '用户ID (pmSetrentUserinfoId)' }),
    product_id: Type.String(),
    product_v_id: Type.String(),
    product_name: Type.String(),
    price_type: Type.String({ description: '01 校内 / 02 校外' }),
    unit_type: Type.String({ description: '1 小时 2 天 3 周 4 月 5 年' }),
    count: Type.Integer({ description: '购买个数' }),
    amount_fen: Type.Integer({ description: '订单金额（分）' }),
    start_dt: Ms('开始时间'),
    end_dt: Ms('结束时间'),
    order_type: Type.Integer({ description: '0 首次购买 1 续费' }),
    state: Type.String({ description: '01 下单成功 03 已支付 21 已申请退款 22 已退款 81 已超时/已关闭' }),
    is_audit_before_pay: Type.Integer({ description: '1 支付前需审核' }),
    audit_state: Type.String({ description: '01 未审核 02 审核中 03 已审核 04 审核拒绝' }),
    audit_reason: Text('拒绝原因'),
    audited_by: Text('审核人'),
    audited_at: MsOrNull('审核时间'),
    extra_info: Type.Array(
      Type.Object({
        type: Type.String({ description: '0 文本 1 图片' }),
        name: Type.String(),
        code: Type.String(),
        content: Type.String({ description: '文本内容；图片为空，文件见 files' }),
        slot: Type.Optional(Type.Integer({ description: '图片所在的上传位置 (files 的 slot)' })),
      }),
    ),
    first_org_name: Text('一级机构名称'),
    first_org_code: Text('一级机构编号'),
    second_org_name: Text('二级机构名称'),
    second_org_code: Text('二级机构编号'),
    user_department: Text('所属部门'),
    duplicate_code: Text('职工编号'),
    out_trade_no: Text('微信支付商户订单号'),
    pay_suc_dt: MsOrNull('支付成功时间'),
    prev_end_dt: MsOrNull('下单前卡的结束时间（退款时恢复）'),
    expires_at: Ms('支付截止时间（审核中不计）'),
    created_at: Ms('创建时间'),
    updated_at: Ms('更新时间'),
  },
  { additionalProperties: false },
);

export const ParkingOrderFileView = Type.Object(
  {
    id: Type.Integer({ description: '文件编号（下载：/api/parking/orders/:id/files/:fileId）' }),
    slot: Type.Integer({ description: '上传位置（与额外信息顺序对应）' }),
    code: Type.String({ description: '额外信息编号' }),
    name: Type.String({ description: '额外信息名称，如 驾驶证' }),
    type: Type.String(),
    content_type: Type.String({
      description: '按文件内容识别的类型：image/jpeg、image/png、application/pdf',
    }),
    size: Type.Integer({ description: '字节数' }),
    created_at: Ms('上传时间'),
  },
  { additionalProperties: false },
);

export const ParkingOrderDetailView = Type.Composite([
  ParkingOrderView,
  Type.Object({ files: Type.Array(ParkingOrderFileView) }),
]);

/** 404 unknown order, 409 a move its state forbids, 403 without the parking role. */
export const parkingOrderResponses = (data: TSchema) => ({
  ...backOfficeResponses(data),
  403: Failure,
  404: Failure,
  409: Failure,
});

/** Unknown order → 404, a move its state forbids → 409, no role → 403, in the back office's envelope. */
export async function answeringParkingErrors<T>(reply: FastifyReply, run: () => Promise<T>) {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'not_found')
      return reply.status(404).send(fail(error.message));
    if (error instanceof DomainError && (error.code === 'illegal_transition' || error.code === 'conflict'))
      return reply.status(409).send(fail(error.message));
    if (error instanceof DomainError && error.code === 'forbidden')
      return reply.status(403).send(fail(error.message));
    throw error;
  }
}

const ListQuery = Type.Object({
  audit_state: Type.Optional(
    Type.String({ maxLength: 2, description: '审核状态 01/02/03/04（审核队列：02）' }),
  ),
  state: Type.Optional(Type.String({ maxLength: 2, description: '订单状态 01/03/21/22/81' })),
  page: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,5}$', description: '页码，从1开始' })),
  page_size: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$', description: '每页条数（最多100）' })),
});

const ListView = Type.Object(
  {
    page: Type.Integer(),
    page_size: Type.Integer(),
    total: Type.Integer({ description: '符合条件的订单数' }),
    orders: Type.Array(ParkingOrderView),
  },
  { additionalProperties: false },
);

/** GET /api/parking/orders: the review queue (audit_state=02) and every other order list, newest first, paged. */
export function apiParkingOrdersRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/parking/orders',
    {
      config: { fieldLabels: PARKING_ORDER_FIELDS },
      schema: {
        tags: PARKING_ORDER_TAGS,
        summary: 'Parking orders by review state and order state, newest first, paged',
        querystring: ListQuery,
        response: parkingOrderResponses(ListView),
      },
    },
    async (request, reply) =>
      answeringParkingErrors(reply, async () =>
        ok(
          await ctx.modules.parkingOrders.staff.list(currentStaff(request), {
            audit_state: request.query.audit_state,
            state: request.query.state,
            ...(request.query.page ? { page: Number(request.query.page) } : {}),
            ...(request.query.page_size ? { page_size: Number(request.query.page_size) } : {}),
          }),
        ),
      ),
  );
}
