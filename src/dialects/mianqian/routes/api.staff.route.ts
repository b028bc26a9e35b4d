import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff, requireAdmin } from '../auth.js';
import { ok } from '../envelope.js';
import { FormValue } from '../schemas.js';
import { backOfficeResponses, STAFF_TAGS } from './shared.js';

export const CreateStaffRequest = Type.Object({
  username: FormValue(32),
  password: FormValue(128),
  display_name: FormValue(30),
  roles: Type.Union([
    Type.Array(Type.String({ maxLength: 16 }), { maxItems: 7 }),
    Type.String({ maxLength: 120 }),
  ]),
});

/** GET /api/staff lists accounts, POST /api/staff creates one with roles; both admin only. */
export function apiStaffRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.get(
    '/api/staff',
    { schema: { tags: STAFF_TAGS, summary: 'List accounts (admin)', response: backOfficeResponses() } },
    async (request) => {
      requireAdmin(currentStaff(request));
      return ok({ staff: await ctx.modules.staff.list() });
    },
  );

  app.post(
    '/api/staff',
    {
      schema: {
        tags: STAFF_TAGS,
        summary: 'Create an account with roles (admin)',
        body: CreateStaffRequest,
        response: backOfficeResponses(),
      },
    },
    async (request) => {
      const staff = currentStaff(request);
      requireAdmin(staff);
      const body = request.body as {
        username?: unknown;
        password?: unknown;
        display_name?: unknown;
        roles: string[] | string;
      };
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
