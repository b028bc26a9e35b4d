import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  AMOUNT_TYPE_LABELS,
  ESCROW_STATES,
  PAYOUT_STATES,
  RELEASE_KINDS,
  RELEASE_STATES,
} from '../../../modules/escrow/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { backOfficeResponses, typed } from './shared.js';

export const ESCROW_FUND_TAGS = ['Back-office: escrow money (escrow role, maker-checker)'];

const literals = <T extends string>(values: readonly T[], description?: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    description ? { description } : {},
  );
const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(t: T) =>
  Type.Union([t, Type.Null()]);

export const HouseOrderNoParams = Type.Object({
  house_order_no: Type.String({ maxLength: 32, description: '履约单号 house_order_no' }),
});
export const IdParams = Type.Object({
  id: Type.String({ pattern: '^[1-9][0-9]{0,14}$', maxLength: 15, description: '编号' }),
});

export const ReleaseView = Type.Object(
  {
    id: Type.Integer(),
    kind: literals(RELEASE_KINDS, 'release 放款给房东，refund 退款给买方'),
    kind_label: Type.String(),
    amount: Type.Integer({ description: '从监管账户划出的金额（分）' }),
    fee: Type.Integer({ description: '本次扣除的服务费（分；每单首笔放款扣一次）' }),
    state: literals(RELEASE_STATES),
    reason: Type.String(),
    payee_name: Type.String(),
    payee_card_no: Type.String({ description: '收款卡号（掩码）' }),
    payee_bank: Type.String(),
    requested_by: Type.String({ description: '申请人（用户名）' }),
    decided_by: Nullable(Type.String({ description: '审批人（用户名），不能是申请人' })),
    decided_at: Nullable(Type.String()),
    decision_reason: Nullable(Type.String()),
    created_at: Type.String(),
  },
  { additionalProperties: false },
);

export const PayoutView = Type.Object(
  {
    id: Type.Integer(),
    payout_no: Type.String(),
    release_id: Type.Integer(),
    amount: Type.Integer(),
    state: literals(PAYOUT_STATES),
    attempts: Type.Integer(),
    provider_id: Nullable(Type.String()),
    failure_code: Nullable(Type.String()),
    failure_message: Nullable(Type.String()),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { additionalProperties: false },
);

const FundsView = Type.Object(
  {
    held: Type.Integer({ description: '监管账户余额（分）' }),
    types: Type.Array(
      Type.Object(
        {
          amount_type: literals(Object.keys(AMOUNT_TYPE_LABELS) as Array<keyof typeof AMOUNT_TYPE_LABELS>),
          label: Type.String(),
          due: Type.Integer({ description: '应付（分）' }),
          paid: Type.Integer({ description: '已付（分）' }),
          late_paid: Type.Integer({ description: '逾期到账、仍在监管中的金额（分）' }),
        },
        { additionalProperties: false },
      ),
    ),
    payable_landlord: Type.Integer({ description: '待付房东（分）' }),
    refund_buyer: Type.Integer({ description: '待退买方（分）' }),
    released: Type.Integer(),
    refunded: Type.Integer(),
    fee_taken: Type.Integer(),
  },
  { additionalProperties: false },
);

const EscrowOrderFundsView = Type.Object(
  {
    house_order_no: Type.String(),
    template_id: Type.String(),
    state: literals(ESCROW_STATES),
    state_label: Type.String(),
    service_fee_amount: Type.Integer(),
    parties: Type.Array(
      Type.Object(
        {
          role: literals(['buyer', 'landlord'] as const),
          role_label: Type.String(),
          name: Type.String(),
          id_card_masked: Type.String(),
          phone_masked: Type.String(),
          decision: literals(['pending', 'accepted', 'declined'] as const, '邀约的接受情况'),
          decided_at: Nullable(Type.String()),
          decline_reason: Nullable(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    funds: FundsView,
    releases: Type.Array(ReleaseView),
    payouts: Type.Array(PayoutView),
  },
  { additionalProperties: false },
);

/** GET /api/escrow-orders/:house_order_no: the order's money from the ledger, its requests and payouts. */
export function apiEscrowOrdersRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/escrow-orders/:house_order_no',
    {
      schema: {
        tags: ESCROW_FUND_TAGS,
        summary:
          "An escrow order's parties (masked, with their decisions) and money: held, due and paid per type, releases, refunds and payouts",
        params: HouseOrderNoParams,
        response: backOfficeResponses(EscrowOrderFundsView),
      },
    },
    async (request) =>
      ok(
        await ctx.modules.escrow.funds.view(
          currentStaff(request),
          request.params.house_order_no,
          ctx.clock.now(),
        ),
      ),
  );
}
