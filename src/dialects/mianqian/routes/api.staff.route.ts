import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff, requireAdmin } from '../auth.js';
import { STAFF_FIELDS } from '../back-office-labels.js';
import { ok } from '../envelope.js';
import { FormValue } from '../schemas.js';
import { ManagedStaffAccount, StaffAccount } from '../views.js';
import { backOfficeResponses, STAFF_TAGS, typed } from './shared.js';

export const RolesField = Type.Union(
  [Type.Array(Type.String({ maxLength: 16 }), { maxItems: 7 }), Type.String({ maxLength: 120 })],
  { description: `${STAFF_FIELDS.roles} (a list, or names separated by commas)` },
);

export const CreateStaffRequest = Type.Object({
  username: FormValue(32, STAFF_FIELDS.username),
  password: FormValue(128, STAFF_FIELDS.password),
  display_name: FormValue(30, STAFF_FIELDS.display_name),
  roles: RolesField,
});

export const StaffListResponse = Type.Object({ staff: Type.Array(ManagedStaffAccount) });

/** GET /api/staff lists accounts, POST /api/staff creates one with roles; both admin only. */
export function apiStaffRoute(app: FastifyInstance, ctx: DialectContext): void {
  const api = typed(app);
  api.get(
    '/api/staff',
    {
      schema: {
        tags: STAFF_TAGS,
        summary: 'List accounts (admin)',
        response: backOfficeResponses(StaffListResponse),
      },
    },
    async (request) => {
      requireAdmin(currentStaff(request));
      return ok({ staff: await ctx.modules.staff.accounts() });
    },
  );

  api.post(
    '/api/staff',
    {
      schema: {
        tags: STAFF_TAGS,
        summary: 'Create an account with roles (admin)',
        body: CreateStaffRequest,
        response: backOfficeResponses(StaffAccount),
      },
    },
    async (request) => {
      const staff = currentStaff(request);
      requireAdmin(staff);
      const { body } = request;
      const created = await ctx.modules.staff.create(
        {
          username: String(body.username ?? ''),
          password: String(body.password ?? ''),
          displayName: typeof body.display_name === 'string' ? body.display_name : undefined,
          roles: Array.isArray(body.roles) ? body.roles : body.roles.split(','),
        },
        ctx.clock.now(),
        `staff:${staff.id}`,
      );
      return ok(created, '创建成功');
    },
  );
}
