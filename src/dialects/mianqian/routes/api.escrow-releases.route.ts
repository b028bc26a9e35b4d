import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { PAGING_FIELDS } from '../../../core/paging.js';
import { RELEASE_STATES } from '../../../modules/escrow/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { ESCROW_FUND_TAGS, ReleaseView } from './api.escrow-orders.route.js';
import { backOfficeResponses, PagingQuery, typed } from './shared.js';

export const ReleaseQueueQuery = Type.Object({
  state: Type.Optional(
    Type.String({
      maxLength: 16,
      description: `状态（${RELEASE_STATES.join(' / ')}；默认 requested 待审批）`,
    }),
  ),
  ...PagingQuery.properties,
});

const ReleaseQueueView = Type.Object(
  {
    total: Type.Integer(),
    page: Type.Integer({ description: PAGING_FIELDS.page }),
    page_size: Type.Integer({ description: PAGING_FIELDS.page_size }),
    page_count: Type.Integer(),
    releases: Type.Array(
      Type.Object(
        {
          ...ReleaseView.properties,
          house_order_no: Type.String({ description: '履约单号' }),
          mine: Type.Boolean({ description: '本人提出的申请（不能由本人审批）' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/**
 * GET /api/escrow-releases?state=&page=&page_size=: the checkers' queue — release and refund
 * requests across every order, waiting ones oldest first (escrow role, as the money pages).
 */
export function apiEscrowReleasesRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/escrow-releases',
    {
      schema: {
        tags: ESCROW_FUND_TAGS,
        summary: "The checkers' queue: release and refund requests of one state across orders (escrow role)",
        querystring: ReleaseQueueQuery,
        response: backOfficeResponses(ReleaseQueueView),
      },
    },
    async (request) => ok(await ctx.modules.escrow.funds.queue(currentStaff(request), request.query)),
  );
}
