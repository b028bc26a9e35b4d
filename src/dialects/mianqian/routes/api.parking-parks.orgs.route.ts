import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { ok } from '../envelope.js';
import { PARK_ORG_FIELDS } from '../parking-admin-labels.js';
import { PARKING_CONFIG_TAGS, ParkIdParams, requireParkingStaff } from './api.parking-parks.route.js';
import { backOfficeResponses, typed } from './shared.js';

const Code = Type.String({
  minLength: 1,
  maxLength: 32,
  pattern: '^[A-Za-z0-9_-]+$',
  description: '机构编码',
});
const Name = Type.String({ minLength: 1, maxLength: 64, description: '机构名称' });

const OrgView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  org_code: Type.String(),
  level: Type.Integer(),
  parent_org_code: Type.Union([Type.String(), Type.Null()]),
});

/**
 * POST /api/parking/parks/:id/orgs: first-level orgs (学院) with their second level (系), as call
 * 4 lists them. An org code is unique within the park.
 */
export function apiParkingParksOrgsRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).post(
    '/api/parking/parks/:id/orgs',
    {
      config: { fieldLabels: PARK_ORG_FIELDS },
      schema: {
        tags: PARKING_CONFIG_TAGS,
        summary: "Add first-level orgs with their children to a park's org tree",
        params: ParkIdParams,
        body: Type.Object({
          orgs: Type.Array(
            Type.Object({
              name: Name,
              org_code: Code,
              children: Type.Optional(
                Type.Array(Type.Object({ name: Name, org_code: Code }), { maxItems: 200 }),
              ),
            }),
            { minItems: 1, maxItems: 200 },
          ),
        }),
        response: backOfficeResponses(Type.Object({ orgs: Type.Array(OrgView) })),
      },
    },
    async (request) => {
      const staff = requireParkingStaff(request);
      const rows = await ctx.modules.parking.parks.addOrgs(
        request.params.id,
        request.body.orgs.map((o) => ({
          name: o.name.trim(),
          orgCode: o.org_code,
          children: o.children?.map((c) => ({ name: c.name.trim(), orgCode: c.org_code })),
        })),
        ctx.clock.now(),
        `staff:${staff.id}`,
      );
      return ok(
        {
          orgs: rows.map((r) => ({
            id: r.id,
            name: r.name,
            org_code: r.org_code,
            level: r.level,
            parent_org_code: r.parent_level_code,
          })),
        },
        '创建成功',
      );
    },
  );
}
