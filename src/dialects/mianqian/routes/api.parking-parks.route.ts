import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../../core/domain-error.js';
import type { StaffMember } from '../../../modules/staff/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { PARK_FIELDS } from '../parking-admin-labels.js';
import { backOfficeResponses, shanghaiTime, typed } from './shared.js';

export const PARKING_CONFIG_TAGS = ['Back-office: parking parks and products (family 5; admin or parking)'];

/** Family 5's configuration is the admin's or the parking role's (停车管理). */
export function requireParkingStaff(request: Parameters<typeof currentStaff>[0]): StaffMember {
  const staff = currentStaff(request);
  if (!staff.roles.includes('admin') && !staff.roles.includes('parking')) {
    throw new DomainError('forbidden', '需要停车管理权限');
  }
  return staff;
}

export const ParkIdParams = Type.Object({
  id: Type.String({ maxLength: 64, description: '停车场Id (pmParkId)' }),
});

const ParkView = Type.Object({ id: Type.String(), name: Type.String(), created_at: Type.String() });

/** GET /api/parking/parks lists the parks; POST adds one under the park's own id (pmParkId). */
export function apiParkingParksRoute(app: FastifyInstance, ctx: DialectContext): void {
  const api = typed(app);
  api.get(
    '/api/parking/parks',
    {
      schema: {
        tags: PARKING_CONFIG_TAGS,
        summary: 'List parks',
        response: backOfficeResponses(Type.Object({ parks: Type.Array(ParkView) })),
      },
    },
    async (request) => {
      requireParkingStaff(request);
      const parks = await ctx.modules.parking.parks.list();
      return ok({
        parks: parks.map((p) => ({ id: p.id, name: p.name, created_at: shanghaiTime(p.created_at) ?? '' })),
      });
    },
  );

  api.post(
    '/api/parking/parks',
    {
      config: { fieldLabels: PARK_FIELDS },
      schema: {
        tags: PARKING_CONFIG_TAGS,
        summary: 'Add a park under its own id (pmParkId)',
        body: Type.Object({
          id: Type.String({
            minLength: 1,
            maxLength: 64,
            pattern: '^[A-Za-z0-9_-]+$',
            description: '停车场Id',
          }),
          name: Type.String({ minLength: 1, maxLength: 64, description: '停车场名称' }),
        }),
        response: backOfficeResponses(ParkView),
      },
    },
    async (request) => {
      const staff = requireParkingStaff(request);
      const park = await ctx.modules.parking.parks.create(
        { id: request.body.id, name: request.body.name.trim() },
        ctx.clock.now(),
        `staff:${staff.id}`,
      );
      return ok(
        { id: park.id, name: park.name, created_at: shanghaiTime(park.created_at) ?? '' },
        '创建成功',
      );
    },
  );
}
