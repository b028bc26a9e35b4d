import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { FieldReader } from '../../../core/field-reader.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { SESSION_COOKIE } from '../auth.js';
import { LOGIN_FIELDS } from '../back-office-labels.js';
import { ok } from '../envelope.js';
import { Failure, FormValue, Success } from '../schemas.js';
import { AUTH_TAGS, StaffView, typed } from './shared.js';

export const LoginRequest = Type.Object({
  username: FormValue(64, LOGIN_FIELDS.username),
  password: FormValue(128, LOGIN_FIELDS.password),
});
export const LoginResponse = Success(
  Type.Object({ token: Type.String(), expires_at: Type.Integer(), staff: StaffView }),
);

/** POST /api/auth/login: answers a bearer token and sets the same token as the session cookie. */
export function apiAuthLoginRoute(app: FastifyInstance, ctx: DialectContext): void {
  typed(app).post(
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
      const r = new FieldReader(request.body, LOGIN_FIELDS);
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
