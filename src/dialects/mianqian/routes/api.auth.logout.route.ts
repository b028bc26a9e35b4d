import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../../core/domain-error.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { SESSION_COOKIE, sessionToken } from '../auth.js';
import { ok } from '../envelope.js';
import { Failure, Success } from '../schemas.js';
import { AUTH_TAGS, typed } from './shared.js';

/** POST /api/auth/logout: ends the session and clears the cookie. */
export function apiAuthLogoutRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).post(
    '/api/auth/logout',
    {
      schema: {
        tags: AUTH_TAGS,
        summary: 'End the session',
        response: { 200: Type.Union([Success(Type.Null()), Failure]) },
      },
    },
    async (request, reply) => {
      const token = sessionToken(request);
      if (!token) throw new DomainError('unauthenticated', '请先登录');
      await ctx.modules.staff.logout(token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return ok(null, '已退出');
    },
  );
}
