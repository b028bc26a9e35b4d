import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { ok } from '../envelope.js';
import { PARK_EXTRA_FIELDS } from '../parking-admin-labels.js';
import { PARKING_CONFIG_TAGS, ParkIdParams, requireParkingStaff } from './api.parking-parks.route.js';
import { backOfficeResponses, typed } from './shared.js';

const ExtraView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  code: Type.String(),
  type: Type.String(),
  seq: Type.Integer(),
  required: Type.Boolean(),
});

/**
 * POST /api/parking/parks/:id/extras: the extra items an order carries (驾驶证, 行驶证 …), after
 * those the park has; their order is the order of the order's files (call 6).
 */
export function apiParkingParksExtrasRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).post(
    '/api/parking/parks/:id/extras',
    {
      config: { fieldLabels: PARK_EXTRA_FIELDS },
      schema: {
        tags: PARKING_CONFIG_TAGS,
        summary: 'Add extra-information items (text or picture) to a park',
        params: ParkIdParams,
        body: Type.Object({
          extras: Type.Array(
            Type.Object({
              name: Type.String({ minLength: 1, maxLength: 32, description: '信息名称' }),
              code: Type.String({
                minLength: 1,
                maxLength: 16,
                pattern: '^[A-Za-z0-9_-]+$',
                description: '信息编号',
              }),
              type: Type.Union([Type.Literal('0'), Type.Literal('1')], { description: '0文本 1图片' }),
              required: Type.Optional(Type.Boolean({ description: '下单时必须提供' })),
            }),
            { minItems: 1, maxItems: 20 },
          ),
        }),
        response: backOfficeResponses(Type.Object({ extras: Type.Array(ExtraView) })),
      },
    },
    async (request) => {
      const staff = requireParkingStaff(request);
      const rows = await ctx.modules.parking.parks.addExtras(
        request.params.id,
        request.body.extras.map((e) => ({
          name: e.name.trim(),
          code: e.code,
          type: e.type,
          required: e.required ?? false,
        })),
        ctx.clock.now(),
        `staff:${staff.id}`,
      );
      return ok(
        {
          extras: rows.map((r) => ({
            id: r.id,
            name: r.name,
            code: r.code,
            type: r.type,
            seq: r.seq,
            required: r.required === 1,
          })),
        },
        '创建成功',
      );
    },
  );
}
