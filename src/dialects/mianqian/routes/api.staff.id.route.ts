import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { STAFF_UPDATE_FIELDS } from '../../../modules/staff/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff, requireAdmin } from '../auth.js';
import { ok } from '../envelope.js';
import { FormValue } from '../schemas.js';
import { ManagedStaffAccount } from '../views.js';
import { RolesField } from './api.staff.route.js';
import { backOfficeResponses, RecordIdParams, STAFF_TAGS, typed } from './shared.js';

export const UpdateStaffRequest = Type.Object({
  display_name: FormValue(30, STAFF_UPDATE_FIELDS.display_name),
  roles: Type.Optional(RolesField),
  disabled: FormValue(1, `${STAFF_UPDATE_FIELDS.disabled}（1 停用，0 启用）`),
});

/**
 * PATCH /api/staff/:id: an admin changes an account's display name, roles or disabled flag (only
 * the fields sent). A change of roles or a disable ends the account's sessions. Admin only.
 */
export function apiStaffIdRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).patch(
    '/api/staff/:id',
    {
      schema: {
        tags: STAFF_TAGS,
        summary: "Change an account's display name, roles or disabled flag (admin)",
        params: RecordIdParams,
        body: Type.Optional(UpdateStaffRequest),
        response: backOfficeResponses(ManagedStaffAccount),
      },
    },
    async (request) => {
      const staff = currentStaff(request);
      requireAdmin(staff);
      return ok(
        await ctx.modules.staff.update(staff, Number(request.params.id), request.body ?? {}, ctx.clock.now()),
        '保存成功',
      );
    },
  );
}
