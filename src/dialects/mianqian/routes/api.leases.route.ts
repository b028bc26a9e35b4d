import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { DomainError } from '../../../core/domain-error.js';
import { LEASE_LIST_FIELDS } from '../../../modules/leases/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { fail, ok } from '../envelope.js';
import { Failure } from '../schemas.js';
import { backOfficeResponses, shanghaiTime, typed } from './shared.js';

export const LEASE_TAGS = ['Back-office: rental leases and move-out (admin)'];

const Fen = (description: string) => Type.Integer({ description: `${description}（分）` });

export const LeaseIdParams = Type.Object({
  id: Type.String({ pattern: '^[1-9][0-9]{0,14}$', maxLength: 15, description: '编号' }),
});

export const LeaseSummaryView = Type.Object(
  {
    id: Type.Integer({ description: '订单编号' }),
    tenant_id: Type.Integer(),
    tenant_mobile: Type.String({ description: '租客登录手机号（掩码，后三位隐藏）' }),
    t_name: Type.String({ description: '租客姓名（合同）' }),
    h_address: Type.String(),
    mode: Type.Integer({ description: '租房方式 0 短租合租 1 短租整租 2 长租整租 3 长租合租' }),
    mode_label: Type.String(),
    status: Type.Integer({
      description: '0 未支付 1 已支付(未入住) 2 已入住 3 已续租 4 已逾期 5 退租申请中 6 退租完成 9 已失效',
    }),
    status_label: Type.String(),
    booked: Type.Boolean({ description: '订金已付' }),
    r_s_time: Type.String(),
    r_e_time: Type.String(),
    months: Type.Integer(),
    monthly_rent: Fen('月租'),
    rent_total: Fen('租金合计'),
    deposit_total: Fen('押金合计'),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { additionalProperties: false },
);

export const LeaseListQuery = Type.Object({
  status: Type.Optional(Type.String({ maxLength: 2, description: LEASE_LIST_FIELDS.status })),
  mobile: Type.Optional(Type.String({ maxLength: 20, description: LEASE_LIST_FIELDS.mobile })),
  page: Type.Optional(Type.String({ maxLength: 6, description: LEASE_LIST_FIELDS.page })),
  page_size: Type.Optional(
    Type.String({ maxLength: 3, description: `${LEASE_LIST_FIELDS.page_size}（最多100）` }),
  ),
});

const LeaseListView = Type.Object(
  {
    total: Type.Integer({ description: '符合条件的订单数' }),
    page: Type.Integer(),
    page_size: Type.Integer(),
    page_count: Type.Integer(),
    totals: Type.Object(
      { rent_total: Fen('符合条件订单的租金合计'), deposit_total: Fen('符合条件订单的押金合计') },
      { additionalProperties: false },
    ),
    leases: Type.Array(LeaseSummaryView),
  },
  { additionalProperties: false },
);

/** The lease routes' answers: 200 as the back office answers, 404 unknown lease, 409 a move it cannot make. */
export const leaseResponses = (data: TSchema) => ({
  ...backOfficeResponses(data),
  404: Failure,
  409: Failure,
});

/**
 * The lease routes answer an unknown lease with 404 and a move its state forbids with 409, in the
 * back office's envelope: staff tools and scripts tell them apart by status. Anything else goes
 * to the family's error handler.
 */
export async function answeringLeaseErrors<T>(reply: FastifyReply, run: () => Promise<T>) {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'not_found')
      return reply.status(404).send(fail(error.message));
    if (error instanceof DomainError && (error.code === 'illegal_transition' || error.code === 'conflict'))
      return reply.status(409).send(fail(error.message));
    throw error;
  }
}

type Summary = { created_at: number; updated_at: number };
/** Times as the back office shows them (Beijing time). */
export const leaseTimes = <T extends Summary>(lease: T) => ({
  ...lease,
  created_at: shanghaiTime(lease.created_at) ?? '',
  updated_at: shanghaiTime(lease.updated_at) ?? '',
});

/** GET /api/leases: leases newest first, by state and tenant mobile, with totals; mobiles masked. Admin only. */
export function apiLeasesRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/leases',
    {
      schema: {
        tags: LEASE_TAGS,
        summary: "Family 2's leases, paged (status, tenant mobile), with count and money totals",
        querystring: LeaseListQuery,
        response: backOfficeResponses(LeaseListView),
      },
    },
    async (request) => {
      const page = await ctx.modules.leases.list(request.query);
      return ok({ ...page, leases: page.leases.map(leaseTimes) });
    },
  );
}
