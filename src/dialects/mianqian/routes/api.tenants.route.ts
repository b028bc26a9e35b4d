import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { ok } from '../envelope.js';
import { LEASE_TAGS } from './api.leases.route.js';
import { backOfficeResponses, PagingQuery, typed } from './shared.js';

export const TenantsQuery = Type.Object({
  mobile: Type.Optional(Type.String({ maxLength: 20, description: '租客手机号' })),
  ...PagingQuery.properties,
});

const TenantsView = Type.Object(
  {
    total: Type.Integer({ description: '符合条件的租客数' }),
    page: Type.Integer(),
    page_size: Type.Integer(),
    page_count: Type.Integer(),
    tenants: Type.Array(
      Type.Object(
        {
          id: Type.Integer(),
          mobile: Type.String({ description: '登录手机号（掩码，后三位隐藏）' }),
          deposit_held: Type.Integer({ description: '平台代管的押金（分）' }),
          leases: Type.Integer({ description: '租约数' }),
          created_at: Type.Integer({ description: 'epoch milliseconds' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** GET /api/tenants?mobile=&page=&page_size=: family 2's tenants with their held deposit and lease count; mobiles masked. Admin only. */
export function apiTenantsRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/tenants',
    {
      schema: {
        tags: LEASE_TAGS,
        summary: "Family 2's tenants newest first (or by mobile), with deposit held and lease count, paged",
        querystring: TenantsQuery,
        response: backOfficeResponses(TenantsView),
      },
    },
    async (request) => ok(await ctx.modules.tenants.list(request.query)),
  );
}
