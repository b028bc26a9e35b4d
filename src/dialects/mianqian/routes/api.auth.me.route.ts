import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff, requireStaff } from '../auth.js';
import { ok } from '../envelope.js';
import { Failure, Success } from '../schemas.js';
import { AUTH_TAGS, StaffView, typed } from './shared.js';

/** GET /api/auth/me: who is logged in. */
export function apiAuthMeRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).get(
    '/api/auth/me',
    {
      preHandler: requireStaff(ctx),
      schema: {
        tags: AUTH_TAGS,
        summary: 'Who is logged in',
        response: { 200: Type.Union([Success(StaffView), Failure]) },
      },
    },
    async (request) => {
      const staff = currentStaff(request);
      return ok({
        id: staff.id,
        username: staff.username,
        display_name: staff.displayName,
        roles: [...staff.roles],
      });
    },
  );
}
