import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { PAYMENT_CHANNELS, PAYMENT_STATUSES, REFUND_STATUSES } from '../../../modules/payments/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { ok } from '../envelope.js';
import {
  answeringLeaseErrors,
  LEASE_TAGS,
  LeaseIdParams,
  LeaseSummaryView,
  leaseResponses,
  leaseTimes,
} from './api.leases.route.js';
import { shanghaiTime, typed } from './shared.js';

const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const LeaseRefundView = Type.Object(
  {
    out_refund_no: Type.String({ description: '退款单号（微信的幂等键）' }),
    payment_id: Type.Integer(),
    out_trade_no: Type.String({ description: '退回的那笔微信支付' }),
    amount: Type.Integer({ description: '退款金额（分）' }),
    state: literals(REFUND_STATUSES),
    reason: Type.String({ description: '如 lease_retirement:<订单编号>' }),
    failure_reason: Nullable(Type.String()),
    created_at: Type.String(),
    settled_at: Nullable(Type.String()),
  },
  { additionalProperties: false },
);

const LeaseDetailView = Type.Object(
  {
    ...LeaseSummaryView.properties,
    deposit_held: Type.Integer({ description: '平台现为该租客持有的押金（分，所有订单共用）' }),
    installments: Type.Array(
      Type.Object(
        {
          id: Type.Integer(),
          seq: Type.Integer(),
          rent_part: Type.Integer({ description: '租金（分）' }),
          deposit_part: Type.Integer({ description: '押金（分；只在第一期）' }),
          amount: Type.Integer(),
          due_date: Type.String(),
          paid: Type.Boolean(),
          deposit_reserved: Type.Integer({ description: '待支付期已预留的押金（分）' }),
          paid_at: Nullable(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    payments: Type.Array(
      Type.Object(
        {
          id: Type.Integer(),
          out_trade_no: Type.String(),
          purpose: Type.String({ description: 'lease_installment 分期 / lease_booking 订金' }),
          subject_id: Type.String({ description: '分期编号或订单编号' }),
          amount: Type.Integer({ description: '本次支付金额（分；押金抵扣的部分不在其中）' }),
          channel: literals(PAYMENT_CHANNELS),
          status: literals(PAYMENT_STATUSES),
          paid_at: Nullable(Type.String()),
          created_at: Type.String(),
        },
        { additionalProperties: false },
      ),
    ),
    refunds: Type.Array(LeaseRefundView),
  },
  { additionalProperties: false },
);

/** GET /api/leases/:id: the lease, its installments, payments, refunds and the tenant's held deposit. Admin only. */
export function apiLeasesIdRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/leases/:id',
    {
      schema: {
        tags: LEASE_TAGS,
        summary: 'A lease with its installments, payments, refunds and the deposit held for its tenant',
        params: LeaseIdParams,
        response: leaseResponses(LeaseDetailView),
      },
    },
    async (request, reply) =>
      answeringLeaseErrors(reply, async () => {
        const lease = await ctx.modules.leases.detail(Number(request.params.id));
        return ok({
          ...leaseTimes(lease),
          installments: lease.installments.map((i) => ({ ...i, paid_at: shanghaiTime(i.paid_at) })),
          payments: lease.payments.map((p) => ({
            ...p,
            paid_at: shanghaiTime(p.paid_at),
            created_at: shanghaiTime(p.created_at) ?? '',
          })),
          refunds: lease.refunds.map((r) => ({
            ...r,
            created_at: shanghaiTime(r.created_at) ?? '',
            settled_at: shanghaiTime(r.settled_at),
          })),
        });
      }),
  );
}
