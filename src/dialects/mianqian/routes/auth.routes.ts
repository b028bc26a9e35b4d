import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../../core/domain-error.js';
import { FieldReader, type RawInput } from '../../../core/field-reader.js';
import { login, logout } from '../../../modules/staff/index.js';
import type { DialectContext } from '../../shared/dialect-context.js';
import { currentStaff, requireStaff, SESSION_COOKIE, sessionToken } from '../auth.js';
import { ok } from '../envelope.js';
import { Failure, FormValue, Success } from '../schemas.js';

const TAGS = ['Back-office auth'];
const LABELS = { username: '用户名', password: '密码' };

const StaffView = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  display_name: Type.String(),
  roles: Type.Array(Type.String()),
});

export function authRoutes(app: FastifyInstance, ctx: DialectContext): void {
  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: TAGS,
        summary: 'Log in with username and password; answers a bearer token and sets the session cookie',
        body: Type.Object({ username: FormValue(64), password: FormValue(128) }),
        response: {
          200: Type.Union([
            Success(Type.Object({ token: Type.String(), expires_at: Type.Integer(), staff: StaffView })),
            Failure,
          ]),
        },
      },
    },
    async (request, reply) => {
      const r = new FieldReader(request.body as RawInput, LABELS);
      const username = r.text('username', { required: true, max: 64 });
      const password = r.raw('password', { required: true });
      r.done();
      const now = ctx.clock.now();
      const session = await login(
        ctx.db,
        { username: username!, password: password! },
        now,
        ctx.config.sessionTtlMs,
      );
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

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags: TAGS,
        summary: 'End the session',
        response: { 200: Type.Union([Success(Type.Null()), Failure]) },
      },
    },
    async (request, reply) => {
      const token = sessionToken(request);
      if (!token) throw new DomainError('unauthenticated', '请先登录');
      await logout(ctx.db, ctx.staffSessions, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return ok(null, '已退出');
    },
  );

  app.get(
    '/api/auth/me',
    {
      preHandler: requireStaff(ctx),
      schema: {
        tags: TAGS,
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
