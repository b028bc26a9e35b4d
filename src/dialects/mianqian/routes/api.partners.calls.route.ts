import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { ok } from '../envelope.js';
import { backOfficeResponses, PARTNER_TAGS, PagingQuery, RecordIdParams, typed } from './shared.js';

const PartnerCallsView = Type.Object(
  {
    ua: Type.String({ description: '合作方标识' }),
    total: Type.Integer({ description: '调用记录数' }),
    page: Type.Integer(),
    page_size: Type.Integer(),
    page_count: Type.Integer(),
    calls: Type.Array(
      Type.Object(
        {
          id: Type.Integer(),
          call: Type.String({ description: '接口' }),
          status: Type.Integer({ description: '网关状态码（1 成功）' }),
          result: Type.Union([Type.String(), Type.Null()], { description: '准入结果或绑卡状态' }),
          message: Type.String({ description: '网关应答的说明' }),
          created_at: Type.Integer({ description: 'epoch milliseconds' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** GET /api/partners/:id/calls: the partner's gateway calls, newest first, paged; never their arguments. Admin only. */
export function apiPartnersCallsRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/partners/:id/calls',
    {
      schema: {
        tags: PARTNER_TAGS,
        summary: "A partner's recent gateway calls (call, status, result, message; no arguments), paged",
        params: RecordIdParams,
        querystring: PagingQuery,
        response: backOfficeResponses(PartnerCallsView),
      },
    },
    async (request) => ok(await ctx.modules.partner.calls(Number(request.params.id), request.query)),
  );
}
