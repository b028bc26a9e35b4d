import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { RELEASE_KINDS } from '../../../modules/escrow/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { ESCROW_FUND_TAGS, HouseOrderNoParams, ReleaseView } from './api.escrow-orders.route.js';
import { backOfficeResponses, typed } from './shared.js';

const ReleaseRequestBody = Type.Object({
  kind: Type.Union(
    RELEASE_KINDS.map((k) => Type.Literal(k)),
    { description: 'release 放款给房东（扣服务费），refund 退款给买方' },
  ),
  amount: Type.Integer({
    minimum: 1,
    maximum: 100_000_000_000_000,
    description: '从监管账户划出的金额（分）',
  }),
  reason: Type.String({ maxLength: 200, description: '原因' }),
  payee_card_no: Type.Optional(Type.String({ maxLength: 30, description: '退款：买方收款银行卡号' })),
  payee_bank: Type.Optional(Type.String({ maxLength: 50, description: '退款：买方收款银行' })),
});

/** POST /api/escrow-orders/:house_order_no/releases: the maker asks to release or refund; nothing moves yet. */
export function apiEscrowOrdersReleasesRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).post(
    '/api/escrow-orders/:house_order_no/releases',
    {
      schema: {
        tags: ESCROW_FUND_TAGS,
        summary:
          'Request a release to the landlord or a refund to the buyer (another escrow member approves)',
        params: HouseOrderNoParams,
        body: ReleaseRequestBody,
        response: backOfficeResponses(ReleaseView),
      },
    },
    async (request) =>
      ok(
        await ctx.modules.escrow.funds.request(
          currentStaff(request),
          request.params.house_order_no,
          request.body,
          ctx.clock.now(),
        ),
        '已提交，待另一位资金监管人员审批',
      ),
  );
}
