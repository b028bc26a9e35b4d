import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { FieldReader, type RawInput } from '../../../core/field-reader.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { SESSION_COOKIE } from '../auth.js';
import { ok } from '../envelope.js';
import { Failure, FormValue, Success } from '../schemas.js';
import { AUTH_TAGS, StaffView } from './shared.js';

const LABELS = { username: '用户名', password: '密码' };

export const LoginRequest = Type.Object({ username: FormValue(64), password: FormValue(128) });
export const LoginResponse = Success(
  Type.Object({ token: Type.String(), expires_at: Type.Integer(), staff: StaffView }),
);

/** POST /api/auth/login: answers a bearer token and sets the same token as the session cookie. */
export function apiAuthLoginRoute(app: FastifyInstance, ctx: DialectContext): void {
  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: AUTH_TAGS,
        summary: 'Log in with username and password; answers a bearer token and sets the session cookie',
        body: LoginRequest,
        response: { 200: Type.Union([LoginResponse, Failure]) },
      },
    },
    async (request, reply) => {
      const r = new FieldReader(request.body as RawInput, LABELS);
      const username = r.text('username', { required: true, max: 64 });
      const password = r.raw('password', { required: true });
      r.done();
      const now = ctx.clock.now();
      const session = await ctx.modules.staff.login({ username: username!, password: password! }, now);
      reply.setCookie(SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: ctx.config.env === 'production',
        path: '/',
        maxAge: Math.floor(ctx.config.sessionTtlMs / 1000),
      });
      return ok({
        token: session.token,
        expires_at: session.expiresAt,
        staff: {
          id: session.staff.id,
          username: session.staff.username,
          display_name: session.staff.displayName,
          roles: [...session.staff.roles],
        },
      });
    },
  );
}
